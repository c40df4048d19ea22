package org.rackboot.dhcp.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 address helpers: addresses as {@link Inet4Address} and as 32-bit ints for subnet math. */
public final class Ipv4 {

  public static final Inet4Address ANY = of(0);
  public static final Inet4Address BROADCAST = of(0xFFFF_FFFF);

  private Ipv4() {}

  public static Inet4Address of(byte[] b, int off) {
    if ((b[off] | b[off + 1] | b[off + 2] | b[off + 3]) == 0 && ANY != null) {
      // Most address fields of a request are 0.0.0.0: one shared, immutable instance.
      return ANY;
    }
    try {
      return (Inet4Address)
          InetAddress.getByAddress(new byte[] {b[off], b[off + 1], b[off + 2], b[off + 3]});
    } catch (UnknownHostException e) {
      throw new AssertionError("4 bytes are always an IPv4 address", e);
    }
  }

  public static Inet4Address of(int value) {
    return of(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
        (byte) value}, 0);
  }

  /** Parses a dotted quad (no name lookup). */
  public static Inet4Address parse(String text) {
    String[] parts = text.trim().split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
    }
    int v = 0;
    for (String p : parts) {
      int n;
      try {
        n = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IPv4 address: '" + text + "'", e);
      }
      if (n < 0 || n > 255 || p.isEmpty() || p.length() > 3) {
        throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
      }
      v = (v << 8) | n;
    }
    return of(v);
  }

  public static int toInt(Inet4Address a) {
    byte[] b = a.getAddress();
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  public static boolean isAny(Inet4Address a) {
    return toInt(a) == 0;
  }

  /** Whether {@code a} lies in {@code network}/{@code prefixLength}. */
  public static boolean inSubnet(Inet4Address a, Inet4Address network, int prefixLength) {
    int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    return (toInt(a) & mask) == (toInt(network) & mask);
  }
}
