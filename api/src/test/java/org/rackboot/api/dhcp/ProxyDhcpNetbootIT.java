package org.rackboot.api.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Real firmware against the real application (the shaded jar from this build's package
 * phase): api/src/test/e2e/run-e2e.sh builds namespaces with a site dnsmasq, starts Rackboot,
 * boots SeaBIOS+iPXE, OVMF/EDK2 and an emulated plain BIOS PXE client in parallel, and sends a
 * DISCOVER through isc-dhcp-relay; then EDK2 once more with offers that lack option 43, so it
 * must use the boot server on 4011. Needs root and the packages of .ci/install-dhcp.sh.
 */
class ProxyDhcpNetbootIT {

  /** Bounds the whole script: network, JVM start, three TCG boots in parallel, teardown. */
  private static final long SCRIPT_TIMEOUT_MINUTES = 6;

  @Test
  void firmwareGetsRackbootsProxyOfferAndAsksRackbootForTheDecidedFile() throws Exception {
    Run run = run(Map.of(), "bios", "uefi", "bios-pxe");
    Map<String, String> results = results(run.out, "bios", "uefi", "bios-pxe", "relay");
    SoftAssertions soft = new SoftAssertions();
    // SeaBIOS + iPXE ROM: user class iPXE -> offer names the script URL -> HTTP GET of it.
    soft.assertThat(results.get("bios")).as(run.out).startsWith("ok offer=[port 67 file "
        + "http://10.78.0.1:8080/boot/ipxe?mac=52:54:00:78:00:01]");
    // OVMF's own PXE client: offer with ipxe.efi (and option 43) -> TFTP RRQ ipxe.efi.
    soft.assertThat(results.get("uefi")).as(run.out)
        .startsWith("ok offer=[port 67 file ipxe.efi] fetch=[TFTP RRQ ipxe.efi from 10.78.0.");
    // Plain BIOS PXE client (arch 0, no iPXE user class) -> TFTP RRQ undionly.kpxe.
    soft.assertThat(results.get("bios-pxe")).as(run.out).startsWith(
        "ok offer=[port 67 file undionly.kpxe] fetch=[TFTP RRQ undionly.kpxe from 10.78.0.");
    // Through isc-dhcp-relay: answered to the relay, giaddr kept, next-server = bridge address.
    soft.assertThat(results.get("relay")).as(run.out).startsWith("ok ")
        .contains("\"giaddr\": \"10.79.0.1\"").contains("\"siaddr\": \"10.78.0.1\"")
        .contains("\"yiaddr\": \"0.0.0.0\"").contains("\"opt43\": \"060108ff\"");
    soft.assertThat(run.exit).as(run.out).isZero();
    soft.assertAll();
  }

  @Test
  void edk2WithoutOption43GetsItsFileFromTheBootServerOn4011() throws Exception {
    // Offers without option 43: EDK2 must ignore their boot file and ask on UDP 4011.
    Run run = run(Map.of("E2E_PXE_DC", "0", "E2E_RELAY", "0"), "uefi-4011");
    assertThat(results(run.out, "uefi-4011").get("uefi-4011")).as(run.out).startsWith(
        "ok offer=[port 4011 file ipxe.efi] fetch=[TFTP RRQ ipxe.efi from 10.78.0.");
    assertThat(run.exit).as(run.out).isZero();
  }

  private record Run(int exit, String out) {}

  private static Run run(Map<String, String> env, String... vms) throws Exception {
    Path work = Files.createTempDirectory(Path.of("target"), "e2e-");
    Path log = work.resolve("run-e2e.out");
    List<String> cmd = new ArrayList<>(List.of("bash", "src/test/e2e/run-e2e.sh"));
    cmd.addAll(List.of(vms));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("E2E_WORK", work.toAbsolutePath().toString());
    // The README's run command, plain java -jar: TFTP sends each window in one segmented send.
    pb.environment().put("RACKBOOT_CMD", "java -jar "
        + Path.of("target/rackboot.jar").toAbsolutePath());
    Process p = pb.start();
    if (!p.waitFor(SCRIPT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      p.destroyForcibly();
      p.waitFor();
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static Map<String, String> results(String out, String... expected) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("RESULT ")) {
        String[] parts = line.split(" ", 3);
        m.put(parts[1], parts.length > 2 ? parts[2] : "");
      }
    }
    assertThat(m).as(out).containsKeys(expected);
    return m;
  }
}
