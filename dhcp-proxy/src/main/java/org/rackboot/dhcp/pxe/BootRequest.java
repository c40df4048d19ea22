package org.rackboot.dhcp.pxe;

import java.net.Inet4Address;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.rackboot.dhcp.wire.DhcpMessage;
import org.rackboot.dhcp.wire.DhcpOptions;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.dhcp.wire.MessageType;
import org.rackboot.dhcp.wire.OptionDef;
import org.rackboot.dhcp.wire.PxeOptions;
import org.rackboot.dhcp.wire.SmbiosUuid;
import org.rackboot.dhcp.wire.UserClass;

/**
 * What a {@link BootPolicy} learns about a PXE client's request, normalized once from the packet.
 *
 * @param mac from chaddr: EDK2 sends no option 61, so chaddr is the only reliable key
 * @param uuid option 97 converted from SMBIOS byte order (the UUID the OS reports), or null
 * @param arch option 93 (the reliable architecture signal; option 60's "Arch:" part can be
 *     missing after a chain-load), or -1 if absent
 * @param nic option 94, or null
 * @param vendorClass option 60, e.g. "PXEClient:Arch:00007:UNDI:003000"
 * @param userClasses option 77, RFC 3004 or iPXE's bare string
 * @param relayAddress giaddr, or null if the request did not come through a relay
 * @param clientAddress ciaddr, the client's own address when it has one (a request to port
 *     4011 is routed there without a relay: this is then the network it comes from), or null
 * @param circuitId option 82 sub-option 1, or null
 * @param remoteId option 82 sub-option 2, or null
 * @param localAddress the local interface address the request belongs to (the next-server
 *     unless the policy says otherwise)
 * @param bootServerPort whether the request came to the PXE boot-server port (4011)
 */
public record BootRequest(
    MessageType messageType,
    MacAddress mac,
    UUID uuid,
    int arch,
    NetworkInterfaceId nic,
    String vendorClass,
    List<String> userClasses,
    Inet4Address relayAddress,
    Inet4Address clientAddress,
    byte[] circuitId,
    byte[] remoteId,
    Inet4Address localAddress,
    boolean bootServerPort) {

  public BootRequest {
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(localAddress, "localAddress");
    userClasses = List.copyOf(userClasses);
    circuitId = circuitId == null ? null : circuitId.clone();
    remoteId = remoteId == null ? null : remoteId.clone();
  }

  /** Builds the request view of a decoded message received on {@code localAddress}. */
  public static BootRequest of(DhcpMessage m, Inet4Address localAddress, boolean bootServerPort) {
    DhcpOptions o = m.options();
    UUID uuid = o.get(OptionDef.CLIENT_UUID).map(SmbiosUuid::fromOption97).orElse(null);
    NetworkInterfaceId nic = o.get(OptionDef.CLIENT_NDI).map(NetworkInterfaceId::of).orElse(null);
    List<String> userClasses = o.get(OptionDef.USER_CLASS).map(UserClass::decode).orElse(List.of());
    byte[] circuit = null;
    byte[] remote = null;
    byte[] agent = o.get(OptionDef.RELAY_AGENT_INFO).orElse(null);
    if (agent != null) {
      // RFC 3046 section 2.0: sub-option 1 is the circuit id, 2 the remote id.
      DhcpOptions sub = DhcpOptions.decodeEncapsulated(agent, "option 82");
      circuit = sub.get(1).orElse(null);
      remote = sub.get(2).orElse(null);
    }
    Inet4Address relay = Ipv4.isAny(m.giaddr()) ? null : m.giaddr();
    Inet4Address client = Ipv4.isAny(m.ciaddr()) ? null : m.ciaddr();
    return new BootRequest(m.messageType(), m.mac(), uuid, o.u16(OptionDef.CLIENT_ARCH, -1), nic,
        o.string(OptionDef.VENDOR_CLASS), userClasses, relay, client, circuit, remote,
        localAddress, bootServerPort);
  }

  /**
   * An address on the client's own network: the relay's (giaddr), else the client's (ciaddr: a
   * routed request to port 4011), else the local interface's it came in on.
   */
  public Inet4Address clientNetworkAddress() {
    return relayAddress != null ? relayAddress : clientAddress != null ? clientAddress : localAddress;
  }

  public ClientArch clientArch() {
    return arch < 0 ? ClientArch.UNKNOWN : ClientArch.of(arch);
  }

  /** Whether iPXE itself is asking (user class "iPXE"): it must get a script, not iPXE again. */
  public boolean isIpxe() {
    return userClasses.contains("iPXE");
  }

  /** Whether the client is a UEFI HTTP boot client (option 60 starts with HTTPClient). */
  public boolean isHttpClient() {
    return vendorClass != null && vendorClass.startsWith(PxeOptions.HTTP_CLIENT);
  }

  @Override
  public byte[] circuitId() {
    return circuitId == null ? null : circuitId.clone();
  }

  @Override
  public byte[] remoteId() {
    return remoteId == null ? null : remoteId.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BootRequest r && r.messageType == messageType && r.mac.equals(mac)
        && Objects.equals(r.uuid, uuid) && r.arch == arch && Objects.equals(r.nic, nic)
        && Objects.equals(r.vendorClass, vendorClass) && r.userClasses.equals(userClasses)
        && Objects.equals(r.relayAddress, relayAddress)
        && Objects.equals(r.clientAddress, clientAddress) && Arrays.equals(r.circuitId, circuitId)
        && Arrays.equals(r.remoteId, remoteId) && r.localAddress.equals(localAddress)
        && r.bootServerPort == bootServerPort;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mac, uuid, arch, localAddress);
  }

  @Override
  public String toString() {
    HexFormat h = HexFormat.of();
    return "BootRequest[" + messageType + " mac=" + mac + " uuid=" + uuid + " arch=" + arch
        + " nic=" + nic + " vendorClass=" + vendorClass + " userClasses=" + userClasses
        + " relay=" + (relayAddress == null ? "-" : relayAddress.getHostAddress())
        + (clientAddress == null ? "" : " client=" + clientAddress.getHostAddress())
        + (circuitId == null ? "" : " circuitId=" + h.formatHex(circuitId))
        + (remoteId == null ? "" : " remoteId=" + h.formatHex(remoteId))
        + " local=" + localAddress.getHostAddress() + (bootServerPort ? " port=4011" : "") + "]";
  }
}
