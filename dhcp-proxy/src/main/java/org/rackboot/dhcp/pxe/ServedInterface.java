package org.rackboot.dhcp.pxe;

import java.net.Inet4Address;

/**
 * A local interface address the proxy serves: replies for clients on its network name this
 * address as server id and (by default) next-server, and leave through it.
 */
public record ServedInterface(String name, Inet4Address address, int prefixLength) {

  public Subnet subnet() {
    return new Subnet(address, prefixLength);
  }

  @Override
  public String toString() {
    return name + " " + address.getHostAddress() + "/" + prefixLength;
  }
}
