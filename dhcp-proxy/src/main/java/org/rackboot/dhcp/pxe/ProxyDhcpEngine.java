package org.rackboot.dhcp.pxe;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rackboot.dhcp.wire.DhcpMessage;
import org.rackboot.dhcp.wire.HardwareType;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MalformedPacketException;
import org.rackboot.dhcp.wire.MessageType;
import org.rackboot.dhcp.wire.OpCode;
import org.rackboot.dhcp.wire.OptionDef;
import org.rackboot.dhcp.wire.PxeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy-DHCP service loop without a socket: filter (is it a PXE client on a served
 * network?) → validate → ask the {@link BootPolicy} → answer. The transport hands in each
 * datagram with where it came from and which socket got it, and sends what comes back.
 *
 * <p>Which interface a request arrived on: Java has no IP_PKTINFO, so the transport binds one
 * socket per served address (unicasts to that address, such as relayed requests and port 4011,
 * land on it, and the local address is then exact) plus one wildcard socket (broadcasts only
 * reach a socket bound to 0.0.0.0). A broadcast from a client with an address, or through a
 * relay, is matched to the interface whose subnet holds the source or giaddr. A broadcast from
 * 0.0.0.0 carries no hint at all; it is answered on every served interface, each reply naming
 * that interface's own address, so the client sees exactly the one from its own segment.
 */
public final class ProxyDhcpEngine {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyDhcpEngine.class);

  /** UDP ports: server (67), boot server (4011), client (68), relay (67). */
  public record Ports(int server, int bootServer, int client, int relay) {
    public static final Ports STANDARD = new Ports(67, 4011, 68, 67);
  }

  /**
   * One datagram to send.
   *
   * @param from the served address whose socket must send it (its interface is the way out)
   * @param bootServerSocket send from the boot-server (4011) socket instead of the 67 socket
   */
  public record Outbound(Inet4Address from, boolean bootServerSocket, InetSocketAddress to,
      byte[] payload) {}

  private final BootPolicy policy;
  private final List<ServedInterface> interfaces;
  private final List<Subnet> relayNetworks;
  private final Ports ports;
  private final MacRateLimiter limiter;
  private final ProxyDhcpStats stats;
  private final boolean discoveryControl;
  /** 255.255.255.255 at the client port: most replies go there, one address for all of them. */
  private final InetSocketAddress broadcast;

  public ProxyDhcpEngine(BootPolicy policy, List<ServedInterface> interfaces,
      List<Subnet> relayNetworks, Ports ports, MacRateLimiter limiter, ProxyDhcpStats stats) {
    this(policy, interfaces, relayNetworks, ports, limiter, stats, true);
  }

  /**
   * @param discoveryControl send option 43 "use this boot file" in offers (see {@link
   *     ProxyReplies}); false sends EDK2 to the boot-server port 4011 for its file
   */
  public ProxyDhcpEngine(BootPolicy policy, List<ServedInterface> interfaces,
      List<Subnet> relayNetworks, Ports ports, MacRateLimiter limiter, ProxyDhcpStats stats,
      boolean discoveryControl) {
    this.discoveryControl = discoveryControl;
    if (interfaces.isEmpty()) {
      throw new IllegalArgumentException("no interface to serve");
    }
    this.policy = Objects.requireNonNull(policy);
    this.interfaces = List.copyOf(interfaces);
    this.relayNetworks = List.copyOf(relayNetworks);
    this.ports = ports;
    this.limiter = limiter;
    this.stats = stats;
    this.broadcast = new InetSocketAddress(Ipv4.BROADCAST, ports.client());
  }

  public ProxyDhcpStats stats() {
    return stats;
  }

  public List<ServedInterface> interfaces() {
    return interfaces;
  }

  /**
   * Handles one datagram. Never throws for bad input: malformed datagrams are counted and
   * logged at debug.
   *
   * @param source the sender's address and port
   * @param receivedOn the served address of the socket that got it, or null for the wildcard
   *     socket
   * @param bootServerPort whether it came to the boot-server port (4011)
   * @return the replies to send, usually none or one
   */
  public List<Outbound> handle(ByteBuffer datagram, InetSocketAddress source,
      Inet4Address receivedOn, boolean bootServerPort) {
    stats.countReceived();
    DhcpMessage m;
    try {
      m = DhcpMessage.decode(datagram);
      validate(m);
      return answer(m, source, receivedOn, bootServerPort);
    } catch (MalformedPacketException e) {
      stats.countMalformed();
      if (LOG.isDebugEnabled()) {
        LOG.debug("malformed datagram from {}: {}", source, e.getMessage());
      }
      return List.of();
    }
  }

  /** What the decoder accepts but a proxy cannot serve counts as malformed too. */
  private static void validate(DhcpMessage m) {
    if (m.op() != OpCode.BOOTREQUEST) {
      throw MalformedPacketException.expected("op on a server port", "BOOTREQUEST", m.op());
    }
    if (HardwareType.of(m.htype()) != HardwareType.ETHERNET) {
      throw MalformedPacketException.expected("htype", "1 (Ethernet)", m.htype());
    }
    if (m.hlen() != 6) {
      throw MalformedPacketException.expected("hlen for Ethernet", 6, m.hlen());
    }
  }

  private List<Outbound> answer(DhcpMessage m, InetSocketAddress source, Inet4Address receivedOn,
      boolean bootServerPort) {
    MessageType type = m.messageType();
    if (type == null) {
      return ignore(IgnoreReason.NOT_PXE, m, "plain BOOTP (no option 53)");
    }
    stats.request(type, m.options().u16(OptionDef.CLIENT_ARCH, -1));
    if (!m.options().startsWith(OptionDef.VENDOR_CLASS, PxeOptions.PXE_CLIENT)
        && !m.options().startsWith(OptionDef.VENDOR_CLASS, PxeOptions.HTTP_CLIENT)) {
      return ignore(IgnoreReason.NOT_PXE, m, m.options().string(OptionDef.VENDOR_CLASS));
    }
    MessageType replyType = replyType(m, type, bootServerPort);
    if (replyType == null) {
      return List.of();
    }
    List<ServedInterface> targets = targets(m, source, receivedOn);
    if (targets.isEmpty()) {
      return ignore(IgnoreReason.NETWORK_NOT_SERVED, m, source.toString());
    }
    if (!limiter.tryAcquire(m.mac())) {
      return ignore(IgnoreReason.RATE_LIMITED, m, null);
    }
    InetSocketAddress to = destination(m, source, bootServerPort);
    int max = ProxyReplies.maxReplyLength(m);
    List<Outbound> out = new ArrayList<>(targets.size());
    for (ServedInterface i : targets) {
      BootRequest request = BootRequest.of(m, i.address(), bootServerPort);
      BootDecision decision;
      try {
        decision = policy.decide(request);
      } catch (RuntimeException e) {
        stats.ignored(IgnoreReason.POLICY_ERROR);
        LOG.warn("boot policy failed for {}: {}", request.mac(), e.toString());
        continue;
      }
      if (decision instanceof BootDecision.Ignore ignore) {
        ignore(IgnoreReason.POLICY, m, ignore.reason());
        continue;
      }
      DhcpMessage reply = ProxyReplies.reply(m, replyType, i.address(), decision,
          discoveryControl);
      out.add(new Outbound(i.address(), bootServerPort, to, reply.toBytes(max)));
      if (replyType == MessageType.OFFER) {
        stats.offer();
      } else {
        stats.ack();
      }
    }
    return out;
  }

  /**
   * Port 67: DISCOVER gets an OFFER, a REQUEST or INFORM addressed to us (option 54) an ACK.
   * Port 4011 (PXE boot server): REQUEST, INFORM or DISCOVER get an ACK.
   */
  private MessageType replyType(DhcpMessage m, MessageType type, boolean bootServerPort) {
    if (bootServerPort) {
      if (type == MessageType.REQUEST || type == MessageType.INFORM
          || type == MessageType.DISCOVER) {
        return MessageType.ACK;
      }
    } else if (type == MessageType.DISCOVER) {
      return MessageType.OFFER;
    } else if (type == MessageType.REQUEST || type == MessageType.INFORM) {
      Inet4Address serverId = m.options().ipv4(OptionDef.SERVER_ID);
      // A REQUEST without option 54, or naming another server, belongs to the site server.
      if (serverId != null && isServed(serverId)) {
        return MessageType.ACK;
      }
      ignore(IgnoreReason.OTHER_SERVER, m, serverId == null ? "no server id" : serverId.toString());
      noteRequestedAddress(m);
      return null;
    }
    ignore(IgnoreReason.MESSAGE_TYPE, m, type.toString());
    return null;
  }

  private void noteRequestedAddress(DhcpMessage m) {
    Inet4Address requested = m.options().ipv4(OptionDef.REQUESTED_IP);
    if (requested == null && !Ipv4.isAny(m.ciaddr())) {
      requested = m.ciaddr();
    }
    if (requested == null) {
      return;
    }
    try {
      policy.addressRequested(m.mac(), requested);
    } catch (RuntimeException e) {
      stats.ignored(IgnoreReason.POLICY_ERROR);
      LOG.warn("boot policy failed on the address of {}: {}", m.mac(), e.toString());
    }
  }

  private boolean isServed(Inet4Address a) {
    for (ServedInterface i : interfaces) {
      if (i.address().equals(a)) {
        return true;
      }
    }
    return false;
  }

  /** The served interfaces a request belongs to (see the class comment); empty = not ours. */
  private List<ServedInterface> targets(DhcpMessage m, InetSocketAddress source,
      Inet4Address receivedOn) {
    Inet4Address giaddr = Ipv4.isAny(m.giaddr()) ? null : m.giaddr();
    Inet4Address from = source.getAddress() instanceof Inet4Address a && !Ipv4.isAny(a) ? a : null;
    // The network the client sits on: the relay's, else the sender's own address.
    Inet4Address clientNet = giaddr != null ? giaddr : from;
    ServedInterface local = null;
    if (clientNet != null) {
      local = containing(clientNet);
      if (local == null && !inRelayNetworks(clientNet)) {
        return List.of();
      }
    }
    if (receivedOn != null) {
      for (ServedInterface i : interfaces) {
        if (i.address().equals(receivedOn)) {
          return List.of(i);
        }
      }
      return List.of();
    }
    if (local != null) {
      return List.of(local);
    }
    // A relayed or routed client on a configured remote network, seen on the wildcard socket.
    return clientNet != null ? List.of(interfaces.get(0)) : interfaces;
  }

  private ServedInterface containing(Inet4Address a) {
    for (ServedInterface i : interfaces) {
      if (Ipv4.inSubnet(a, i.address(), i.prefixLength())) {
        return i;
      }
    }
    return null;
  }

  private boolean inRelayNetworks(Inet4Address a) {
    for (Subnet s : relayNetworks) {
      if (s.contains(a)) {
        return true;
      }
    }
    return false;
  }

  /**
   * RFC 2131 section 4.1: via a relay to giaddr:67; to a client with an address, unicast;
   * otherwise broadcast, since the client cannot receive unicast before it has an address.
   * On the boot-server port the reply goes back to the request's source ip:port (EDK2 sends
   * from 4011, iPXE from 68).
   */
  private InetSocketAddress destination(DhcpMessage m, InetSocketAddress source,
      boolean bootServerPort) {
    boolean fromAddress = source.getAddress() instanceof Inet4Address a && !Ipv4.isAny(a);
    if (bootServerPort && fromAddress && Ipv4.isAny(m.giaddr())) {
      return source;
    }
    if (!Ipv4.isAny(m.giaddr())) {
      return new InetSocketAddress(m.giaddr(), ports.relay());
    }
    if (!Ipv4.isAny(m.ciaddr())) {
      return new InetSocketAddress(m.ciaddr(), ports.client());
    }
    return broadcast;
  }

  private List<Outbound> ignore(IgnoreReason reason, DhcpMessage m, String detail) {
    stats.ignored(reason);
    if (LOG.isDebugEnabled()) {
      LOG.debug("ignored {} from {}: {} {}", m.messageType(), m.mac(), reason.metricName(),
          detail == null ? "" : detail);
    }
    return List.of();
  }
}
