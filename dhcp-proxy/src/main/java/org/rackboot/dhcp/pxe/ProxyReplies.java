package org.rackboot.dhcp.pxe;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import org.rackboot.dhcp.wire.DhcpMessage;
import org.rackboot.dhcp.wire.DhcpOption;
import org.rackboot.dhcp.wire.DhcpOptions;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MessageType;
import org.rackboot.dhcp.wire.OpCode;
import org.rackboot.dhcp.wire.OptionDef;
import org.rackboot.dhcp.wire.PxeOptions;

/** Builds proxy-DHCP replies (PXE specification 2.1, section 2.2.3 and 2.2.5). */
public final class ProxyReplies {

  private ProxyReplies() {}

  /**
   * The reply to {@code request}: never an address (yiaddr 0.0.0.0), so it coexists with the site
   * DHCP server; next-server in siaddr and the boot file in {@code file} (or option 67 when it is
   * too long for the 128-byte field).
   *
   * @param type OFFER (to a DISCOVER on port 67) or ACK
   * @param serverAddress the local address the reply is about: option 54, and the default
   *     next-server
   */
  public static DhcpMessage reply(DhcpMessage request, MessageType type, Inet4Address serverAddress,
      BootDecision decision) {
    return reply(request, type, serverAddress, decision, true);
  }

  /**
   * As {@link #reply(DhcpMessage, MessageType, Inet4Address, BootDecision)}; with
   * {@code discoveryControl} false an OFFER carries no option 43, so EDK2 ignores its boot file
   * and asks the boot server on 4011 instead (the dnsmasq way). ACKs always carry option 43.
   */
  public static DhcpMessage reply(DhcpMessage request, MessageType type, Inet4Address serverAddress,
      BootDecision decision, boolean discoveryControl) {
    Inet4Address nextServer;
    String bootFile;
    DhcpOptions.Builder o = DhcpOptions.builder();
    o.putU8(OptionDef.MESSAGE_TYPE, type.code());
    o.putIpv4(OptionDef.SERVER_ID, serverAddress);
    Iterable<DhcpOption> extras;
    if (decision instanceof BootDecision.Boot boot) {
      nextServer = boot.nextServer() != null ? boot.nextServer() : serverAddress;
      bootFile = boot.bootFile();
      extras = boot.extraOptions();
    } else if (decision instanceof BootDecision.HttpBoot http) {
      nextServer = serverAddress;
      bootFile = http.url();
      extras = http.extraOptions();
    } else {
      throw new IllegalArgumentException("no reply for " + decision);
    }
    boolean httpClient = request.options().startsWith(OptionDef.VENDOR_CLASS,
        PxeOptions.HTTP_CLIENT);
    // UEFI HTTP boot only takes offers that carry vendor class HTTPClient (UEFI 2.5+ 24.7.2).
    o.putString(OptionDef.VENDOR_CLASS, httpClient ? PxeOptions.HTTP_CLIENT : PxeOptions.PXE_CLIENT);
    // PXE spec 2.2.5: a server must echo the client's UUID option.
    request.options().option(OptionDef.CLIENT_UUID).ifPresent(o::put);
    if (!httpClient && (discoveryControl || type != MessageType.OFFER)) {
      o.put(OptionDef.VENDOR_SPECIFIC, pxeVendorOptions(request));
    }
    boolean fits = bootFile.getBytes(StandardCharsets.ISO_8859_1).length < 128;
    if (!fits) {
      o.putString(OptionDef.BOOTFILE_NAME, bootFile);
    }
    extras.forEach(o::put);
    // RFC 3046 2.2: a server that reads the relay agent information (BootRequest's circuit and
    // remote id) echoes it whole in every reply, as the last option; relays that forward by
    // circuit id (and ones that check it) drop a reply without it.
    // (No capturing lambda here: this runs for every reply.)
    DhcpOption agent = request.options().option(OptionDef.RELAY_AGENT_INFO).orElse(null);
    if (agent != null) {
      o.remove(OptionDef.RELAY_AGENT_INFO);
      o.put(agent);
    }
    boolean ack = type == MessageType.ACK;
    return new DhcpMessage(OpCode.BOOTREPLY, request.htype(), request.hlen(), 0, request.xid(), 0,
        request.flags(), ack ? request.ciaddr() : Ipv4.ANY, Ipv4.ANY, nextServer,
        request.giaddr(), request.chaddr(), "", fits ? bootFile : "", o.build());
  }

  /**
   * Option 43 with discovery control bit 3 ("use the boot file in this reply"): without option
   * 43, EDK2 ignores a proxy offer's boot file and asks again on 4011 (lab FINDINGS). A boot item
   * the client asked for (sub-option 71) is echoed, as the PXE boot-server ACK requires.
   */
  static byte[] pxeVendorOptions(DhcpMessage request) {
    if (!request.options().has(OptionDef.VENDOR_SPECIFIC)) {
      // The usual DISCOVER: nothing to echo, always the same four bytes (option values are
      // copied when an option is made, so sharing the array is safe).
      return DISCOVERY_CONTROL_ONLY;
    }
    DhcpOptions.Builder sub = DhcpOptions.builder()
        .putU8(PxeOptions.DISCOVERY_CONTROL, PxeOptions.DC_USE_BOOT_FILE);
    byte[] asked = request.options().get(OptionDef.VENDOR_SPECIFIC).orElse(null);
    if (asked != null) {
      try {
        PxeOptions.BootItem item =
            PxeOptions.bootItem(DhcpOptions.decodeEncapsulated(asked, "option 43"));
        if (item != null) {
          sub.put(PxeOptions.BOOT_ITEM, PxeOptions.encodeBootItem(item));
        }
      } catch (RuntimeException e) {
        // A client's garbled option 43 does not stop the answer; it just gets no echo.
      }
    }
    return sub.build().encodeEncapsulated();
  }

  private static final byte[] DISCOVERY_CONTROL_ONLY = DhcpOptions.builder()
      .putU8(PxeOptions.DISCOVERY_CONTROL, PxeOptions.DC_USE_BOOT_FILE).build()
      .encodeEncapsulated();

  /**
   * Largest reply (DHCP message bytes, the UDP payload) the client accepts. Every client takes a
   * 576-byte IP datagram, so a 548-byte message (RFC 2131 section 2: 312 bytes of options); option
   * 57 counts the whole datagram too (RFC 2132 9.10: at least 576), so its IP and UDP headers come
   * off. Never more than an Ethernet frame's 1472.
   */
  public static int maxReplyLength(DhcpMessage request) {
    int asked = request.options().u16(OptionDef.MAX_MESSAGE_SIZE, DhcpMessage.MIN_DATAGRAM)
        - DhcpMessage.IP_UDP_HEADERS;
    return Math.max(DhcpMessage.ALWAYS_ACCEPTED_LENGTH, Math.min(asked, 1472));
  }
}
