package org.rackboot.tftp.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rackboot.tftp.TftpSettings;
import org.rackboot.tftp.TftpStats;

/**
 * Where the JVM does not allow the offload, the engine still starts and says why in one INFO
 * line, with no stack trace. Each case starts a JVM of the same JDK (on the test class path)
 * that builds a {@link TransferEngine} through {@link #main} and prints its log.
 */
class SegmentationFallbackTest {

  @Test
  void withTheDescriptorsPackageClosedOffloadIsOffInOneInfoLine() throws Exception {
    String out = engineLog(List.of("--enable-native-access=ALL-UNNAMED"));
    assertThat(offloadLines(out)).singleElement().asString()
        .contains(" INFO ")
        .contains("TFTP segmentation offload is off, because java.base/sun.nio.ch is not opened")
        .contains("windows go out one datagram per send");
    assertNoStackTrace(out);
  }

  @Test
  void withJnasNativeLibraryMissingOffloadIsOffInOneInfoLine() throws Exception {
    // No unpacking from the jar and an empty library path: JNA cannot load libjnidispatch.
    String out = engineLog(List.of("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED", "-Djna.nounpack=true", "-Djna.nosys=true",
        "-Djna.boot.library.path=/nonexistent"));
    assertThat(offloadLines(out)).singleElement().asString()
        .contains(" INFO ")
        .contains("TFTP segmentation offload is off, because JNA cannot call setsockopt (");
    assertNoStackTrace(out);
  }

  @Test
  void withWhatTheJarGrantsOffloadIsOnInOneInfoLine() throws Exception {
    String out = engineLog(List.of("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED"));
    assertThat(offloadLines(out)).singleElement().asString()
        .contains(" INFO ").contains("TFTP segmentation offload is on");
    assertNoStackTrace(out);
  }

  /** Run in the child JVM: an engine on loopback, started and closed. */
  public static void main(String[] args) throws IOException {
    try (TransferEngine engine = new TransferEngine(
        TftpSettings.defaults(new InetSocketAddress("127.0.0.1", 0)),
        (path, client) -> { throw new IOException("no files here"); }, new TftpStats())) {
      System.out.println("engine started");
    }
  }

  private static String engineLog(List<String> jvmOptions) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElseThrow());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        SegmentationFallbackTest.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("engine started");
    return out;
  }

  private static List<String> offloadLines(String out) {
    return out.lines().filter(l -> l.contains("segmentation offload")).toList();
  }

  private static void assertNoStackTrace(String out) {
    assertThat(out).doesNotContain("Exception\n").doesNotContain("\tat ")
        .doesNotContain("WARN");
  }
}
