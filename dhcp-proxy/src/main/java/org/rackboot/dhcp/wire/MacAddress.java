package org.rackboot.dhcp.wire;

import java.util.Locale;

/**
 * A 48-bit Ethernet MAC address, Rackboot's one MAC type. It is made once at the edge (the
 * packet decoder from chaddr bytes; the JSON layer, the database and path parameters through
 * {@link #parse}) so nothing downstream re-parses strings. Canonical text form: lower case,
 * colon separated, the form stored in the database.
 *
 * <p>No Jackson or other annotations here: this package stays free of everything but the JDK,
 * so a JSON layer maps the type with {@link #parse} and {@link #toString}.
 */
public record MacAddress(long value) implements Comparable<MacAddress> {

  /** The notations {@link #parse} accepts, as its error message lists them. */
  private static final String NOTATIONS =
      "aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or aabbccddeeff";
  private static final long ALL_ONES = 0xFFFF_FFFF_FFFFL;
  /** The I/G bit, the low bit of the first octet (IEEE 802-2014, 8.2): set for group addresses. */
  private static final long GROUP_BIT = 1L << 40;
  /** How much of refused text an error message repeats. */
  private static final int QUOTED_MAX = 64;

  public MacAddress {
    if ((value & ~ALL_ONES) != 0) {
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

  /**
   * Parses exactly one of {@code aa:bb:cc:dd:ee:ff}, {@code AA-BB-CC-DD-EE-FF}, the Cisco dotted
   * {@code aabb.ccdd.eeff} or bare {@code aabbccddeeff}, in any case. Nothing else: no
   * surrounding blanks, no mixed separators, ASCII hex digits only.
   *
   * @throws IllegalArgumentException saying which notations are accepted and what came
   */
  public static MacAddress parse(String text) {
    if (text == null) {
      throw refused(null);
    }
    // The length picks the notation; the separator then has to sit after every group.
    char separator;
    int group;
    switch (text.length()) {
      case 17 -> {
        separator = text.charAt(2);
        group = 2;
        if (separator != ':' && separator != '-') {
          throw refused(text);
        }
      }
      case 14 -> {
        separator = '.';
        group = 4;
      }
      case 12 -> {
        separator = 0;
        group = 12;
      }
      default -> throw refused(text);
    }
    long v = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((i + 1) % (group + 1) == 0) {
        if (c != separator) {
          throw refused(text);
        }
        continue;
      }
      int digit = hexDigit(c);
      if (digit < 0) {
        throw refused(text);
      }
      v = (v << 4) | digit;
    }
    return new MacAddress(v);
  }

  /** ASCII only: Character.digit would also take full-width and other scripts' digits. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static IllegalArgumentException refused(String text) {
    return new IllegalArgumentException(
        "expected a MAC address as " + NOTATIONS + ", got " + quoted(text));
  }

  /** The refused text for a log line: control characters escaped, long input cut. */
  private static String quoted(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    int n = Math.min(text.length(), QUOTED_MAX);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > n) {
      out.append("...(").append(text.length()).append(" chars)");
    }
    return out.append('"').toString();
  }

  /** All zeros: what firmware with an unset or broken NIC reports. */
  public boolean isZero() {
    return value == 0;
  }

  /** ff:ff:ff:ff:ff:ff. */
  public boolean isBroadcast() {
    return value == ALL_ONES;
  }

  /** A group address (the I/G bit set), the broadcast address among them. */
  public boolean isMulticast() {
    return (value & GROUP_BIT) != 0;
  }

  /**
   * An individual address (the I/G bit clear). By that bit alone the zero address is one too:
   * a caller that wants a real NIC asks {@link #isZero} as well.
   */
  public boolean isUnicast() {
    return !isMulticast();
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

  /** The canonical form, {@code 52:54:00:aa:bb:cc}. */
  @Override
  public String toString() {
    return format(":");
  }

  @Override
  public int compareTo(MacAddress o) {
    return Long.compare(value, o.value);
  }
}
