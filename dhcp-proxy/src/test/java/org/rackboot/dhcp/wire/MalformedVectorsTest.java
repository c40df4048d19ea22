package org.rackboot.dhcp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rackboot.dhcp.pxe.DefaultBootPolicy;
import org.rackboot.dhcp.pxe.MacRateLimiter;
import org.rackboot.dhcp.pxe.ProxyDhcpEngine;
import org.rackboot.dhcp.pxe.ProxyDhcpStats;
import org.rackboot.dhcp.pxe.ServedInterface;
import org.rackboot.dhcp.testing.Packets;
import org.rackboot.dhcp.testing.Vectors;

/**
 * One named vector per kind of bad input. Each is refused by the decoder (or by the proxy's
 * validation) with a message saying what was expected, and the engine drops it, counts it as
 * malformed and answers nothing.
 */
class MalformedVectorsTest {

  /** The PXE options of a real EDK2 DISCOVER, so only the broken part is wrong. */
  private static final String PXE_OPTIONS =
      "3501 01" // 53 message type DISCOVER
          + "5d02 0007" // 93 client arch 7
          + "3c09 505845436c69656e74"; // 60 "PXEClient"

  static byte[] truncated() {
    // The first 100 bytes of a real DISCOVER: the header stops inside chaddr.
    return Arrays.copyOf(Vectors.bytes("edk2-uefi-discover"), 100);
  }

  static byte[] badCookie() {
    return Packets.start().ethernetRequestHeader()
        .bytes(0x63, 0x82, 0x53, 0x64) // cookie 63825364: last byte off by one
        .hex(PXE_OPTIONS).bytes(0xff).build();
  }

  static byte[] optionLengthPastEnd() {
    return Packets.start().ethernetRequestHeader().cookie()
        .hex("3501 01") // 53 DISCOVER
        .hex("3c 40 505845") // 60, length 64, but only 3 bytes follow
        .build();
  }

  static byte[] overloadLoop() {
    return Packets.start()
        .op(1, 1, 6, 0).xid(1).secsFlags(0, 0).addresses(0, 0).chaddr("52:54:00:00:00:01")
        .field(64, "") // sname: empty
        .field(128, "340103 ff") // file: option 52 = 3 again -> would read file/sname forever
        .cookie()
        .hex(PXE_OPTIONS)
        .hex("340101") // 52 overload: options continue in file
        .bytes(0xff).build();
  }

  static byte[] datagram64KiB() {
    byte[] real = Vectors.bytes("edk2-uefi-discover");
    return Arrays.copyOf(real, 65507); // a valid DISCOVER followed by zero padding to 64 KiB
  }

  static byte[] bootReply() {
    return Packets.start()
        .op(2, 1, 6, 0) // op 2 = BOOTREPLY, sent to a server port
        .xid(1).secsFlags(0, 0).addresses(0, 0).chaddr("52:54:00:00:00:01").zeros(192)
        .cookie().hex(PXE_OPTIONS).bytes(0xff).build();
  }

  static byte[] unknownHardwareType() {
    return Packets.start()
        .op(1, 0x99, 6, 0) // htype 0x99: no such ARP hardware type
        .xid(1).secsFlags(0, 0).addresses(0, 0).chaddr("52:54:00:00:00:01").zeros(192)
        .cookie().hex(PXE_OPTIONS).bytes(0xff).build();
  }

  static byte[] hardwareLengthNot6() {
    return Packets.start()
        .op(1, 1, 8, 0) // Ethernet, but hlen 8
        .xid(1).secsFlags(0, 0).addresses(0, 0).chaddr("52:54:00:00:00:01").zeros(192)
        .cookie().hex(PXE_OPTIONS).bytes(0xff).build();
  }

  static byte[] hardwareLengthPast16() {
    return Packets.start()
        .op(1, 1, 17, 0) // hlen 17: longer than the 16-byte chaddr field
        .xid(1).secsFlags(0, 0).addresses(0, 0).chaddr("52:54:00:00:00:01").zeros(192)
        .cookie().hex(PXE_OPTIONS).bytes(0xff).build();
  }

  static byte[] badOverloadValue() {
    return Packets.start().ethernetRequestHeader().cookie().hex(PXE_OPTIONS)
        .hex("340104") // 52 overload = 4: only 1, 2 and 3 exist
        .bytes(0xff).build();
  }

  @Test
  void truncatedPacket() {
    assertDecoderRefuses(truncated(), "datagram length: expected at least 240 bytes");
  }

  @Test
  void wrongMagicCookie() {
    assertDecoderRefuses(badCookie(), "magic cookie: expected 63825363, got 63825364");
  }

  @Test
  void optionLengthPastTheEnd() {
    assertDecoderRefuses(optionLengthPastEnd(), "options option 60 length: expected at most 3");
  }

  @Test
  void optionOverloadLoop() {
    assertDecoderRefuses(overloadLoop(), "file option 52 (overload): expected only in the options");
  }

  @Test
  void overloadValueOutOfRange() {
    assertDecoderRefuses(badOverloadValue(), "option 52 (overload) value");
  }

  @Test
  void datagramOf64KiB() {
    assertDecoderRefuses(datagram64KiB(), "datagram length: expected at most 1500 bytes, got 65507");
  }

  @Test
  void hardwareLengthLongerThanChaddr() {
    assertDecoderRefuses(hardwareLengthPast16(), "hlen: expected at most 16, got 17");
  }

  @Test
  void bootReplyDecodesButTheProxyDropsIt() {
    assertThat(DhcpMessage.decode(ByteBuffer.wrap(bootReply())).op()).isEqualTo(OpCode.BOOTREPLY);
    assertEngineDrops(bootReply());
  }

  @Test
  void unknownHardwareTypeDecodesButTheProxyDropsIt() {
    assertThat(HardwareType.of(DhcpMessage.decode(ByteBuffer.wrap(unknownHardwareType())).htype()))
        .isEqualTo(HardwareType.UNKNOWN);
    assertEngineDrops(unknownHardwareType());
  }

  @Test
  void ethernetWithWrongHardwareLengthIsDropped() {
    assertEngineDrops(hardwareLengthNot6());
  }

  @Test
  void everyDecoderRefusalIsDroppedAndCountedByTheEngine() {
    for (byte[] bad : List.of(truncated(), badCookie(), optionLengthPastEnd(), overloadLoop(),
        badOverloadValue(), datagram64KiB(), hardwareLengthPast16())) {
      assertEngineDrops(bad);
    }
  }

  @Test
  void theBaseOfTheseVectorsIsItselfValid() {
    byte[] good = Packets.start().ethernetRequestHeader().cookie().hex(PXE_OPTIONS).bytes(0xff)
        .build();
    ProxyDhcpStats stats = new ProxyDhcpStats();
    assertThat(engine(stats).handle(ByteBuffer.wrap(good), new InetSocketAddress("0.0.0.0", 68),
        null, false)).hasSize(1);
    assertThat(stats.malformedCount()).isZero();
  }

  private static void assertDecoderRefuses(byte[] packet, String messageStart) {
    assertThatThrownBy(() -> DhcpMessage.decode(ByteBuffer.wrap(packet)))
        .isInstanceOf(MalformedPacketException.class)
        .hasMessageStartingWith(messageStart);
  }

  private static void assertEngineDrops(byte[] packet) {
    ProxyDhcpStats stats = new ProxyDhcpStats();
    List<ProxyDhcpEngine.Outbound> out = engine(stats).handle(ByteBuffer.wrap(packet),
        new InetSocketAddress("0.0.0.0", 68), null, false);
    assertThat(out).isEmpty();
    assertThat(stats.malformedCount()).isEqualTo(1);
    assertThat(stats.offers() + stats.acks()).isZero();
  }

  private static ProxyDhcpEngine engine(ProxyDhcpStats stats) {
    return new ProxyDhcpEngine(DefaultBootPolicy.withDefaults(),
        List.of(new ServedInterface("br0", Ipv4.parse("10.77.0.1"), 24)), List.of(),
        ProxyDhcpEngine.Ports.STANDARD, MacRateLimiter.unlimited(), stats);
  }
}
