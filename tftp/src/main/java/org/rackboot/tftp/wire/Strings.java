package org.rackboot.tftp.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** NUL-terminated strings and option lists (RFC 1350 section 5, RFC 2347). */
final class Strings {

  private Strings() {}

  /** Reads up to the next NUL and consumes it; throws if the packet ends first. */
  static String readNulTerminated(ByteBuffer in, String what) {
    int start = in.position();
    for (int i = start; i < in.limit(); i++) {
      if (in.get(i) == 0) {
        byte[] bytes = new byte[i - start];
        in.get(bytes);
        in.get();
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }
    throw new MalformedPacketException(
        "NUL-terminated " + what, (in.limit() - start) + " bytes with no NUL before the end");
  }

  static void writeNulTerminated(ByteBuffer out, String s) {
    out.put(s.getBytes(StandardCharsets.UTF_8));
    out.put((byte) 0);
  }

  /**
   * Option name/value pairs up to the end of the packet. Names are case-insensitive (RFC 2347) and
   * kept lower-case; the first of a repeated name wins. Trailing NUL padding, which some clients
   * send, ends the list.
   */
  static Map<String, String> readOptions(ByteBuffer in) {
    Map<String, String> options = new LinkedHashMap<>();
    while (in.hasRemaining()) {
      if (onlyNulsLeft(in)) {
        in.position(in.limit());
        break;
      }
      String name = readNulTerminated(in, "option name").toLowerCase(Locale.ROOT);
      if (!in.hasRemaining()) {
        throw new MalformedPacketException("a value for option '" + name + "'", "end of packet");
      }
      String value = readNulTerminated(in, "value of option '" + name + "'");
      options.putIfAbsent(name, value);
    }
    return Collections.unmodifiableMap(options);
  }

  private static boolean onlyNulsLeft(ByteBuffer in) {
    for (int i = in.position(); i < in.limit(); i++) {
      if (in.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  static void writeOptions(ByteBuffer out, Map<String, String> options) {
    for (Map.Entry<String, String> e : options.entrySet()) {
      writeNulTerminated(out, e.getKey());
      writeNulTerminated(out, e.getValue());
    }
  }

  static int unsignedShort(ByteBuffer in, String what) {
    if (in.remaining() < 2) {
      throw new MalformedPacketException("2-byte " + what, in.remaining() + " bytes");
    }
    return in.getShort() & 0xFFFF;
  }
}
