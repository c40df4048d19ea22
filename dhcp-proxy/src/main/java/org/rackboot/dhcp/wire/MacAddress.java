package org.rackboot.dhcp.wire;

import java.util.Locale;

/**
 * A 48-bit Ethernet MAC address, normalized once at the edge (packet decoder, JSON layer) so nothing
 * downstream re-parses strings. Canonical text form: lower case, colon separated.
 */
public record MacAddress(long value) implements Comparable<MacAddress> {

  public MacAddress {
    if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
      throw new IllegalArgumentException("MAC address wider than 48 bits: " + Long.toHexString(value));
    }
  }

  public static MacAddress of(byte[] bytes) {
    if (bytes.length != 6) {
      throw new IllegalArgumentException("MAC address needs 6 bytes, got " + bytes.length);
    }
    return of(bytes, 0);
  }

  /** The six bytes at {@code offset}. */
  public static MacAddress of(byte[] bytes, int offset) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (bytes[offset + i] & 0xFF);
    }
    return new MacAddress(v);
  }

  /** Parses {@code 52:54:00:aa:bb:cc}, {@code 52-54-00-AA-BB-CC} or {@code 525400aabbcc}. */
  public static MacAddress parse(String text) {
    String hex = text.trim().replace(":", "").replace("-", "").replace(".", "");
    if (hex.length() != 12) {
      throw new IllegalArgumentException("not a MAC address: '" + text + "'");
    }
    try {
      return new MacAddress(Long.parseLong(hex, 16));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a MAC address: '" + text + "'", e);
    }
  }

  public byte[] toBytes() {
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) (value >>> (40 - 8 * i));
    }
    return b;
  }

  /** With the given separator: {@code "-"} gives pxelinux-style {@code 52-54-00-aa-bb-cc}. */
  public String format(String separator) {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        sb.append(separator);
      }
      int b = (int) (value >>> (40 - 8 * i)) & 0xFF;
      sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return format(":");
  }

  @Override
  public int compareTo(MacAddress o) {
    return Long.compare(value, o.value);
  }
}
