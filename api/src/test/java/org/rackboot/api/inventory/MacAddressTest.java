package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rackboot.api.core.Checks;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.HostState;
import org.rackboot.dhcp.wire.MacAddress;
import org.junit.jupiter.api.Test;

/** The value types and checks at the edge, without a server. */
class MacAddressTest {

  @ParameterizedTest
  @ValueSource(strings = {"52:54:00:ab:cd:ef", "52-54-00-AB-CD-EF", "5254.00ab.cdef",
      "525400ABCDEF", "52:54:00:AB:cd:EF"})
  void acceptsTheFourFormsAndNormalizes(String text) {
    assertThat(MacAddress.parse(text).toString()).isEqualTo("52:54:00:ab:cd:ef");
    assertThat(MacAddress.parse(text).toBytes()).containsExactly(0x52, 0x54, 0x00, 0xab, 0xcd, 0xef);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "52:54:00:ab:cd", "52:54:00:ab:cd:eg", "52:54-00:ab:cd:ef",
      "5254.00ab.cdef.", "525400abcdef0", " 52:54:00:ab:cd:ef", "52:54:00:ab:cd:e\u0000",
      "5254:00ab:cdef", "52545.00ab.cde", "٥2:54:00:ab:cd:ef"})
  void refusesEverythingElse(String text) {
    assertThatThrownBy(() -> MacAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aabb.ccdd.eeff");
  }

  @Test
  void hostnamesFollowRfc1123() {
    assertThat(Checks.hostname("h", "Web-01.Example.NET.")).isEqualTo("web-01.example.net");
    assertThat(Checks.hostname("h", "1rack")).isEqualTo("1rack");
    for (String bad : new String[] {"", "-a", "a-", "a..b", "a_b", "a b", "a".repeat(64),
        ("a".repeat(63) + ".").repeat(4) + "a"}) {
      assertThatThrownBy(() -> Checks.hostname("hostname", bad))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.field()).isEqualTo("hostname");
            assertThat(e.status()).isEqualTo(422);
          });
    }
  }

  @Test
  void stateMachineMatchesTheDesign() {
    assertThat(HostState.DISCOVERED.canMoveTo(HostState.READY)).isTrue();
    assertThat(HostState.READY.canMoveTo(HostState.PROVISIONING)).isTrue();
    assertThat(HostState.DEPLOYED.canMoveTo(HostState.PROVISIONING)).isTrue();
    assertThat(HostState.FAILED.canMoveTo(HostState.PROVISIONING)).isTrue();
    assertThat(HostState.PROVISIONING.canMoveTo(HostState.DEPLOYED)).isTrue();
    assertThat(HostState.PROVISIONING.canMoveTo(HostState.FAILED)).isTrue();
    assertThat(HostState.DISCOVERED.canMoveTo(HostState.PROVISIONING)).isFalse();
    assertThat(HostState.DEPLOYED.canMoveTo(HostState.FAILED)).isFalse();
    assertThat(HostState.RETIRED.canMoveTo(HostState.PROVISIONING)).isFalse();
    assertThat(HostState.RETIRED.canMoveTo(HostState.READY)).isFalse();
    for (HostState s : HostState.values()) {
      assertThat(s.canMoveTo(HostState.RETIRED)).isEqualTo(s != HostState.RETIRED);
    }
    assertThatThrownBy(() -> HostState.of("DEPLOYED")).isInstanceOf(IllegalArgumentException.class);
  }
}
