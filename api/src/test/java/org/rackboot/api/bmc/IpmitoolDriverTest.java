package org.rackboot.api.bmc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rackboot.api.core.BmcCredentials;

class IpmitoolDriverTest {

  private final BmcCredentials creds =
      new BmcCredentials("ipmi", "10.0.0.5", 623, "admin", "hunter2-pw");
  private final IpmitoolDriver driver = new IpmitoolDriver("ipmitool", Duration.ofSeconds(9), 2);

  @Test
  void thePasswordIsNeverOnTheCommandLine() {
    List<String> cmd = driver.command(creds, List.of("chassis", "power", "status"));
    assertThat(String.join(" ", cmd)).doesNotContain("hunter2-pw");
    // -E: ipmitool reads IPMI_PASSWORD from its environment; no -P, no -f.
    assertThat(cmd).contains("-E").doesNotContain("-P", "-f");
    assertThat(cmd).containsSubsequence("-I", "lanplus", "-H", "10.0.0.5", "-p", "623",
        "-U", "admin");
    assertThat(cmd).endsWith("chassis", "power", "status");
    assertThat(creds.toString()).doesNotContain("hunter2-pw");
  }

  @Test
  void uefiHostsGetTheEfiBootFlag() {
    assertThat(IpmitoolDriver.bootdevArgs(true))
        .containsExactly("chassis", "bootdev", "pxe", "options=efiboot");
    assertThat(IpmitoolDriver.bootdevArgs(false)).containsExactly("chassis", "bootdev", "pxe");
  }

  @Test
  void theToolsWordsAreCleaned() {
    String out = "Loading IANA PEN Registry...\nUnable to Get Channel Cipher Suites\n"
        + "> RAKP 2 HMAC is invalid\n\u001b[31mError: Unable to establish IPMI v2 / RMCP+"
        + " session\nechoed hunter2-pw\n";
    String clean = IpmitoolDriver.clean(out, "hunter2-pw");
    assertThat(clean).isEqualTo("> RAKP 2 HMAC is invalid; ?[31mError: Unable to establish"
        + " IPMI v2 / RMCP+ session; echoed (hidden)");
    assertThat(IpmitoolDriver.clean("x".repeat(1000), "p")).hasSizeLessThan(410);
  }

  @Test
  void aMissingToolIsARefusalNotAHang() {
    IpmitoolDriver none = new IpmitoolDriver("/nonexistent/ipmitool", Duration.ofSeconds(1), 2);
    try {
      none.status(creds);
      org.assertj.core.api.Assertions.fail("no exception");
    } catch (BmcException e) {
      assertThat(e.kind()).isEqualTo(BmcException.Kind.REFUSED);
      assertThat(e.getMessage()).contains("cannot run /nonexistent/ipmitool");
    }
  }
}
