package org.rackboot.dhcp.pxe;

import java.net.Inet4Address;
import org.rackboot.dhcp.wire.Ipv4;

/** An IPv4 network in CIDR form, e.g. 10.20.0.0/16. */
public record Subnet(Inet4Address network, int prefixLength) {

  public Subnet {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be 0..32, got " + prefixLength);
    }
  }

  /** Parses "a.b.c.d/n"; a bare address is a /32. */
  public static Subnet parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      return new Subnet(Ipv4.parse(cidr), 32);
    }
    try {
      return new Subnet(Ipv4.parse(cidr.substring(0, slash)),
          Integer.parseInt(cidr.substring(slash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR network: '" + cidr + "'", e);
    }
  }

  public boolean contains(Inet4Address a) {
    return Ipv4.inSubnet(a, network, prefixLength);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
