package org.rackboot.dhcp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one MAC type: the strict text notations, the bytes, the predicates and the ordering. */
class MacAddressTest {

  private static final String NOTATIONS =
      "aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or aabbccddeeff";

  @ParameterizedTest
  @ValueSource(strings = {
      "52:54:00:ab:cd:ef", "52:54:00:AB:CD:EF", "52:54:00:AB:cd:Ef", // colons
      "52-54-00-AB-CD-EF", "52-54-00-ab-cd-ef", // dashes
      "5254.00ab.cdef", "5254.00AB.CDEF", // Cisco dotted
      "525400abcdef", "525400ABCDEF"}) // bare
  void acceptsEachNotationInAnyCase(String text) {
    MacAddress m = MacAddress.parse(text);
    assertThat(m.value()).isEqualTo(0x525400abcdefL);
    assertThat(m).hasToString("52:54:00:ab:cd:ef");
    assertThat(m.toBytes()).containsExactly(0x52, 0x54, 0x00, 0xab, 0xcd, 0xef);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "52:54:00:ab:cd", // five groups
      "52:54:00:ab:cd:ef:01", // seven groups
      "52:54:00:ab:cd:e", // one digit short
      "525400abcde", "525400abcdef0", // bare, a digit short or long
      "5254.00ab.cdef.", "5254.00ab.cde", "5254.00ab", // dotted, wrong length
      "52:54:00:ab:cd:eg", "52-54-00-ab-cd-eg", "5254.00ab.cdeg", "525400abcdeg", // bad hex
      "0x5254.00ab.cd", "+52540abcdef", "-52540abcdef", // what Long.parseLong would take
      "52:54-00:ab:cd:ef", "52-54:00-ab:cd-ef", "5254.00ab-cdef", // mixed separators
      "52 54 00 ab cd ef", "52_54_00_ab_cd_ef", "52/54/00/ab/cd/ef", // other separators
      "5254:00ab:cdef", "52545.00ab.cde", "525.400.abc.def", // separators in the wrong places
      "5:254:00:ab:cd:ef", "525:4:00:ab:cd:ef", // colons and dashes only after every pair
      " 52:54:00:ab:cd:ef", "52:54:00:ab:cd:ef ", "52:54:00:ab:cd:ef\n", // blanks
      "52:54:00:ab:cd:e\u0000", // a NUL
      "\u0665" + "2:54:00:ab:cd:ef", // an Arabic-Indic digit five
      "\uff15" + "2:54:00:ab:cd:ef", // a full-width digit five
      "52:54:00:ab:cd:\uff45\uff46", // full-width e and f
      "aa:bb:cc:dd:ee:ff:", "::::::::::::::::"})
  @NullAndEmptySource
  void refusesEverythingElseSayingWhatWasExpectedAndWhatCame(String text) {
    assertThatThrownBy(() -> MacAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expected a MAC address as " + NOTATIONS + ", got ");
  }

  @Test
  void theMessageQuotesWhatCameWithControlCharactersEscapedAndLongTextCut() {
    assertThatThrownBy(() -> MacAddress.parse("52:54"))
        .hasMessageEndingWith(", got \"52:54\"");
    assertThatThrownBy(() -> MacAddress.parse(null)).hasMessageEndingWith(", got null");
    assertThatThrownBy(() -> MacAddress.parse("")).hasMessageEndingWith(", got \"\"");
    assertThatThrownBy(() -> MacAddress.parse("52:54:00:ab:cd:e\u0000"))
        .hasMessageEndingWith(", got \"52:54:00:ab:cd:e\\u0000\"");
    assertThatThrownBy(() -> MacAddress.parse("a".repeat(1000)))
        .hasMessageEndingWith(", got \"" + "a".repeat(64) + "...(1000 chars)\"");
  }

  @Test
  void decodesBytesAtAnOffsetAndRoundTrips() {
    byte[] chaddr = {0x01, 0x52, 0x54, 0x00, (byte) 0xab, (byte) 0xcd, (byte) 0xef, 0x00};
    MacAddress m = MacAddress.of(chaddr, 1);
    assertThat(m).isEqualTo(MacAddress.parse("52:54:00:ab:cd:ef"));
    assertThat(MacAddress.of(m.toBytes())).isEqualTo(m);
    assertThatThrownBy(() -> MacAddress.of(new byte[5]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MAC address needs 6 bytes, got 5");
    assertThatThrownBy(() -> new MacAddress(1L << 48))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MacAddress(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsCanonicallyWithColonsAndWithDashesForUrls() {
    MacAddress m = MacAddress.parse("0A-0B-0C-D0-E0-F0");
    assertThat(m).hasToString("0a:0b:0c:d0:e0:f0");
    assertThat(m.format("-")).isEqualTo("0a-0b-0c-d0-e0-f0");
    assertThat(MacAddress.parse(m.toString())).isEqualTo(m);
    assertThat(MacAddress.parse(m.format("-"))).isEqualTo(m);
    assertThat(new MacAddress(0)).hasToString("00:00:00:00:00:00");
  }

  @Test
  void equalAddressesAreEqualWhateverTheNotation() {
    MacAddress colons = MacAddress.parse("52:54:00:ab:cd:ef");
    MacAddress dotted = MacAddress.parse("5254.00AB.CDEF");
    assertThat(dotted).isEqualTo(colons).hasSameHashCodeAs(colons);
    assertThat(dotted.compareTo(colons)).isZero();
    assertThat(MacAddress.parse("52:54:00:ab:cd:ee")).isNotEqualTo(colons);
  }

  @Test
  void ordersAsUnsigned48BitNumbers() {
    List<MacAddress> macs = new ArrayList<>(List.of(
        MacAddress.parse("ff:ff:ff:ff:ff:ff"), MacAddress.parse("80:00:00:00:00:00"),
        MacAddress.parse("00:00:00:00:00:01"), MacAddress.parse("00:00:00:00:00:00"),
        MacAddress.parse("7f:ff:ff:ff:ff:ff")));
    Collections.sort(macs);
    assertThat(macs).extracting(MacAddress::toString).containsExactly(
        "00:00:00:00:00:00", "00:00:00:00:00:01", "7f:ff:ff:ff:ff:ff", "80:00:00:00:00:00",
        "ff:ff:ff:ff:ff:ff");
  }

  @Test
  void predicatesFollowTheGroupBitOfTheFirstOctet() {
    MacAddress qemu = MacAddress.parse("52:54:00:ab:cd:ef");
    assertThat(qemu.isUnicast()).isTrue();
    assertThat(qemu.isMulticast() || qemu.isZero() || qemu.isBroadcast()).isFalse();

    // IPv4 multicast (01:00:5e) and IPv6 multicast (33:33): group addresses.
    for (String group : new String[] {"01:00:5e:00:00:fb", "33:33:00:00:00:01"}) {
      MacAddress m = MacAddress.parse(group);
      assertThat(m.isMulticast()).as(group).isTrue();
      assertThat(m.isUnicast()).as(group).isFalse();
      assertThat(m.isBroadcast()).as(group).isFalse();
    }

    MacAddress broadcast = MacAddress.parse("ff:ff:ff:ff:ff:ff");
    assertThat(broadcast.isBroadcast()).isTrue();
    assertThat(broadcast.isMulticast()).isTrue();
    assertThat(broadcast.isUnicast()).isFalse();
    assertThat(broadcast.isZero()).isFalse();

    // The zero address has the group bit clear: unicast by the bit, refused by isZero.
    MacAddress zero = MacAddress.parse("000000000000");
    assertThat(zero.isZero()).isTrue();
    assertThat(zero.isUnicast()).isTrue();
    assertThat(zero.isMulticast() || zero.isBroadcast()).isFalse();

    // Only the low bit of the first octet counts, not the same bit elsewhere.
    assertThat(MacAddress.parse("02:01:01:01:01:01").isUnicast()).isTrue();
    assertThat(MacAddress.parse("03:00:00:00:00:00").isMulticast()).isTrue();
  }
}
