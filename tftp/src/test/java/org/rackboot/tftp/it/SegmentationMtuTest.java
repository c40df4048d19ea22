package org.rackboot.tftp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rackboot.tftp.it.NamespaceRig.sh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.tftp.mina.TftpMain;

/**
 * Windows over a link whose MTU (1280) is below the block: the kernel refuses a segmented send
 * of 1472-byte datagrams (EMSGSIZE) although it fragments the same datagram sent alone, so the
 * transfer must go on one datagram per send; blocks that fit the MTU go out segmented. The
 * server is {@link TftpMain} in its own namespace, started with {@code -cp} and the two options
 * the application jar's manifest carries; the client atftp in another, joined by a veth pair the
 * test creates. Needs root.
 */
class SegmentationMtuTest {

  static final String SERVER_IP = "10.203.0.1";
  static final String CLIENT_IP = "10.203.0.2";

  @TempDir Path root;
  @TempDir Path downloads;

  @Test
  void aPathThatRefusesSegmentsGetsTheWindowDatagramByDatagram() throws Exception {
    long pid = ProcessHandle.current().pid();
    String nsC = "rbmtu-c-" + pid;
    String nsS = "rbmtu-s-" + pid;
    String vethC = "rbmc" + pid % 1_000_000;
    String vethS = "rbms" + pid % 1_000_000;
    Path file = TestServer.writeFile(root, "m1.bin", (1 << 20) + 3);
    String expected = TestServer.sha256(file);
    try (NamespaceRig rig = new NamespaceRig()) {
      rig.namespace(nsC);
      rig.namespace(nsS);
      sh("ip", "link", "add", vethS, "netns", nsS, "type", "veth", "peer", "name", vethC,
          "netns", nsC);
      sh("ip", "-n", nsS, "addr", "add", SERVER_IP + "/24", "dev", vethS);
      sh("ip", "-n", nsC, "addr", "add", CLIENT_IP + "/24", "dev", vethC);
      sh("ip", "-n", nsS, "link", "set", vethS, "mtu", "1280", "up");
      sh("ip", "-n", nsC, "link", "set", vethC, "mtu", "1280", "up");

      String java = ProcessHandle.current().info().command().orElse("java");
      Process server = rig.start(List.of("ip", "netns", "exec", nsS, java, "-Xmx128m",
          "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
          "-cp", NamespaceRig.serverClasspath(), TftpMain.class.getName(),
          "--root", root.toString(), "--bind", SERVER_IP, "--port", "69"));
      NamespaceRig.Lines serverOut = new NamespaceRig.Lines(server);
      assertThat(serverOut.await(l -> l.startsWith("rackboot-tftp listening"), 60))
          .as(serverOut.toString()).isTrue();

      // 1028-byte datagrams fit the MTU: segmented. 1472-byte ones do not: refused, then sent
      // one by one (IP fragments them), byte-identical all the same.
      for (int blksize : new int[] {1024, 1468}) {
        Path out = downloads.resolve("m-" + blksize);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", nsC));
        cmd.addAll(Clients.ATFTP.command(SERVER_IP, 69, "m1.bin", out, blksize, 8));
        Clients.Result r = Clients.run(cmd, 60);
        assertThat(r.exit()).as("blksize %d: %s", blksize, r.output()).isZero();
        assertThat(TestServer.sha256(out)).as("blksize %d", blksize).isEqualTo(expected);
      }

      server.toHandle().destroy();
      assertThat(serverOut.await(l -> l.startsWith("stats "), 20)).as(serverOut.toString())
          .isTrue();
      String stats = serverOut.toString();
      assertThat(stats).contains(" completed=2 ").contains(" failed=0 ")
          .contains(" segmentationRefusals=1 ").doesNotContain(" segmentedSends=0 ");
    }
  }
}
