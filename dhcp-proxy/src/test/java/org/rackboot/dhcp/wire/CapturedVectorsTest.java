package org.rackboot.dhcp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rackboot.dhcp.testing.Vectors;

/**
 * Every captured packet decodes to its golden text rendering (vectors/NAME.txt) and round-trips.
 * Run with -Drackboot.updateGolden=true to rewrite the golden files after a deliberate change,
 * then review the diff.
 */
class CapturedVectorsTest {

  static Stream<String> vectors() {
    return Vectors.ALL.stream();
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void decodesToGoldenText(String name) throws IOException {
    DhcpMessage m = DhcpMessage.decode(ByteBuffer.wrap(Vectors.bytes(name)));
    String rendered = DhcpText.render(m);
    if (Boolean.getBoolean("rackboot.updateGolden")) {
      Files.writeString(Path.of("src/test/resources/vectors", name + ".txt"), rendered,
          StandardCharsets.UTF_8);
    }
    assertThat(rendered).isEqualTo(Vectors.text(name + ".txt"));
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void roundTripsToAnEqualMessageAndTheSameOptionBytes(String name) {
    byte[] original = Vectors.bytes(name);
    DhcpMessage m = DhcpMessage.decode(ByteBuffer.wrap(original));
    byte[] encoded = m.toBytes(1500);
    assertThat(DhcpMessage.decode(ByteBuffer.wrap(encoded))).isEqualTo(m);
    // None of the captures uses overload, PAD between options or a repeated code, so the bytes
    // up to and including END are identical; only the zero padding after END may differ.
    int end = endOfOptions(original);
    assertThat(Arrays.copyOf(encoded, end)).isEqualTo(Arrays.copyOf(original, end));
    assertThat(encoded.length).isGreaterThanOrEqualTo(Math.min(end, 300));
  }

  private static int endOfOptions(byte[] p) {
    int i = DhcpMessage.HEADER_LENGTH;
    while (p[i] != (byte) OptionDef.END) {
      i += 2 + (p[i + 1] & 0xFF);
    }
    return i + 1;
  }

  @Test
  void edk2DiscoverHasArch7NoClientIdAndTheSmbiosUuid() {
    DhcpMessage m = DhcpMessage.decode(ByteBuffer.wrap(Vectors.bytes("edk2-uefi-discover")));
    assertThat(m.messageType()).isEqualTo(MessageType.DISCOVER);
    assertThat(m.options().u16(OptionDef.CLIENT_ARCH, -1)).isEqualTo(7);
    assertThat(m.options().has(OptionDef.CLIENT_ID)).isFalse();
    assertThat(m.options().has(OptionDef.USER_CLASS)).isFalse();
    assertThat(m.broadcastFlag()).isTrue();
    assertThat(m.mac()).isEqualTo(MacAddress.parse("52:54:00:77:39:11"));
    // The VM ran with -uuid 4c414230-0000-4000-8000-<mac>; option 97 has it in SMBIOS order.
    assertThat(SmbiosUuid.fromOption97(m.options().get(OptionDef.CLIENT_UUID).orElseThrow()))
        .isEqualTo(UUID.fromString("4c414230-0000-4000-8000-525400773911"));
    assertThat(m.options().string(OptionDef.VENDOR_CLASS))
        .isEqualTo("PXEClient:Arch:00007:UNDI:003000");
  }

  @Test
  void ipxeSendsItsUserClassAsABareString() {
    DhcpMessage m = DhcpMessage.decode(ByteBuffer.wrap(Vectors.bytes("ipxe-efi-discover")));
    byte[] uc = m.options().get(OptionDef.USER_CLASS).orElseThrow();
    assertThat(uc).containsExactly(0x69, 0x50, 0x58, 0x45);
    assertThat(UserClass.isRfc3004(uc)).isFalse();
    assertThat(UserClass.decode(uc)).containsExactly("iPXE");
    DhcpOptions ipxe = DhcpOptions.decodeEncapsulated(
        m.options().get(OptionDef.IPXE_ENCAP).orElseThrow(), "option 175");
    // 175.177 bus-id: PCI (1) 1af4:1041, the modern virtio-net the lab uses.
    assertThat(ipxe.get(177).orElseThrow()).containsExactly(1, 0x1a, 0xf4, 0x10, 0x41);
    assertThat(ipxe.u8(0x24, -1)).isEqualTo(1); // feature EFI
  }

  @Test
  void dnsmasqBiosOfferCarriesAPxeMenu() {
    DhcpMessage m =
        DhcpMessage.decode(ByteBuffer.wrap(Vectors.bytes("dnsmasq-proxy-offer-bios-menu")));
    assertThat(m.op()).isEqualTo(OpCode.BOOTREPLY);
    assertThat(Ipv4.isAny(m.yiaddr())).isTrue();
    DhcpOptions pxe = DhcpOptions.decodeEncapsulated(
        m.options().get(OptionDef.VENDOR_SPECIFIC).orElseThrow(), "option 43");
    assertThat(PxeOptions.discoveryControl(pxe)).isEqualTo(3);
    assertThat(PxeOptions.bootMenu(pxe)).isNotEmpty();
    assertThat(PxeOptions.menuPrompt(pxe).timeout()).isZero();
    assertThat(PxeOptions.bootServers(pxe)).isNotEmpty();
  }

  @Test
  void ipxeBootServerRequestAsksForABootItem() {
    DhcpMessage m =
        DhcpMessage.decode(ByteBuffer.wrap(Vectors.bytes("ipxe-bios-pxebs-request-4011")));
    PxeOptions.BootItem item = PxeOptions.bootItem(DhcpOptions.decodeEncapsulated(
        m.options().get(OptionDef.VENDOR_SPECIFIC).orElseThrow(), "option 43"));
    assertThat(item).isEqualTo(new PxeOptions.BootItem(0x8003, 0));
    assertThat(m.xid()).isZero();
  }

  @Test
  void file43OfferHasDiscoveryControlUseBootFile() {
    DhcpMessage m =
        DhcpMessage.decode(ByteBuffer.wrap(Vectors.bytes("proxydhcp-py-offer-file43")));
    assertThat(m.options().get(OptionDef.VENDOR_SPECIFIC).orElseThrow())
        .containsExactly(0x06, 0x01, 0x08, 0xff);
    assertThat(m.file()).isEqualTo("ipxe.efi");
  }
}
