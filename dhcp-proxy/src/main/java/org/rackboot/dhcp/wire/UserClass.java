package org.rackboot.dhcp.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Option 77, user class. RFC 3004 section 4 defines it as a list of length-prefixed classes, but
 * iPXE sends its name as a bare string ({@code 69 50 58 45}, "iPXE"), which an RFC 3004 parser
 * would read as a 105-byte class. Both forms are accepted: the data is read as RFC 3004 only when
 * the lengths tile it exactly, otherwise it is one bare class.
 */
public final class UserClass {

  private UserClass() {}

  public static List<String> decode(byte[] data) {
    List<String> rfc = new ArrayList<>();
    int off = 0;
    while (off < data.length) {
      int len = data[off] & 0xFF;
      if (len == 0 || off + 1 + len > data.length) {
        return data.length == 0 ? List.of() : List.of(bare(data));
      }
      rfc.add(new String(data, off + 1, len, StandardCharsets.ISO_8859_1));
      off += 1 + len;
    }
    return List.copyOf(rfc);
  }

  /** Whether the value is in RFC 3004's length-prefixed form (else iPXE's bare string). */
  public static boolean isRfc3004(byte[] data) {
    int off = 0;
    while (off < data.length) {
      int len = data[off] & 0xFF;
      if (len == 0 || off + 1 + len > data.length) {
        return false;
      }
      off += 1 + len;
    }
    return data.length > 0;
  }

  private static String bare(byte[] data) {
    int n = data.length;
    while (n > 0 && data[n - 1] == 0) {
      n--;
    }
    return new String(data, 0, n, StandardCharsets.ISO_8859_1);
  }

  /** RFC 3004 encoding of the given classes. */
  public static byte[] encode(List<String> classes) {
    List<byte[]> encoded = new ArrayList<>(classes.size());
    int n = 0;
    for (String c : classes) {
      byte[] b = c.getBytes(StandardCharsets.ISO_8859_1);
      if (b.length == 0 || b.length > 255) {
        throw new IllegalArgumentException("a user class is 1..255 bytes: '" + c + "'");
      }
      encoded.add(b);
      n += 1 + b.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] b : encoded) {
      out[off++] = (byte) b.length;
      System.arraycopy(b, 0, out, off, b.length);
      off += b.length;
    }
    return out;
  }
}
