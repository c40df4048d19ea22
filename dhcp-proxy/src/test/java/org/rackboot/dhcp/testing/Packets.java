package org.rackboot.dhcp.testing;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * Writes DHCP datagrams field by field, for hand-made (often deliberately broken) test vectors.
 * Each call appends exactly the bytes it names, so a test reads like the packet layout.
 */
public final class Packets {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public static Packets start() {
    return new Packets();
  }

  /** op, htype, hlen, hops. */
  public Packets op(int op, int htype, int hlen, int hops) {
    return bytes(op, htype, hlen, hops);
  }

  public Packets xid(int xid) {
    return bytes(xid >>> 24, xid >>> 16, xid >>> 8, xid);
  }

  public Packets secsFlags(int secs, int flags) {
    return bytes(secs >> 8, secs, flags >> 8, flags);
  }

  /** ciaddr, yiaddr, siaddr, giaddr: 16 zero bytes except the given giaddr. */
  public Packets addresses(int ciaddr, int giaddr) {
    return ip(ciaddr).ip(0).ip(0).ip(giaddr);
  }

  public Packets ip(int a) {
    return bytes(a >>> 24, a >>> 16, a >>> 8, a);
  }

  /** chaddr: the MAC then 10 bytes of padding. */
  public Packets chaddr(String mac) {
    hex(mac.replace(":", ""));
    return zeros(10);
  }

  public Packets zeros(int n) {
    out.write(new byte[n], 0, n);
    return this;
  }

  /** The 64-byte sname field from raw bytes (zero padded). */
  public Packets field(int size, String hex) {
    byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
    out.write(b, 0, b.length);
    return zeros(size - b.length);
  }

  public Packets cookie() {
    return bytes(0x63, 0x82, 0x53, 0x63);
  }

  public Packets hex(String hex) {
    byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
    out.write(b, 0, b.length);
    return this;
  }

  public Packets bytes(int... values) {
    for (int v : values) {
      out.write(v & 0xFF);
    }
    return this;
  }

  /** A standard Ethernet BOOTREQUEST header up to the cookie, from 52:54:00:00:00:01. */
  public Packets ethernetRequestHeader() {
    return op(1, 1, 6, 0).xid(0x12345678).secsFlags(0, 0x8000).addresses(0, 0)
        .chaddr("52:54:00:00:00:01").zeros(64).zeros(128);
  }

  public byte[] build() {
    return out.toByteArray();
  }
}
