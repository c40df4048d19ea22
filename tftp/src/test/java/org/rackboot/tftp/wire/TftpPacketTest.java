package org.rackboot.tftp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vectors written from RFC 1350 section 5, RFC 2347, 2348, 2349 and 7440. */
class TftpPacketTest {

  static TftpPacket decode(String hex) {
    return TftpPacket.decode(ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", ""))));
  }

  static String encode(TftpPacket p) {
    ByteBuffer b = ByteBuffer.allocate(70000);
    p.encode(b);
    return HexFormat.of().formatHex(Arrays.copyOf(b.array(), b.position()));
  }

  static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void readRequestOctet() {
    // opcode 1 | "pxelinux.0" NUL | "octet" NUL
    String v = "0001" + hex("pxelinux.0") + "00" + hex("octet") + "00";
    TftpPacket p = decode(v);
    assertThat(p).isEqualTo(new Request(Opcode.RRQ, "pxelinux.0", Mode.OCTET, Map.of()));
    assertThat(encode(p)).isEqualTo(v);
  }

  @Test
  void modeIsCaseInsensitive() {
    // RFC 1350 section 5: "NETASCII" and "netascii" are the same mode.
    Request r = (Request) decode("0001" + hex("a") + "00" + hex("NetASCII") + "00");
    assertThat(r.mode()).isEqualTo(Mode.NETASCII);
  }

  @Test
  void readRequestWithOptionsAsEdk2SendsThem() {
    // RFC 2347: opt1 NUL value1 NUL ...; the EDK2 request from lab/FINDINGS.md.
    String v = "0001" + hex("ipxe.efi") + "00" + hex("octet") + "00"
        + hex("tsize") + "00" + hex("0") + "00"
        + hex("blksize") + "00" + hex("1468") + "00"
        + hex("windowsize") + "00" + hex("4") + "00";
    Request r = (Request) decode(v);
    assertThat(r.options()).containsExactly(Map.entry("tsize", "0"),
        Map.entry("blksize", "1468"), Map.entry("windowsize", "4"));
    assertThat(encode(r)).isEqualTo(v);
  }

  @Test
  void optionNamesAreCaseInsensitiveAndTheFirstOfARepeatWins() {
    Request r = (Request) decode("0001" + hex("a") + "00" + hex("octet") + "00"
        + hex("BlkSize") + "00" + hex("1024") + "00" + hex("blksize") + "00" + hex("8") + "00");
    assertThat(r.options()).containsExactly(Map.entry("blksize", "1024"));
  }

  @Test
  void trailingNulPaddingIsTolerated() {
    Request r = (Request) decode("0001" + hex("a") + "00" + hex("octet") + "00" + "000000");
    assertThat(r.options()).isEmpty();
  }

  @Test
  void writeRequest() {
    assertThat(decode("0002" + hex("x") + "00" + hex("octet") + "00").opcode())
        .isEqualTo(Opcode.WRQ);
  }

  @Test
  void dataBlockRoundTrip() {
    // opcode 3 | block 0x0001 | 3 bytes of data
    String v = "0003 0001 616263";
    Data d = (Data) decode(v);
    assertThat(d.block()).isEqualTo(1);
    assertThat(d.payload()).containsExactly('a', 'b', 'c');
    assertThat(encode(d)).isEqualTo(v.replace(" ", ""));
  }

  @Test
  void emptyDataBlockEndsATransfer() {
    assertThat(((Data) decode("0003 ffff")).payload()).isEmpty();
  }

  @Test
  void ackRoundTrip() {
    assertThat(decode("0004 fffe")).isEqualTo(new Ack(65534));
    assertThat(encode(new Ack(0))).isEqualTo("00040000");
  }

  @Test
  void errorRoundTrip() {
    // opcode 5 | code 1 | "File not found" NUL
    String v = "0005 0001" + hex("File not found") + "00";
    ErrorPacket e = (ErrorPacket) decode(v);
    assertThat(e.code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
    assertThat(e.message()).isEqualTo("File not found");
    assertThat(encode(e)).isEqualTo(v.replace(" ", ""));
  }

  @Test
  void errorWithoutTerminatingNulIsReadLeniently() {
    ErrorPacket e = (ErrorPacket) decode("0005 0008" + hex("abort"));
    assertThat(e.code()).isEqualTo(ErrorCode.OPTION_REFUSED);
    assertThat(e.message()).isEqualTo("abort");
  }

  @Test
  void undefinedErrorCodeIsUnknownNotAnException() {
    assertThat(((ErrorPacket) decode("0005 0063 00")).code()).isEqualTo(ErrorCode.UNKNOWN);
  }

  @Test
  void optionAckRoundTrip() {
    // RFC 2347: opcode 6 | opt1 NUL value1 NUL
    String v = "0006" + hex("blksize") + "00" + hex("1468") + "00" + hex("tsize") + "00"
        + hex("850528") + "00";
    Map<String, String> o = new LinkedHashMap<>();
    o.put("blksize", "1468");
    o.put("tsize", "850528");
    assertThat(decode(v)).isEqualTo(new OptionAck(o));
    assertThat(encode(new OptionAck(o))).isEqualTo(v);
  }

  @Test
  void undefinedOpcodeIsUnknownPacket() {
    assertThat(decode("0009 1234")).isEqualTo(new UnknownPacket(9));
    assertThat(Opcode.of(7)).isEqualTo(Opcode.UNKNOWN);
  }

  @Test
  void opcodeOfRefusesNon16BitValues() {
    assertThatThrownBy(() -> Opcode.of(65536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Opcode.of(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  // One test per malformed input, bytes commented field by field.

  @Test
  void emptyDatagram() {
    assertThatThrownBy(() -> decode(""))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessage("expected 2-byte opcode, got 0 bytes");
  }

  @Test
  void oneByteDatagram() {
    assertThatThrownBy(() -> decode("00")).hasMessage("expected 2-byte opcode, got 1 bytes");
  }

  @Test
  void requestWithoutFilenameNul() {
    // opcode 1 | "abc" (no NUL)
    assertThatThrownBy(() -> decode("0001" + hex("abc")))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessage("expected NUL-terminated filename, got 3 bytes with no NUL before the end");
  }

  @Test
  void requestWithoutMode() {
    // opcode 1 | "abc" NUL | (nothing)
    assertThatThrownBy(() -> decode("0001" + hex("abc") + "00"))
        .hasMessage("expected NUL-terminated mode, got 0 bytes with no NUL before the end");
  }

  @Test
  void requestWithUnterminatedMode() {
    // opcode 1 | "abc" NUL | "oct" (no NUL)
    assertThatThrownBy(() -> decode("0001" + hex("abc") + "00" + hex("oct")))
        .hasMessageStartingWith("expected NUL-terminated mode");
  }

  @Test
  void requestWithUnknownMode() {
    // opcode 1 | "abc" NUL | "binary" NUL: "binary" is a client-side alias, not a wire mode
    assertThatThrownBy(() -> decode("0001" + hex("abc") + "00" + hex("binary") + "00"))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessage("expected mode netascii, octet or mail, got 'binary'");
  }

  @Test
  void optionWithoutValue() {
    // opcode 1 | "a" NUL | "octet" NUL | "blksize" NUL | (no value)
    assertThatThrownBy(() -> decode("0001" + hex("a") + "00" + hex("octet") + "00"
        + hex("blksize") + "00"))
        .hasMessage("expected a value for option 'blksize', got end of packet");
  }

  @Test
  void optionValueWithoutNul() {
    // ... | "blksize" NUL | "1468" (no NUL)
    assertThatThrownBy(() -> decode("0001" + hex("a") + "00" + hex("octet") + "00"
        + hex("blksize") + "00" + hex("1468")))
        .hasMessageStartingWith("expected NUL-terminated value of option 'blksize'");
  }

  @Test
  void truncatedAck() {
    // opcode 4 | one byte of block number
    assertThatThrownBy(() -> decode("0004 01")).hasMessage("expected 2-byte block number, got 1 bytes");
  }

  @Test
  void truncatedData() {
    assertThatThrownBy(() -> decode("0003")).hasMessage("expected 2-byte block number, got 0 bytes");
  }

  @Test
  void truncatedError() {
    assertThatThrownBy(() -> decode("0005 00")).hasMessage("expected 2-byte error code, got 1 bytes");
  }

  @Test
  void oackWithDanglingName() {
    assertThatThrownBy(() -> decode("0006" + hex("tsize") + "00"))
        .hasMessage("expected a value for option 'tsize', got end of packet");
  }
}
