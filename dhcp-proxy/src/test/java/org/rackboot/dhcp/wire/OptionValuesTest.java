package org.rackboot.dhcp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Option values stay immutable although the packet path shares arrays instead of copying them,
 * and the shortcuts taken for it (prefix test, header written in place) say what the plain way
 * says.
 */
class OptionValuesTest {

  @Test
  void optionsCopyWhatTheyAreGivenAndWhatTheyHandOut() {
    byte[] value = {1, 2, 3};
    DhcpOption o = DhcpOption.of(43, value);
    value[0] = 9;
    assertThat(o.data()).containsExactly(1, 2, 3);
    o.data()[1] = 9;
    assertThat(o.data()).containsExactly(1, 2, 3);

    DhcpOptions built = DhcpOptions.builder().put(43, value).build();
    value[1] = 8;
    assertThat(built.get(43)).hasValueSatisfying(v -> assertThat(v).containsExactly(9, 2, 3));
  }

  @Test
  void decodedValuesCannotBeChangedThroughTheDatagramOrTheGetters() {
    byte[] wire = message(DhcpOptions.builder().putString(60, "PXEClient").build(), "ipxe.efi")
        .toBytes(576);
    DhcpMessage m = DhcpMessage.decode(ByteBuffer.wrap(wire));
    java.util.Arrays.fill(wire, (byte) 0);
    m.options().get(60).orElseThrow()[0] = 'X';
    assertThat(m.options().string(60)).isEqualTo("PXEClient");
    assertThat(m.file()).isEqualTo("ipxe.efi");
  }

  @Test
  void puttingACodeAgainReplacesItInPlaceAndRemoveDropsIt() {
    DhcpOptions o = DhcpOptions.builder().putU8(53, 2).putString(60, "PXEClient")
        .putU16(93, 7).putString(60, "HTTPClient").remove(93).putU32(51, 0x01020304L).build();
    assertThat(o.list()).extracting(DhcpOption::code).containsExactly(53, 60, 51);
    assertThat(o.string(60)).isEqualTo("HTTPClient");
    assertThat(o.get(51)).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3, 4));
  }

  @Test
  void startsWithComparesBytesAsIso88591() {
    DhcpOptions o = DhcpOptions.builder().putString(60, "PXEClient:Arch:00007")
        .put(77, new byte[] {(byte) 0xE9, 'a'}).put(66, new byte[] {'P', 'X'}).build();
    assertThat(o.startsWith(60, "PXEClient")).isTrue();
    assertThat(o.startsWith(60, "HTTPClient")).isFalse();
    assertThat(o.startsWith(66, "PXEClient")).as("shorter value").isFalse();
    assertThat(o.startsWith(61, "")).as("absent option").isFalse();
    assertThat(o.startsWith(77, "\u00e9a")).isTrue();
    assertThat(o.startsWith(77, "\u0129")).as("a char beyond one byte never matches").isFalse();
  }

  @Test
  void zeroAddressesAreTheSharedAnyAndOthersAreNew() {
    assertThat(Ipv4.of(new byte[] {9, 0, 0, 0, 0}, 1)).isSameAs(Ipv4.ANY);
    assertThat(Ipv4.of(new byte[] {0, 0, 0, 1}, 0)).isEqualTo(Ipv4.parse("0.0.0.1"));
  }

  @Test
  void headerFieldsAreEncodedAsStringGetBytesWouldEncodeThem() {
    // Latin-1 as is; a character outside it becomes '?', and so does a surrogate pair.
    for (String file : new String[] {"", "undionly.kpxe", "caf\u00e9.efi", "a\u20acb",
        "x\ud83d\ude00y", "f".repeat(127)}) {
      byte[] wire = message(DhcpOptions.builder().putU8(53, 2).build(), file).toBytes(576);
      byte[] expected = new byte[128];
      byte[] name = file.getBytes(StandardCharsets.ISO_8859_1);
      System.arraycopy(name, 0, expected, 0, name.length);
      assertThat(java.util.Arrays.copyOfRange(wire, 108, 236)).as(file).containsExactly(expected);
    }
  }

  private static DhcpMessage message(DhcpOptions options, String file) {
    byte[] chaddr = new byte[16];
    chaddr[0] = 0x52;
    return new DhcpMessage(OpCode.BOOTREPLY, 1, 6, 0, 0x1234, 0, 0, Ipv4.ANY, Ipv4.ANY,
        Ipv4.parse("198.18.0.1"), Ipv4.ANY, chaddr, "", file, options);
  }

  /** Lengths are counted in encoded bytes: a surrogate pair is one '?', not two bytes. */
  @Test
  void encodersCountBytesNotChars() {
    String emoji = "boot \uD83D\uDE80";
    byte[] menu = PxeOptions.encodeBootMenu(java.util.List.of(new PxeOptions.MenuItem(0x8000, emoji),
        new PxeOptions.MenuItem(0, "Local")));
    assertThat(menu).hasSize(3 + 6 + 3 + 5);
    java.util.List<PxeOptions.MenuItem> back = PxeOptions.bootMenu(DhcpOptions.builder()
        .put(PxeOptions.BOOT_MENU, menu).build());
    assertThat(back).extracting(PxeOptions.MenuItem::description).containsExactly("boot ?", "Local");

    byte[] classes = UserClass.encode(java.util.List.of(emoji, "iPXE"));
    assertThat(classes).hasSize(1 + 6 + 1 + 4);
    assertThat(UserClass.decode(classes)).containsExactly("boot ?", "iPXE");
  }

  /** A length that does not fit its one-byte field is an error, never a wrapped length. */
  @Test
  void encodersRefuseWhatTheirLengthBytesCannotHold() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PxeOptions.encodeBootMenu(
        java.util.List.of(new PxeOptions.MenuItem(1, "x".repeat(256)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
    java.util.List<java.net.Inet4Address> many = java.util.Collections.nCopies(256, Ipv4.parse("10.0.0.1"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PxeOptions.encodeBootServers(
        java.util.List.of(new PxeOptions.BootServer(1, many))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("255");
  }
}
