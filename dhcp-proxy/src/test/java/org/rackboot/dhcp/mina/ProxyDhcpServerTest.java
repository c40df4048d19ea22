package org.rackboot.dhcp.mina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rackboot.dhcp.pxe.BootPolicy;
import org.rackboot.dhcp.pxe.DefaultBootPolicy;
import org.rackboot.dhcp.pxe.MacRateLimiter;
import org.rackboot.dhcp.pxe.ProxyDhcpEngine;
import org.rackboot.dhcp.pxe.ProxyDhcpStats;
import org.rackboot.dhcp.pxe.ServedInterface;
import org.rackboot.dhcp.pxe.Subnet;
import org.rackboot.dhcp.testing.Vectors;
import org.rackboot.dhcp.wire.DhcpMessage;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MessageType;

/**
 * The MINA server over real UDP sockets on loopback, high ports. The served "interface" is lo
 * (127.0.0.1/8); replies to unaddressed clients are limited broadcasts sent from the 127.0.0.1
 * socket, which Linux routes out of lo only.
 */
class ProxyDhcpServerTest {

  private static final int TIMEOUT_MS = 5000;

  private ProxyDhcpEngine.Ports ports;
  private ProxyDhcpStats stats;
  private ProxyDhcpServer server;
  private DatagramSocket client;

  @BeforeEach
  void start() throws IOException {
    ports = new ProxyDhcpEngine.Ports(freePort(), freePort(), freePort(), freePort());
    stats = new ProxyDhcpStats();
    ProxyDhcpEngine engine = new ProxyDhcpEngine(DefaultBootPolicy.withDefaults(),
        List.of(new ServedInterface("lo", Ipv4.parse("127.0.0.1"), 8)), List.<Subnet>of(), ports,
        MacRateLimiter.unlimited(), stats);
    server = new ProxyDhcpServer(engine, ports, true);
    server.start();
    // Like a PXE client: bound to the wildcard address on the client port, so it receives the
    // broadcast reply.
    client = new DatagramSocket(null);
    client.setReuseAddress(true);
    client.bind(new InetSocketAddress("0.0.0.0", ports.client()));
    client.setSoTimeout(TIMEOUT_MS);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void discoverIsAnsweredWithABroadcastProxyOffer() throws IOException {
    send(client, Vectors.bytes("edk2-uefi-discover"), "127.0.0.1", ports.server());
    DatagramPacket p = receive(client);
    DhcpMessage offer = decode(p);
    assertThat(offer.messageType()).isEqualTo(MessageType.OFFER);
    assertThat(offer.xid()).isEqualTo(0xd3696e71);
    assertThat(offer.file()).isEqualTo("ipxe.efi");
    assertThat(offer.siaddr()).isEqualTo(Ipv4.parse("127.0.0.1"));
    assertThat(Ipv4.isAny(offer.yiaddr())).isTrue();
    assertThat(p.getPort()).isEqualTo(ports.server());
    assertThat(stats.offers()).isEqualTo(1);
  }

  @Test
  void aBroadcastSeenOnlyByTheWildcardSocketIsAnsweredFromTheServedAddress() throws IOException {
    // 127.0.0.2 is on lo but not bound by any served socket: only 0.0.0.0 receives it.
    send(client, Vectors.bytes("edk2-uefi-discover"), "127.0.0.2", ports.server());
    DatagramPacket p = receive(client);
    assertThat(decode(p).messageType()).isEqualTo(MessageType.OFFER);
    assertThat(p.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void repliesStillLeaveAfterMinaHasExpiredTheSessionTheyWentThrough() throws Exception {
    send(client, Vectors.bytes("edk2-uefi-discover"), "127.0.0.1", ports.server());
    assertThat(decode(receive(client)).messageType()).isEqualTo(MessageType.OFFER);
    // The server keeps idle per-address sessions 5 s and MINA looks for expired ones every
    // second: by now the session of the broadcast reply is closed.
    Thread.sleep(7000);
    send(client, Vectors.bytes("edk2-uefi-discover"), "127.0.0.1", ports.server());
    assertThat(decode(receive(client)).messageType()).isEqualTo(MessageType.OFFER);
    assertThat(stats.offers()).isEqualTo(2);
    assertThat(stats.sendErrors()).isZero();
  }

  @Test
  void bootServerRequestIsAnsweredUnicastToItsSource() throws IOException {
    try (DatagramSocket edk2 = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      edk2.setSoTimeout(TIMEOUT_MS);
      send(edk2, Vectors.bytes("edk2-uefi-binl-request-4011"), "127.0.0.1", ports.bootServer());
      DatagramPacket p = receive(edk2);
      DhcpMessage ack = decode(p);
      assertThat(ack.messageType()).isEqualTo(MessageType.ACK);
      assertThat(ack.file()).isEqualTo("ipxe.efi");
      assertThat(p.getPort()).isEqualTo(ports.bootServer());
    }
  }

  @Test
  void relayedRequestIsAnsweredToTheRelay() throws IOException {
    try (DatagramSocket relay = new DatagramSocket(
        new InetSocketAddress("127.0.0.2", ports.relay()))) {
      relay.setSoTimeout(TIMEOUT_MS);
      byte[] discover = Vectors.bytes("edk2-uefi-discover");
      System.arraycopy(Ipv4.parse("127.0.0.2").getAddress(), 0, discover, 24, 4); // giaddr
      send(relay, discover, "127.0.0.1", ports.server());
      DhcpMessage offer = decode(receive(relay));
      assertThat(offer.messageType()).isEqualTo(MessageType.OFFER);
      assertThat(offer.giaddr()).isEqualTo(Ipv4.parse("127.0.0.2"));
    }
  }

  @Test
  void malformedDatagramsAreDroppedAndCountedAndTheLoopGoesOn() throws Exception {
    byte[] good = Vectors.bytes("edk2-uefi-discover");
    byte[] badCookie = good.clone();
    badCookie[239] ^= 1;
    byte[] reply = Vectors.bytes("dnsmasq-proxy-offer-efi");
    byte[] huge = Arrays.copyOf(good, 65000);
    List<byte[]> bad = List.of(Arrays.copyOf(good, 100), badCookie, reply, huge, new byte[0]);
    for (byte[] b : bad) {
      send(client, b, "127.0.0.1", ports.server());
    }
    send(client, good, "127.0.0.1", ports.server());
    // The one reply is the answer to the good packet, sent after all the bad ones.
    assertThat(decode(receive(client)).messageType()).isEqualTo(MessageType.OFFER);
    client.setSoTimeout(300);
    assertThatThrownBy(() -> receive(client)).isInstanceOf(SocketTimeoutException.class);
    assertThat(stats.malformedCount()).isEqualTo(bad.size());
    assertThat(stats.offers()).isEqualTo(1);
    assertThat(server.isBound()).isTrue();
  }

  @Test
  void aShortDatagramInARecycledReadBufferIsNotCompletedByTheOneBefore() throws Exception {
    byte[] good = Vectors.bytes("edk2-uefi-discover");
    send(client, good, "127.0.0.1", ports.server());
    assertThat(decode(receive(client)).messageType()).isEqualTo(MessageType.OFFER);
    // The same packet cut in the middle of an option: read into the buffer the whole one left
    // behind, it must still be seen as cut (malformed), not completed by the stale bytes.
    int at = 240;
    while (good[at] == 0 || good[at + 1] < 4) {
      at += good[at] == 0 ? 1 : 2 + good[at + 1];
    }
    send(client, Arrays.copyOf(good, at + 4), "127.0.0.1", ports.server());
    send(client, good, "127.0.0.1", ports.server());
    assertThat(decode(receive(client)).messageType()).isEqualTo(MessageType.OFFER);
    client.setSoTimeout(300);
    assertThatThrownBy(() -> receive(client)).isInstanceOf(SocketTimeoutException.class);
    assertThat(stats.malformedCount()).isEqualTo(1);
    assertThat(stats.offers()).isEqualTo(2);
  }

  @Test
  void aTakenPortFailsStartWithABindException() throws IOException {
    // A plain socket without SO_REUSEADDR on the served address makes the bind fail.
    try (DatagramSocket squatter = new DatagramSocket(null)) {
      int port = freePort();
      squatter.bind(new InetSocketAddress("127.0.0.1", port));
      ProxyDhcpEngine.Ports taken = new ProxyDhcpEngine.Ports(port, freePort(), freePort(), 67);
      ProxyDhcpServer other = new ProxyDhcpServer(new ProxyDhcpEngine(
          DefaultBootPolicy.withDefaults(),
          List.of(new ServedInterface("lo", Ipv4.parse("127.0.0.1"), 8)), List.of(), taken,
          MacRateLimiter.unlimited(), new ProxyDhcpStats()), taken, false);
      assertThatThrownBy(other::start).isInstanceOf(BindException.class);
      assertThat(other.isBound()).isFalse();
    }
  }

  @Test
  void withARealtimePriorityDecisionsAreMadeOnSchedFifoThreads() throws Exception {
    // Needs CAP_SYS_NICE (root), as the README says of the tests with real peers. Both the
    // served address's socket and the wildcard one (127.0.0.2 reaches only the latter).
    assertThat(policiesOfTheDecidingThreads(1, "127.0.0.1", "127.0.0.2")).containsExactly(
        RealtimeScheduling.POLICY_FIFO, RealtimeScheduling.POLICY_FIFO);
  }

  @Test
  void withoutARealtimePriorityThePacketThreadsRunNormally() throws Exception {
    assertThat(policiesOfTheDecidingThreads(0, "127.0.0.1")).containsExactly(0);
  }

  @Test
  void aRealtimePriorityOutsideOneToNinetyNineIsRefused() {
    for (int bad : new int[] {-1, 100}) {
      assertThatThrownBy(() -> new ProxyDhcpServer(null, ports, false, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("realtimePriority");
    }
  }

  @Test
  void closeReleasesEverySocket() throws IOException {
    assertThat(server.localAddresses()).hasSize(4);
    server.close();
    assertThat(server.isBound()).isFalse();
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", ports.server()))) {
      assertThat(s.isBound()).isTrue();
    }
  }

  private static void send(DatagramSocket s, byte[] data, String host, int port)
      throws IOException {
    s.send(new DatagramPacket(data, data.length, InetAddress.getByName(host), port));
  }

  private static DatagramPacket receive(DatagramSocket s) throws IOException {
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    s.receive(p);
    return p;
  }

  private static DhcpMessage decode(DatagramPacket p) {
    return DhcpMessage.decode(ByteBuffer.wrap(p.getData(), 0, p.getLength()));
  }

  /** Starts a server at {@code priority}, sends a DISCOVER to each address, records policies. */
  private List<Integer> policiesOfTheDecidingThreads(int priority, String... sendTo)
      throws IOException {
    ProxyDhcpEngine.Ports own =
        new ProxyDhcpEngine.Ports(freePort(), freePort(), ports.client(), freePort());
    List<Integer> policies = new CopyOnWriteArrayList<>();
    BootPolicy recording = request -> {
      policies.add(currentPolicy());
      return DefaultBootPolicy.withDefaults().decide(request);
    };
    ProxyDhcpServer s = new ProxyDhcpServer(new ProxyDhcpEngine(recording,
        List.of(new ServedInterface("lo", Ipv4.parse("127.0.0.1"), 8)), List.of(), own,
        MacRateLimiter.unlimited(), new ProxyDhcpStats()), own, true, priority);
    try {
      s.start();
      for (String to : sendTo) {
        send(client, Vectors.bytes("edk2-uefi-discover"), to, own.server());
        assertThat(decode(receive(client)).messageType()).isEqualTo(MessageType.OFFER);
      }
    } finally {
      s.close();
    }
    return policies;
  }

  private static int currentPolicy() {
    try {
      return RealtimeScheduling.currentThreadPolicy();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      return s.getLocalPort();
    }
  }
}
