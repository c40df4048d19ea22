package org.rackboot.api.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real IPMI v2.0 BMC for tests: OpenIPMI's {@code ipmi_sim} (Debian package openipmi) on a
 * loopback UDP port, with one admin user and a chassis whose power and boot device are kept by
 * a small control script. The script appends every request it gets ({@code set power 1},
 * {@code set boot pxe}, ...) to {@link #controlLog()}, so tests see what the BMC was told, and
 * answers {@code get power} from its state file, so the power state really toggles. Stopped by
 * the PID of the process this class started, never by name.
 */
public final class IpmiSim implements AutoCloseable {

  public static final String USER = "rbadmin";
  public static final String PASSWORD = "Sim-pw-7f3a9c";

  private final Path dir;
  private final int port;
  private final Process process;

  private IpmiSim(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  public static IpmiSim start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("rackboot-ipmisim");
    int port = freeUdpPort();
    Path ctl = dir.resolve("chassis.sh");
    // ipmi_sim runs "<program> get power" / "<program> set power 1" (after the arguments given
    // in chassis_control); a get is answered "name:value" per line.
    Files.writeString(ctl, String.join("\n",
        "#!/bin/sh",
        "dir='" + dir + "'",
        "shift",  // the MC address we pass first
        "echo \"$*\" >> \"$dir/control.log\"",
        "op=$1; shift",
        "if [ \"$op\" = get ]; then",
        "  for item in \"$@\"; do",
        "    case $item in",
        "      power) echo \"power:$(cat \"$dir/power\" 2>/dev/null || echo 0)\";;",
        "      boot) echo \"boot:$(cat \"$dir/boot\" 2>/dev/null || echo default)\";;",
        "    esac",
        "  done",
        "elif [ \"$op\" = set ]; then",
        "  while [ $# -gt 1 ]; do",
        "    case $1 in",
        "      power) echo \"$2\" > \"$dir/power\";;",
        "      boot) echo \"$2\" > \"$dir/boot\";;",
        "    esac",
        "    shift 2",
        "  done",
        "fi",
        "exit 0", ""), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(ctl, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(dir.resolve("lan.conf"), String.join("\n",
        "name \"rackboot-test\"",
        "set_working_mc 0x20",
        "  startlan 1",
        "    addr 127.0.0.1 " + port,
        "    priv_limit admin",
        "    allowed_auths_callback md5",
        "    allowed_auths_user md5",
        "    allowed_auths_operator md5",
        "    allowed_auths_admin md5",
        "    guid a123456789abcdefa123456789abcdef",
        "  endlan",
        "  chassis_control \"" + ctl + " 0x20\"",
        "  user 2 true \"" + USER + "\" \"" + PASSWORD + "\" admin 10 md5",
        ""), StandardCharsets.UTF_8);
    // One BMC at IPMB address 0x20 with chassis support (device support bit 7 of 0x9f).
    Files.writeString(dir.resolve("bmc.emu"), String.join("\n",
        "mc_setbmc 0x20",
        "mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr",
        "mc_enable 0x20", ""), StandardCharsets.UTF_8);
    Files.createDirectories(dir.resolve("state"));
    Process p = new ProcessBuilder("ipmi_sim", "-c", dir.resolve("lan.conf").toString(),
        "-f", dir.resolve("bmc.emu").toString(), "-s", dir.resolve("state").toString(), "-n")
        .redirectErrorStream(true).redirectOutput(dir.resolve("ipmi_sim.log").toFile())
        .start();
    IpmiSim sim = new IpmiSim(dir, port, p);
    try {
      sim.awaitReady(Duration.ofSeconds(15));
    } catch (IOException | RuntimeException e) {
      sim.close();
      throw e;
    }
    return sim;
  }

  /** A UDP port on loopback that nothing listened on a moment ago. */
  public static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitReady(Duration max) throws IOException, InterruptedException {
    Instant end = Instant.now().plus(max);
    String last = "";
    while (Instant.now().isBefore(end)) {
      if (!process.isAlive()) {
        throw new IOException("ipmi_sim exited: " + Files.readString(dir.resolve("ipmi_sim.log")));
      }
      IpmiResult r = ipmitool(PASSWORD, "chassis", "power", "status");
      if (r.exit() == 0) {
        return;
      }
      last = r.output();
      Thread.sleep(200);
    }
    throw new IOException("ipmi_sim on port " + port + " did not answer: " + last);
  }

  public record IpmiResult(int exit, String output) {}

  /** Runs ipmitool against this BMC directly (the password through the environment). */
  public IpmiResult ipmitool(String password, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("ipmitool", "-I", "lanplus",
        "-H", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-E", "-N", "1", "-R", "1"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("IPMI_PASSWORD", password);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new IpmiResult(-1, out);
    }
    return new IpmiResult(p.exitValue(), out);
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** The chassis requests the BMC got, one per line, oldest first. */
  public List<String> controlLog() throws IOException {
    Path log = dir.resolve("control.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** The simulated power: true when on. */
  public boolean powerOn() throws IOException {
    Path f = dir.resolve("power");
    return Files.exists(f) && Files.readString(f).strip().equals("1");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // A temporary directory of a test BMC; the OS cleans /tmp eventually.
    }
  }
}
