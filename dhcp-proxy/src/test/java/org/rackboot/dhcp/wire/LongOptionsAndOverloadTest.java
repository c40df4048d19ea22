package org.rackboot.dhcp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.rackboot.dhcp.testing.Packets;

/** RFC 3396 (long options) and RFC 2132 9.3 (option overload) in both directions. */
class LongOptionsAndOverloadTest {

  @Test
  void splitOptionInstancesAreConcatenatedInOrder() {
    byte[] packet = Packets.start().ethernetRequestHeader().cookie()
        .hex("3501 01") // 53 DISCOVER
        .hex("43 03 616263") // 67 "abc"
        .hex("0c 02 6869") // 12 host name "hi" in between
        .hex("43 03 646566") // 67 again: "def" continues the same option (RFC 3396 section 5)
        .bytes(0xff).build();
    DhcpMessage m = DhcpMessage.decode(ByteBuffer.wrap(packet));
    assertThat(m.options().string(OptionDef.BOOTFILE_NAME)).isEqualTo("abcdef");
    assertThat(m.options().list()).extracting(DhcpOption::code).containsExactly(53, 67, 12);
  }

  @Test
  void optionsLongerThan255BytesAreSplitOnEncodeAndJoinedOnDecode() {
    byte[] url = new byte[600];
    Arrays.fill(url, (byte) 'x');
    DhcpMessage m = message(DhcpOptions.builder().putU8(53, 5).put(67, url).build(), "", "");
    byte[] wire = m.toBytes(1500);
    // 53 (3 bytes), then 67 as 255 + 255 + 90 bytes with a code/length pair each.
    int at = DhcpMessage.HEADER_LENGTH + 3;
    assertThat(wire[at] & 0xFF).isEqualTo(67);
    assertThat(wire[at + 1] & 0xFF).isEqualTo(255);
    assertThat(wire[at + 257] & 0xFF).isEqualTo(67);
    assertThat(wire[at + 258] & 0xFF).isEqualTo(255);
    assertThat(wire[at + 514] & 0xFF).isEqualTo(67);
    assertThat(wire[at + 515] & 0xFF).isEqualTo(90);
    assertThat(DhcpMessage.decode(ByteBuffer.wrap(wire))).isEqualTo(m);
  }

  @Test
  void overloadedFileAndSnameAreReadFileFirst() {
    byte[] packet = Packets.start()
        .op(1, 1, 6, 0).xid(7).secsFlags(0, 0).addresses(0, 0).chaddr("52:54:00:00:00:01")
        .field(64, "0c 03 736e61 ff") // sname: 12 host name "sna"
        .field(128, "3c 09 505845436c69656e74 0c 02 6d65 ff") // file: 60 PXEClient, 12 "me"
        .cookie()
        .hex("3501 01") // 53 DISCOVER
        .hex("3401 03") // 52 overload: file and sname both carry options
        .bytes(0xff).build();
    DhcpMessage m = DhcpMessage.decode(ByteBuffer.wrap(packet));
    assertThat(m.options().string(OptionDef.VENDOR_CLASS)).isEqualTo("PXEClient");
    // RFC 3396: options field, then file, then sname.
    assertThat(m.options().string(OptionDef.HOST_NAME)).isEqualTo("mesna");
    assertThat(m.file()).isEmpty();
    assertThat(m.sname()).isEmpty();
    assertThat(m.options().has(OptionDef.OVERLOAD)).isFalse();
  }

  @Test
  void encoderOverloadsIntoFileAndSnameWhenTheOptionsFieldIsFull() {
    DhcpOptions.Builder b = DhcpOptions.builder().putU8(53, 2);
    for (int code = 128; code <= 135; code++) {
      byte[] v = new byte[50];
      Arrays.fill(v, (byte) code);
      b.put(code, v);
    }
    DhcpMessage m = message(b.build(), "", "");
    byte[] wire = m.toBytes(576);
    assertThat(wire).hasSizeLessThanOrEqualTo(576);
    DhcpMessage back = DhcpMessage.decode(ByteBuffer.wrap(wire));
    assertThat(back).isEqualTo(m);
    // The file field now starts with an option, not a name.
    assertThat(wire[108] & 0xFF).isBetween(128, 135);
  }

  @Test
  void encoderRefusesWhatCannotFitEvenWithOverload() {
    byte[] big = new byte[1000];
    DhcpMessage m = message(DhcpOptions.builder().putU8(53, 2).put(43, big).build(), "f", "");
    assertThatThrownBy(() -> m.toBytes(576)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("do not fit");
  }

  @Test
  void encodedMessagesArePaddedTo300Bytes() {
    assertThat(message(DhcpOptions.builder().putU8(53, 2).build(), "", "").toBytes(576))
        .hasSize(DhcpMessage.MIN_ENCODED_LENGTH);
  }

  @Test
  void userClassAcceptsRfc3004AndIpxesBareString() {
    assertThat(UserClass.decode(new byte[] {'i', 'P', 'X', 'E'})).containsExactly("iPXE");
    byte[] rfc = UserClass.encode(List.of("iPXE", "rack7"));
    assertThat(rfc).containsExactly(4, 'i', 'P', 'X', 'E', 5, 'r', 'a', 'c', 'k', '7');
    assertThat(UserClass.decode(rfc)).containsExactly("iPXE", "rack7");
    assertThat(UserClass.isRfc3004(rfc)).isTrue();
  }

  @Test
  void smbiosUuidSwapsTheFirstThreeFields() {
    UUID u = UUID.fromString("4c414230-0000-4000-8000-525400773911");
    byte[] opt = SmbiosUuid.toOption97(u);
    assertThat(opt).containsExactly(0x00, 0x30, 0x42, 0x41, 0x4c, 0x00, 0x00, 0x00, 0x40, 0x80,
        0x00, 0x52, 0x54, 0x00, 0x77, 0x39, 0x11);
    assertThat(SmbiosUuid.fromOption97(opt)).isEqualTo(u);
    assertThat(SmbiosUuid.fromOption97(new byte[] {1, 2})).isNull();
  }

  @Test
  void macAddressParsesAndFormats() {
    MacAddress m = MacAddress.parse("52-54-00-AA-bb-0C");
    assertThat(m).hasToString("52:54:00:aa:bb:0c");
    assertThat(m.format("-")).isEqualTo("52-54-00-aa-bb-0c");
    assertThat(MacAddress.of(m.toBytes())).isEqualTo(m);
    assertThatThrownBy(() -> MacAddress.parse("52:54:00")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void enumsRefuseGarbageAndMapUnknownLegalCodes() {
    assertThat(MessageType.of(200)).isEqualTo(MessageType.UNKNOWN);
    assertThatThrownBy(() -> MessageType.of(256)).isInstanceOf(MalformedPacketException.class);
    assertThatThrownBy(() -> OpCode.of(3)).isInstanceOf(MalformedPacketException.class)
        .hasMessage("op: expected 1 (BOOTREQUEST) or 2 (BOOTREPLY), got 3");
    assertThat(OptionDef.of(93).name()).isEqualTo("client-arch");
    assertThat(OptionDef.of(250).known()).isFalse();
  }

  private static DhcpMessage message(DhcpOptions options, String sname, String file) {
    return new DhcpMessage(OpCode.BOOTREPLY, 1, 6, 0, 42, 0, 0x8000, Ipv4.ANY, Ipv4.ANY,
        Ipv4.parse("10.0.0.1"), Ipv4.ANY, Arrays.copyOf(MacAddress.parse("52:54:00:00:00:01")
            .toBytes(), 16), sname, file, options);
  }
}
