package org.rackboot.dhcp.pxe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rackboot.dhcp.pxe.ProxyDhcpEngine.Outbound;
import org.rackboot.dhcp.testing.Vectors;
import org.rackboot.dhcp.wire.DhcpMessage;
import org.rackboot.dhcp.wire.DhcpOptions;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.dhcp.wire.MessageType;
import org.rackboot.dhcp.wire.OpCode;
import org.rackboot.dhcp.wire.OptionDef;

/** The service loop fed with real captured requests; no sockets. */
class ProxyDhcpEngineTest {

  private static final Inet4Address LAB = Ipv4.parse("10.77.0.1");
  private static final ServedInterface BR = new ServedInterface("br0", LAB, 24);
  private static final InetSocketAddress UNADDRESSED = new InetSocketAddress("0.0.0.0", 68);

  private final ProxyDhcpStats stats = new ProxyDhcpStats();
  private final List<BootRequest> seen = new ArrayList<>();
  private final BootPolicy recording = r -> {
    seen.add(r);
    return DefaultBootPolicy.withDefaults().decide(r);
  };

  private ProxyDhcpEngine engine(BootPolicy policy, List<ServedInterface> ifs) {
    return new ProxyDhcpEngine(policy, ifs, List.of(Subnet.parse("10.99.0.0/16")),
        ProxyDhcpEngine.Ports.STANDARD, MacRateLimiter.unlimited(), stats);
  }

  private List<Outbound> handle(String vector, InetSocketAddress from, Inet4Address on,
      boolean port4011) {
    return engine(recording, List.of(BR)).handle(ByteBuffer.wrap(Vectors.bytes(vector)), from, on,
        port4011);
  }

  private static DhcpMessage decode(Outbound o) {
    return DhcpMessage.decode(ByteBuffer.wrap(o.payload()));
  }

  @Test
  void edk2DiscoverGetsABroadcastProxyOfferThatEdk2Uses() {
    List<Outbound> out = handle("edk2-uefi-discover", UNADDRESSED, null, false);
    assertThat(out).hasSize(1);
    Outbound o = out.get(0);
    assertThat(o.to()).isEqualTo(new InetSocketAddress("255.255.255.255", 68));
    assertThat(o.from()).isEqualTo(LAB);
    assertThat(o.bootServerSocket()).isFalse();
    DhcpMessage offer = decode(o);
    assertThat(offer.op()).isEqualTo(OpCode.BOOTREPLY);
    assertThat(offer.messageType()).isEqualTo(MessageType.OFFER);
    assertThat(Ipv4.isAny(offer.yiaddr())).as("a proxy never assigns an address").isTrue();
    assertThat(offer.siaddr()).isEqualTo(LAB);
    assertThat(offer.file()).isEqualTo("ipxe.efi");
    assertThat(offer.xid()).isEqualTo(0xd3696e71);
    assertThat(offer.options().ipv4(OptionDef.SERVER_ID)).isEqualTo(LAB);
    assertThat(offer.options().string(OptionDef.VENDOR_CLASS)).isEqualTo("PXEClient");
    // Without 43 = 06 01 08 ff, EDK2 ignores the boot file and asks on 4011.
    assertThat(offer.options().get(OptionDef.VENDOR_SPECIFIC).orElseThrow())
        .containsExactly(0x06, 0x01, 0x08, 0xff);
    assertThat(offer.options().get(OptionDef.CLIENT_UUID)).isPresent();
    assertThat(stats.offers()).isEqualTo(1);
    assertThat(stats.requests(MessageType.DISCOVER)).isEqualTo(1);
    assertThat(stats.requestsByArch(7)).isEqualTo(1);
  }

  @Test
  void thePolicySeesTheNormalizedRequest() {
    handle("edk2-uefi-discover", UNADDRESSED, null, false);
    BootRequest r = seen.get(0);
    assertThat(r.mac()).hasToString("52:54:00:77:39:11");
    assertThat(r.uuid()).isEqualTo(UUID.fromString("4c414230-0000-4000-8000-525400773911"));
    assertThat(r.arch()).isEqualTo(7);
    assertThat(r.clientArch()).isEqualTo(ClientArch.EFI_BC);
    assertThat(r.nic()).isEqualTo(new NetworkInterfaceId(1, 3, 0));
    assertThat(r.userClasses()).isEmpty();
    assertThat(r.localAddress()).isEqualTo(LAB);
    assertThat(r.relayAddress()).isNull();
  }

  @Test
  void withoutDiscoveryControlTheOfferHasNoOption43SoEdk2AsksOn4011() {
    ProxyDhcpEngine e = new ProxyDhcpEngine(recording, List.of(BR), List.of(),
        ProxyDhcpEngine.Ports.STANDARD, MacRateLimiter.unlimited(), stats, false);
    DhcpMessage offer = decode(e.handle(ByteBuffer.wrap(Vectors.bytes("edk2-uefi-discover")),
        UNADDRESSED, null, false).get(0));
    assertThat(offer.options().has(OptionDef.VENDOR_SPECIFIC)).isFalse();
    DhcpMessage ack = decode(e.handle(
        ByteBuffer.wrap(Vectors.bytes("edk2-uefi-binl-request-4011")),
        new InetSocketAddress("10.77.0.189", 4011), LAB, true).get(0));
    assertThat(ack.file()).isEqualTo("ipxe.efi");
    assertThat(ack.options().has(OptionDef.VENDOR_SPECIFIC)).isTrue();
  }

  @Test
  void edk2BootServerRequestOn4011IsAnsweredUnicastToItsSourcePort() {
    InetSocketAddress client = new InetSocketAddress("10.77.0.189", 4011);
    List<Outbound> out = handle("edk2-uefi-binl-request-4011", client, LAB, true);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).to()).isEqualTo(client);
    assertThat(out.get(0).bootServerSocket()).isTrue();
    DhcpMessage ack = decode(out.get(0));
    assertThat(ack.messageType()).isEqualTo(MessageType.ACK);
    assertThat(ack.file()).isEqualTo("ipxe.efi");
    assertThat(ack.ciaddr()).isEqualTo(Ipv4.parse("10.77.0.189"));
    assertThat(Ipv4.isAny(ack.yiaddr())).isTrue();
    assertThat(stats.acks()).isEqualTo(1);
  }

  @Test
  void ipxeIsToldItsScriptUrl() {
    List<Outbound> out = handle("ipxe-efi-discover", UNADDRESSED, null, false);
    assertThat(decode(out.get(0)).file())
        .isEqualTo("http://10.77.0.1:8080/boot/ipxe?mac=52:54:00:77:39:11");
  }

  @Test
  void ipxeProxyRequestOn4011GetsAnAckFromPort68Source() {
    InetSocketAddress client = new InetSocketAddress("10.77.0.189", 68);
    List<Outbound> out = handle("ipxe-efi-proxy-request-4011", client, LAB, true);
    assertThat(out.get(0).to()).isEqualTo(client);
    assertThat(decode(out.get(0)).file()).startsWith("http://10.77.0.1:8080/boot/ipxe");
  }

  @Test
  void bootServerRequestForABootItemGetsTheItemEchoed() {
    InetSocketAddress client = new InetSocketAddress("10.77.0.187", 68);
    DhcpMessage ack = decode(handle("ipxe-bios-pxebs-request-4011", client, LAB, true).get(0));
    DhcpOptions pxe = DhcpOptions.decodeEncapsulated(
        ack.options().get(OptionDef.VENDOR_SPECIFIC).orElseThrow(), "43");
    assertThat(PxeOptionsView.bootItem(pxe)).isEqualTo("32771/0");
  }

  @Test
  void aRequestToTheSiteServerIsNotOursButTellsTheClientsAddress() {
    List<String> told = new ArrayList<>();
    BootPolicy listening = new BootPolicy() {
      @Override
      public BootDecision decide(BootRequest r) {
        return recording.decide(r);
      }

      @Override
      public void addressRequested(MacAddress mac, Inet4Address address) {
        told.add(mac + " " + address.getHostAddress());
      }
    };
    byte[] request = Vectors.bytes("edk2-uefi-request");
    DhcpMessage m = DhcpMessage.decode(ByteBuffer.wrap(request));
    Inet4Address asked = m.options().ipv4(OptionDef.REQUESTED_IP);
    assertThat(asked).as("the vector asks for an address").isNotNull();

    assertThat(engine(listening, List.of(BR)).handle(ByteBuffer.wrap(request), UNADDRESSED, null,
        false)).isEmpty();
    assertThat(stats.ignoredCount(IgnoreReason.OTHER_SERVER)).isEqualTo(1);
    assertThat(seen).as("no decision is made").isEmpty();
    assertThat(told).containsExactly(m.mac() + " " + asked.getHostAddress());
  }

  @Test
  void nonPxeClientsAreIgnored() {
    assertThat(handle("linux-udhcpc-discover", UNADDRESSED, null, false)).isEmpty();
    assertThat(stats.ignoredCount(IgnoreReason.NOT_PXE)).isEqualTo(1);
    assertThat(stats.malformedCount()).isZero();
  }

  @Test
  void repliesAreNeverAnsweredAsRequests() {
    assertThat(handle("dnsmasq-proxy-offer-efi", UNADDRESSED, null, false)).isEmpty();
    assertThat(stats.malformedCount()).isEqualTo(1);
  }

  @Test
  void relayedRequestsAreAnsweredToTheRelayOnPort67() {
    byte[] relayed = withGiaddr(Vectors.bytes("edk2-uefi-discover"), "10.99.3.1");
    List<Outbound> out = engine(recording, List.of(BR)).handle(ByteBuffer.wrap(relayed),
        new InetSocketAddress("10.99.3.1", 67), LAB, false);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).to()).isEqualTo(new InetSocketAddress("10.99.3.1", 67));
    DhcpMessage offer = decode(out.get(0));
    assertThat(offer.giaddr()).isEqualTo(Ipv4.parse("10.99.3.1"));
    assertThat(offer.siaddr()).isEqualTo(LAB);
    assertThat(seen.get(0).relayAddress()).isEqualTo(Ipv4.parse("10.99.3.1"));
  }

  /** RFC 3046 2.2: the relay agent information a relay added comes back whole, as the last option. */
  @Test
  void relayAgentInformationIsEchoedLastToTheRelay() {
    byte[] agent = {1, 4, 'p', 'o', 'r', 't', 2, 3, 's', 'w', '1'};
    List<Outbound> out = engine(recording, List.of(BR)).handle(
        ByteBuffer.wrap(relayedWithAgent(agent)), new InetSocketAddress("10.99.3.1", 67),
        LAB, false);
    DhcpMessage offer = decode(out.get(0));
    assertThat(offer.options().get(OptionDef.RELAY_AGENT_INFO)).hasValue(agent);
    assertThat(offer.options().list().get(offer.options().list().size() - 1).code())
        .isEqualTo(OptionDef.RELAY_AGENT_INFO);
    assertThat(seen.get(0).circuitId()).containsExactly('p', 'o', 'r', 't');
    // On the wire too: the encoded options end with 82, then END.
    byte[] wire = out.get(0).payload();
    int end = lastIndexOf(wire, (byte) OptionDef.END);
    assertThat(wire[end - agent.length - 2]).isEqualTo((byte) OptionDef.RELAY_AGENT_INFO);
  }

  /** A reply that needs option overload keeps option 82 in the options field, where relays look. */
  @Test
  void relayAgentInformationStaysInTheOptionsFieldOfAnOverloadedReply() {
    byte[] agent = new byte[60];
    agent[0] = 1;
    agent[1] = 58;
    String url = "http://10.77.0.1:8080/" + "x".repeat(150);
    List<Outbound> out = engine(r -> new BootDecision.Boot(null, url, List.of(
        org.rackboot.dhcp.wire.DhcpOption.of(15, new byte[100]))),
        List.of(BR)).handle(ByteBuffer.wrap(relayedWithAgent(agent)),
        new InetSocketAddress("10.99.3.1", 67), LAB, false);
    byte[] wire = out.get(0).payload();
    assertThat(wire.length).isLessThanOrEqualTo(548);
    DhcpMessage offer = DhcpMessage.decode(ByteBuffer.wrap(wire));
    assertThat(offer.options().has(OptionDef.OVERLOAD)).isFalse();  // consumed by the decoder
    assertThat(offer.options().get(OptionDef.RELAY_AGENT_INFO)).hasValue(agent);
    assertThat(offer.options().string(OptionDef.BOOTFILE_NAME)).isEqualTo(url);
    // Option 82's bytes lie in the options field (after the 240-byte header), not in file/sname.
    int at = indexOf(wire, new byte[] {(byte) OptionDef.RELAY_AGENT_INFO, 60, 1, 58});
    assertThat(at).isGreaterThanOrEqualTo(240);
  }

  private static byte[] relayedWithAgent(byte[] agent) {
    DhcpMessage base = DhcpMessage.decode(ByteBuffer.wrap(Vectors.bytes("edk2-uefi-discover")));
    // Without option 57: the reply must then fit the 548 bytes every client accepts.
    DhcpOptions opts = base.options().toBuilder().remove(OptionDef.MAX_MESSAGE_SIZE)
        .put(OptionDef.RELAY_AGENT_INFO, agent).build();
    return new DhcpMessage(base.op(), base.htype(), base.hlen(), 1, base.xid(), 0, base.flags(),
        base.ciaddr(), base.yiaddr(), base.siaddr(), Ipv4.parse("10.99.3.1"), base.chaddr(), "",
        "", opts).toBytes(1500);
  }

  private static int lastIndexOf(byte[] a, byte b) {
    for (int i = a.length - 1; i >= 0; i--) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] a, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= a.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (a[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Option 57 counts the IP datagram (RFC 2132 9.10): the DHCP message is 28 bytes less. */
  @Test
  void replyLengthFollowsOption57LessTheHeaders() {
    DhcpMessage base = DhcpMessage.decode(ByteBuffer.wrap(Vectors.bytes("edk2-uefi-discover")));
    java.util.function.IntFunction<DhcpMessage> with57 = v -> new DhcpMessage(base.op(),
        base.htype(), base.hlen(), 0, base.xid(), 0, base.flags(), base.ciaddr(), base.yiaddr(),
        base.siaddr(), base.giaddr(), base.chaddr(), "", "", v < 0
            ? base.options().toBuilder().remove(OptionDef.MAX_MESSAGE_SIZE).build()
            : base.options().toBuilder().putU16(OptionDef.MAX_MESSAGE_SIZE, v).build());
    assertThat(ProxyReplies.maxReplyLength(with57.apply(-1))).isEqualTo(548);
    assertThat(ProxyReplies.maxReplyLength(with57.apply(576))).isEqualTo(548);
    assertThat(ProxyReplies.maxReplyLength(with57.apply(100))).isEqualTo(548);
    assertThat(ProxyReplies.maxReplyLength(with57.apply(1000))).isEqualTo(972);
    assertThat(ProxyReplies.maxReplyLength(with57.apply(9000))).isEqualTo(1472);
  }

  @Test
  void relaysFromNetworksNotConfiguredAreIgnored() {
    byte[] relayed = withGiaddr(Vectors.bytes("edk2-uefi-discover"), "192.168.5.1");
    assertThat(engine(recording, List.of(BR)).handle(ByteBuffer.wrap(relayed),
        new InetSocketAddress("192.168.5.1", 67), LAB, false)).isEmpty();
    assertThat(stats.ignoredCount(IgnoreReason.NETWORK_NOT_SERVED)).isEqualTo(1);
  }

  @Test
  void anUnaddressedBroadcastIsAnsweredOnEveryServedInterfaceWithItsOwnAddress() {
    ServedInterface other = new ServedInterface("eth2", Ipv4.parse("172.16.5.1"), 24);
    List<Outbound> out = engine(recording, List.of(BR, other)).handle(
        ByteBuffer.wrap(Vectors.bytes("edk2-uefi-discover")), UNADDRESSED, null, false);
    assertThat(out).extracting(Outbound::from).containsExactly(LAB, other.address());
    assertThat(out).extracting(o -> decode(o).siaddr()).containsExactly(LAB, other.address());
  }

  @Test
  void aBroadcastFromAnAddressedClientGoesToItsSubnetsInterfaceOnly() {
    ServedInterface other = new ServedInterface("eth2", Ipv4.parse("172.16.5.1"), 24);
    byte[] req = withCiaddr(Vectors.bytes("edk2-uefi-discover"), "172.16.5.40");
    List<Outbound> out = engine(recording, List.of(BR, other)).handle(ByteBuffer.wrap(req),
        new InetSocketAddress("172.16.5.40", 68), null, false);
    assertThat(out).extracting(Outbound::from).containsExactly(other.address());
    // RFC 2131 4.1: a client that has an address (ciaddr) is answered by unicast.
    assertThat(out.get(0).to()).isEqualTo(new InetSocketAddress("172.16.5.40", 68));
  }

  @Test
  void rateLimitingPerMacKeepsABootLoopOffThePolicy() {
    AtomicLong now = new AtomicLong();
    ProxyDhcpEngine e = new ProxyDhcpEngine(recording, List.of(BR), List.of(),
        ProxyDhcpEngine.Ports.STANDARD, new MacRateLimiter(1, 2, 100, now::get), stats);
    byte[] p = Vectors.bytes("edk2-uefi-discover");
    for (int i = 0; i < 5; i++) {
      e.handle(ByteBuffer.wrap(p), UNADDRESSED, null, false);
    }
    assertThat(seen).hasSize(2);
    assertThat(stats.ignoredCount(IgnoreReason.RATE_LIMITED)).isEqualTo(3);
    now.addAndGet(1_000_000_000L);
    assertThat(e.handle(ByteBuffer.wrap(p), UNADDRESSED, null, false)).hasSize(1);
  }

  @Test
  void aPolicyThatThrowsIsCountedAndNothingIsSent() {
    BootPolicy broken = r -> {
      throw new IllegalStateException("inventory down");
    };
    assertThat(engine(broken, List.of(BR)).handle(
        ByteBuffer.wrap(Vectors.bytes("edk2-uefi-discover")), UNADDRESSED, null, false)).isEmpty();
    assertThat(stats.ignoredCount(IgnoreReason.POLICY_ERROR)).isEqualTo(1);
  }

  @Test
  void aPolicyIgnoreIsCounted() {
    assertThat(engine(r -> BootDecision.ignore("retired"), List.of(BR)).handle(
        ByteBuffer.wrap(Vectors.bytes("edk2-uefi-discover")), UNADDRESSED, null, false)).isEmpty();
    assertThat(stats.ignoredCount(IgnoreReason.POLICY)).isEqualTo(1);
  }

  @Test
  void httpBootClientsGetHttpClientVendorClassAndNoOption43() {
    DhcpMessage base = DhcpMessage.decode(ByteBuffer.wrap(Vectors.bytes("edk2-uefi-discover")));
    DhcpOptions opts = base.options().toBuilder()
        .putU16(OptionDef.CLIENT_ARCH, 16)
        .putString(OptionDef.VENDOR_CLASS, "HTTPClient:Arch:00016:UNDI:003000").build();
    DhcpMessage http = new DhcpMessage(base.op(), base.htype(), base.hlen(), 0, base.xid(), 0,
        base.flags(), base.ciaddr(), base.yiaddr(), base.siaddr(), base.giaddr(), base.chaddr(),
        "", "", opts);
    List<Outbound> out = engine(recording, List.of(BR)).handle(
        ByteBuffer.wrap(http.toBytes(1500)), UNADDRESSED, null, false);
    DhcpMessage offer = decode(out.get(0));
    assertThat(offer.options().string(OptionDef.VENDOR_CLASS)).isEqualTo("HTTPClient");
    assertThat(offer.options().has(OptionDef.VENDOR_SPECIFIC)).isFalse();
    assertThat(offer.file()).isEqualTo("http://10.77.0.1:8080/boot/ipxe.efi");
  }

  @Test
  void longBootFileUrlsGoInOption67() {
    String url = "http://10.77.0.1:8080/" + "x".repeat(200);
    List<Outbound> out = engine(r -> new BootDecision.Boot(null, url), List.of(BR)).handle(
        ByteBuffer.wrap(Vectors.bytes("edk2-uefi-discover")), UNADDRESSED, null, false);
    DhcpMessage offer = decode(out.get(0));
    assertThat(offer.file()).isEmpty();
    assertThat(offer.options().string(OptionDef.BOOTFILE_NAME)).isEqualTo(url);
  }

  private static byte[] withGiaddr(byte[] p, String giaddr) {
    byte[] c = p.clone();
    System.arraycopy(Ipv4.parse(giaddr).getAddress(), 0, c, 24, 4);
    return c;
  }

  private static byte[] withCiaddr(byte[] p, String ciaddr) {
    byte[] c = p.clone();
    System.arraycopy(Ipv4.parse(ciaddr).getAddress(), 0, c, 12, 4);
    return c;
  }

  /** Renders a boot item compactly for assertions. */
  private static final class PxeOptionsView {
    static String bootItem(DhcpOptions pxe) {
      var i = org.rackboot.dhcp.wire.PxeOptions.bootItem(pxe);
      return i.type() + "/" + i.layer();
    }
  }
}
