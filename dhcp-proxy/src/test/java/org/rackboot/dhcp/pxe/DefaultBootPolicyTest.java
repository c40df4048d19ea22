package org.rackboot.dhcp.pxe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.dhcp.wire.MessageType;

class DefaultBootPolicyTest {

  private static final Inet4Address LOCAL = Ipv4.parse("10.77.0.1");
  private final DefaultBootPolicy policy = DefaultBootPolicy.withDefaults();

  @ParameterizedTest(name = "arch {0} -> {1}")
  @CsvSource({
      "0, undionly.kpxe",
      "6, ipxe-i386.efi",
      "7, ipxe.efi",
      "9, ipxe.efi",
      "11, ipxe-arm64.efi"})
  void mapsArchitecturesToTheIssuesBootFiles(int arch, String file) {
    assertThat(policy.decide(request(arch, "PXEClient", List.of())))
        .isEqualTo(new BootDecision.Boot(null, file));
  }

  @Test
  void uefiHttpBootClientsGetTheUrlOfTheIpxeEfiBinary() {
    assertThat(policy.decide(request(16, "HTTPClient:Arch:00016:UNDI:003000", List.of())))
        .isEqualTo(new BootDecision.HttpBoot("http://10.77.0.1:8080/boot/ipxe.efi"));
  }

  @Test
  void ipxeGetsItsScriptSoItNeverChainLoadsItself() {
    assertThat(policy.decide(request(7, "PXEClient", List.of("iPXE"))))
        .isEqualTo(new BootDecision.Boot(null,
            "http://10.77.0.1:8080/boot/ipxe?mac=52:54:00:77:39:11"));
  }

  @Test
  void unknownOrMissingArchitecturesAreIgnored() {
    assertThat(policy.decide(request(99, "PXEClient", List.of())))
        .isInstanceOf(BootDecision.Ignore.class);
    assertThat(policy.decide(request(-1, "PXEClient", List.of())))
        .isInstanceOf(BootDecision.Ignore.class);
  }

  @Test
  void everythingIsConfigurable() {
    DefaultBootPolicy custom = new DefaultBootPolicy(Map.of(7, "efi/{macHyphen}.efi"),
        "http://{nextServer}/s/{uuid}", Ipv4.parse("10.0.0.9"));
    assertThat(custom.decide(request(7, "PXEClient", List.of())))
        .isEqualTo(new BootDecision.Boot(Ipv4.parse("10.0.0.9"), "efi/52-54-00-77-39-11.efi"));
    assertThat(custom.decide(request(7, "PXEClient", List.of("iPXE"))))
        .isEqualTo(new BootDecision.Boot(Ipv4.parse("10.0.0.9"),
            "http://10.0.0.9/s/4c414230-0000-4000-8000-525400773911"));
    assertThatThrownBy(() -> new DefaultBootPolicy(Map.of(7, "{bogus}"), null, null))
        .hasMessageContaining("unknown placeholder {bogus}");
  }

  static BootRequest request(int arch, String vendorClass, List<String> userClasses) {
    return new BootRequest(MessageType.DISCOVER, MacAddress.parse("52:54:00:77:39:11"),
        UUID.fromString("4c414230-0000-4000-8000-525400773911"), arch, null, vendorClass,
        userClasses, null, null, null, null, LOCAL, false);
  }
}
