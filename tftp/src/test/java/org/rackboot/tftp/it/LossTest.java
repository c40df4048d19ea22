package org.rackboot.tftp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rackboot.tftp.it.NamespaceRig.sh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.tftp.mina.TftpMain;

/**
 * 20 concurrent 8 MiB transfers through a lossy link: 5 % drop, 1 % duplication, 2 % reordering.
 *
 * <p>This kernel has no sch_netem, so the test builds the link itself (STACK.md): namespaces
 * {@code rbtftp-c-PID} (clients) and {@code rbtftp-s-PID} (the server, as a separate JVM running
 * {@link TftpMain}) joined by two TUN devices and impair-relay.py, a seeded userspace relay. It
 * needs root, as CI has; without root it fails rather than skip.
 *
 * <p>Clients: tftp-hpa and curl in lock-step 512-byte blocks (curl without options, since it
 * would otherwise fix a 6 s timeout). busybox and atftp abort on a repeated OACK ("unexpected
 * OACK"), which a server must send when the ACK of its OACK is lost, so they cannot pass a lossy
 * link whatever the server does; they are exercised on loopback in RealClientsTest.
 */
class LossTest {

  static final int SIZE = 8 << 20;
  static final int CLIENTS = 20;
  static final String SERVER_IP = "10.201.0.1";
  static final String CLIENT_IP = "10.201.0.2";

  @TempDir Path root;
  @TempDir Path downloads;
  @TempDir Path work;

  @Test
  void twentyConcurrentTransfersSurviveLossDuplicationAndReordering() throws Exception {
    Clients.Result id = Clients.run(List.of("id", "-u"), 10);
    assertThat(id.output().trim()).as("the loss test needs root (network namespaces)")
        .isEqualTo("0");
    long pid = ProcessHandle.current().pid();
    String nsC = "rbtftp-c-" + pid;
    String nsS = "rbtftp-s-" + pid;
    String tunC = "rbtc" + pid % 1_000_000;
    String tunS = "rbts" + pid % 1_000_000;
    Path file = TestServer.writeFile(root, "l8.bin", SIZE);
    String expected = TestServer.sha256(file);
    try (NamespaceRig rig = new NamespaceRig()) {
      rig.namespace(nsC);
      rig.namespace(nsS);

      Path relayScript = work.resolve("impair-relay.py");
      try (var in = getClass().getResourceAsStream("/impair-relay.py")) {
        Files.copy(in, relayScript);
      }
      Path relayStats = work.resolve("relay.stats");
      Process relay = rig.start(List.of("python3", relayScript.toString(), nsC, tunC, nsS, tunS,
          "42", "0.05", "0.01", "0.02", relayStats.toString(), "240"));
      NamespaceRig.Lines relayOut = new NamespaceRig.Lines(relay);
      assertThat(relayOut.await(l -> l.equals("ready"), 20)).as(relayOut.toString()).isTrue();
      // Point-to-point addresses; a 9000-byte MTU keeps even large blocks unfragmented.
      sh("ip", "-n", nsC, "addr", "add", CLIENT_IP, "peer", SERVER_IP, "dev", tunC);
      sh("ip", "-n", nsC, "link", "set", tunC, "mtu", "9000", "up");
      sh("ip", "-n", nsS, "addr", "add", SERVER_IP, "peer", CLIENT_IP, "dev", tunS);
      sh("ip", "-n", nsS, "link", "set", tunS, "mtu", "9000", "up");

      String java = ProcessHandle.current().info().command().orElse("java");
      Process server = rig.start(List.of("ip", "netns", "exec", nsS, java, "-Xmx256m",
          "-cp", NamespaceRig.serverClasspath(), TftpMain.class.getName(),
          "--root", root.toString(), "--bind", SERVER_IP, "--port", "69",
          "--timeout-ms", "1000", "--retries", "10"));
      NamespaceRig.Lines serverOut = new NamespaceRig.Lines(server);
      assertThat(serverOut.await(l -> l.startsWith("rackboot-tftp listening"), 60))
          .as(serverOut.toString()).isTrue();

      List<Process> clients = new ArrayList<>();
      List<Path> outs = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        Path out = downloads.resolve("d" + i);
        outs.add(out);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", nsC));
        cmd.addAll(i % 2 == 0
            ? Clients.TFTP_HPA.command(SERVER_IP, 69, "l8.bin", out, 0, 0)
            : Clients.CURL.command(SERVER_IP, 69, "l8.bin", out, -1, 0));
        clients.add(rig.start(cmd));
      }
      for (int i = 0; i < CLIENTS; i++) {
        Process c = clients.get(i);
        assertThat(c.waitFor(200, TimeUnit.SECONDS)).as("client %d finished", i).isTrue();
        String output = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(c.exitValue()).as("client %d exit; output: %s", i, output).isZero();
      }
      for (Path out : outs) {
        assertThat(TestServer.sha256(out)).as(out.toString()).isEqualTo(expected);
      }

      // SIGTERM (ProcessHandle.destroy leaves the streams open): TftpMain prints its counters.
      server.toHandle().destroy();
      assertThat(serverOut.await(l -> l.startsWith("stats "), 20)).isTrue();
      // A client that got its last block may leave before its final ACK survives the link: the
      // server counts that transfer as unconfirmed, never as failed.
      assertThat(serverOut.toString()).doesNotContain("retransmits=0 ").contains("failed=0 ");
      relay.toHandle().destroy();
      assertThat(relay.waitFor(20, TimeUnit.SECONDS)).isTrue();
      // The link really was impaired.
      String stats = Files.readString(relayStats);
      assertThat(count(stats, "dropped")).isGreaterThan(1000);
      assertThat(count(stats, "duplicated")).isGreaterThan(100);
      assertThat(count(stats, "reordered")).isGreaterThan(100);
    }
  }

  private static long count(String stats, String name) {
    for (String kv : stats.trim().split(" ")) {
      if (kv.startsWith(name + "=")) {
        return Long.parseLong(kv.substring(name.length() + 1));
      }
    }
    throw new AssertionError("no " + name + " in " + stats);
  }
}
