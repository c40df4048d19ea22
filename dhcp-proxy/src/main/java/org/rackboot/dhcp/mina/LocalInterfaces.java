package org.rackboot.dhcp.mina;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rackboot.dhcp.pxe.ServedInterface;
import org.rackboot.dhcp.wire.Ipv4;

/** Turns the configured interface names or addresses into the local IPv4 addresses to serve. */
public final class LocalInterfaces {

  private LocalInterfaces() {}

  /**
   * Resolves each entry, an interface name ("eth1") or one of this host's IPv4 addresses
   * ("10.77.0.1"). An empty list means every interface that is up, not loopback, with IPv4.
   *
   * @throws IllegalArgumentException naming the entry that matches nothing
   */
  public static List<ServedInterface> resolve(List<String> specs) {
    try {
      List<ServedInterface> out = new ArrayList<>();
      if (specs.isEmpty()) {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          if (ni.isUp() && !ni.isLoopback()) {
            addAll(ni, out);
          }
        }
        if (out.isEmpty()) {
          throw new IllegalArgumentException("no interface that is up with an IPv4 address;"
              + " set dhcpProxy.interfaces");
        }
        return out;
      }
      for (String spec : specs) {
        int before = out.size();
        NetworkInterface byName = NetworkInterface.getByName(spec.trim());
        if (byName != null) {
          addAll(byName, out);
        } else if (spec.trim().matches("[0-9.]+")) {
          Inet4Address a = Ipv4.parse(spec);
          NetworkInterface ni = NetworkInterface.getByInetAddress(a);
          if (ni != null) {
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
              if (ia.getAddress().equals(a)) {
                out.add(new ServedInterface(ni.getName(), a, ia.getNetworkPrefixLength()));
              }
            }
          }
        }
        if (out.size() == before) {
          throw new IllegalArgumentException("dhcpProxy.interfaces entry '" + spec
              + "' is neither an interface with an IPv4 address nor an address of this host");
        }
      }
      return out;
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list network interfaces: " + e.getMessage(), e);
    }
  }

  private static void addAll(NetworkInterface ni, List<ServedInterface> out) {
    for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
      if (ia.getAddress() instanceof Inet4Address a) {
        out.add(new ServedInterface(ni.getName(), a, ia.getNetworkPrefixLength()));
      }
    }
  }
}
