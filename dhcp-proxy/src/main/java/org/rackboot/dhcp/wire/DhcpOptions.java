package org.rackboot.dhcp.wire;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The options of one message (or the sub-options of an encapsulated option), in the order they
 * first appeared, one entry per code. Immutable; build with {@link #builder()}.
 *
 * <p>RFC 3396: several instances of one code are one option whose values are concatenated in the
 * order options field, file, sname. The encoder splits values longer than 255 bytes the same way.
 */
public final class DhcpOptions {

  public static final DhcpOptions EMPTY = new DhcpOptions(List.of());

  /**
   * One per code, in order, looked up by a linear scan: a few dozen entries at most in practice,
   * while a 256-slot index per option list was a quarter of all allocation per packet.
   */
  private final DhcpOption[] options;

  private DhcpOptions(List<DhcpOption> options) {
    this(options.toArray(new DhcpOption[0]));
  }

  private DhcpOptions(DhcpOption[] options) {
    this.options = options;
  }

  private DhcpOption find(int code) {
    int c = code & 0xFF;
    for (DhcpOption o : options) {
      if (o.code() == c) {
        return o;
      }
    }
    return null;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    for (DhcpOption o : options) {
      b.put(o);
    }
    return b;
  }

  public List<DhcpOption> list() {
    return Collections.unmodifiableList(Arrays.asList(options));
  }

  public boolean isEmpty() {
    return options.length == 0;
  }

  public boolean has(int code) {
    return find(code) != null;
  }

  public Optional<DhcpOption> option(int code) {
    return Optional.ofNullable(find(code));
  }

  /** A copy of the value of {@code code}, if present. */
  public Optional<byte[]> get(int code) {
    DhcpOption o = find(code);
    return o == null ? Optional.empty() : Optional.of(o.data());
  }

  /** The value as text (ISO-8859-1, a trailing NUL dropped: some firmware sends one), or null. */
  public String string(int code) {
    DhcpOption o = find(code);
    if (o == null) {
      return null;
    }
    byte[] d = o.raw();
    int n = d.length;
    while (n > 0 && d[n - 1] == 0) {
      n--;
    }
    return new String(d, 0, n, StandardCharsets.ISO_8859_1);
  }

  /**
   * Whether the value starts with {@code prefix} (ISO-8859-1), without making a String of it:
   * the proxy asks this of option 60 for every datagram.
   */
  public boolean startsWith(int code, String prefix) {
    DhcpOption o = find(code);
    if (o == null || o.length() < prefix.length()) {
      return false;
    }
    byte[] d = o.raw();
    for (int i = 0; i < prefix.length(); i++) {
      if ((d[i] & 0xFF) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** An unsigned byte value, or {@code absent} if missing or not one byte long. */
  public int u8(int code, int absent) {
    DhcpOption o = find(code);
    return o == null || o.length() != 1 ? absent : o.raw()[0] & 0xFF;
  }

  /** The first unsigned 16-bit value, or {@code absent} if missing or too short. */
  public int u16(int code, int absent) {
    DhcpOption o = find(code);
    if (o == null || o.length() < 2) {
      return absent;
    }
    byte[] d = o.raw();
    return ((d[0] & 0xFF) << 8) | (d[1] & 0xFF);
  }

  /** The first IPv4 address of the value, or null if missing or shorter than 4 bytes. */
  public Inet4Address ipv4(int code) {
    DhcpOption o = find(code);
    if (o == null || o.length() < 4) {
      return null;
    }
    return Ipv4.of(o.raw(), 0);
  }

  /** Bytes needed to encode these options (split per RFC 3396), without the END option. */
  public int encodedLength() {
    int n = 0;
    for (DhcpOption o : options) {
      n += encodedLength(o);
    }
    return n;
  }

  static int encodedLength(DhcpOption o) {
    int len = o.length();
    int chunks = Math.max(1, (len + 254) / 255);
    return len + 2 * chunks;
  }

  /** Writes every option as code/length/value, values longer than 255 split (RFC 3396). */
  public void encode(ByteBuffer out) {
    for (DhcpOption o : options) {
      encode(o, out);
    }
  }

  static void encode(DhcpOption o, ByteBuffer out) {
    byte[] d = o.raw();
    int off = 0;
    do {
      int n = Math.min(255, d.length - off);
      out.put((byte) o.code()).put((byte) n).put(d, off, n);
      off += n;
    } while (off < d.length);
  }

  /** The options as one buffer ending with END: the value of an encapsulated option. */
  public byte[] encodeEncapsulated() {
    ByteBuffer b = ByteBuffer.allocate(encodedLength() + 1);
    encode(b);
    b.put((byte) OptionDef.END);
    return b.array();
  }

  /**
   * Decodes sub-options (43, 82, 175): code/length/value up to END or the end of the data; PAD
   * skipped; instances of one code concatenated.
   */
  public static DhcpOptions decodeEncapsulated(byte[] data, String what) {
    Accumulator acc = new Accumulator();
    acc.read(ByteBuffer.wrap(data), what, false);
    return acc.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DhcpOptions other && Arrays.equals(other.options, options);
  }

  @Override
  public int hashCode() {
    return list().hashCode();
  }

  @Override
  public String toString() {
    return list().toString();
  }

  /** Collects options from one or more areas, concatenating repeated codes (RFC 3396). */
  static final class Accumulator {
    // Codes in first-seen order and their values so far: no map and no stream per option, as
    // almost every code appears once.
    private int[] codes = new int[16];
    private byte[][] values = new byte[16][];
    private int count;

    /**
     * Reads options from {@code area} until END or its end. Returns the overload value (option
     * 52) if {@code allowOverload} and the option appeared, else 0.
     */
    int read(ByteBuffer area, String what, boolean allowOverload) {
      int overload = 0;
      while (area.hasRemaining()) {
        int code = area.get() & 0xFF;
        if (code == OptionDef.PAD) {
          continue;
        }
        if (code == OptionDef.END) {
          break;
        }
        if (!area.hasRemaining()) {
          throw MalformedPacketException.expected(
              what + " option " + code, "a length byte", "end of data");
        }
        int len = area.get() & 0xFF;
        if (len > area.remaining()) {
          throw MalformedPacketException.expected(
              what + " option " + code + " length", "at most " + area.remaining() + " bytes",
              len);
        }
        if (code == OptionDef.OVERLOAD) {
          // RFC 2132 section 9.3: option 52 may only appear in the options field itself; one
          // inside file or sname would make the areas point at each other.
          if (!allowOverload) {
            throw MalformedPacketException.expected(
                what + " option 52 (overload)", "only in the options field", "inside " + what);
          }
          if (len != 1) {
            throw MalformedPacketException.expected("option 52 (overload) length", 1, len);
          }
          int v = area.get() & 0xFF;
          if (v < 1 || v > 3) {
            throw MalformedPacketException.expected(
                "option 52 (overload) value", "1 (file), 2 (sname) or 3 (both)", v);
          }
          if (overload != 0) {
            throw MalformedPacketException.expected("option 52 (overload)", "once", "twice");
          }
          overload = v;
          continue;
        }
        append(code, area, len);
      }
      return overload;
    }

    private void append(int code, ByteBuffer area, int len) {
      int i = 0;
      while (i < count && codes[i] != code) {
        i++;
      }
      byte[] v;
      int at;
      if (i < count) {
        at = values[i].length;
        v = Arrays.copyOf(values[i], at + len);
      } else {
        if (count == codes.length) {
          codes = Arrays.copyOf(codes, count * 2);
          values = Arrays.copyOf(values, count * 2);
        }
        codes[count] = code;
        count++;
        at = 0;
        v = new byte[len];
      }
      area.get(v, at, len);
      values[i] = v;
    }

    DhcpOptions build() {
      DhcpOption[] list = new DhcpOption[count];
      for (int i = 0; i < count; i++) {
        // Each value is a fresh array of this accumulator's: the option can own it.
        list[i] = DhcpOption.owning(codes[i], values[i]);
      }
      return new DhcpOptions(list);
    }
  }

  /** Builds an option list; putting a code again replaces its value in place. */
  public static final class Builder {
    // A list scanned per put, not a map: a reply has about six options, and a LinkedHashMap's
    // boxed keys and entries were most of what building one allocated.
    private final ArrayList<DhcpOption> list = new ArrayList<>(8);

    public Builder put(DhcpOption option) {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i).code() == option.code()) {
          list.set(i, option);
          return this;
        }
      }
      list.add(option);
      return this;
    }

    public Builder put(int code, byte[] value) {
      return put(DhcpOption.of(code, value));
    }

    public Builder putString(int code, String value) {
      return put(DhcpOption.ofString(code, value));
    }

    public Builder putU8(int code, int value) {
      return put(DhcpOption.owning(code, new byte[] {(byte) value}));
    }

    public Builder putU16(int code, int value) {
      return put(DhcpOption.owning(code, new byte[] {(byte) (value >> 8), (byte) value}));
    }

    public Builder putU32(int code, long value) {
      return put(DhcpOption.owning(code,
          new byte[] {(byte) (value >> 24), (byte) (value >> 16), (byte) (value >> 8), (byte) value}));
    }

    public Builder putIpv4(int code, Inet4Address address) {
      // getAddress() returns a new array each call.
      return put(DhcpOption.owning(code, address.getAddress()));
    }

    public Builder remove(int code) {
      list.removeIf(o -> o.code() == code);
      return this;
    }

    public DhcpOptions build() {
      return new DhcpOptions(list.toArray(new DhcpOption[0]));
    }
  }
}
