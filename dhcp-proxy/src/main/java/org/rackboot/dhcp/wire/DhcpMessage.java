package org.rackboot.dhcp.wire;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A DHCP message (RFC 2131 section 2), immutable. {@link #decode} turns a datagram into a message
 * and {@link #encode} turns it back; options carried in {@code file}/{@code sname} through option
 * 52 (overload) are merged into {@link #options()} on decode, and those fields then read empty.
 *
 * @param chaddr the 16-byte client hardware address field, of which {@code hlen} bytes count
 * @param sname server host name, text up to the first NUL
 * @param file boot file name, text up to the first NUL
 */
public record DhcpMessage(
    OpCode op,
    int htype,
    int hlen,
    int hops,
    int xid,
    int secs,
    int flags,
    Inet4Address ciaddr,
    Inet4Address yiaddr,
    Inet4Address siaddr,
    Inet4Address giaddr,
    byte[] chaddr,
    String sname,
    String file,
    DhcpOptions options) {

  /** RFC 2131 section 3: the options field starts with 99.130.83.99. */
  public static final int MAGIC_COOKIE = 0x63825363;

  /** 236 bytes of BOOTP header plus the 4-byte cookie. */
  public static final int HEADER_LENGTH = 240;

  /**
   * Largest datagram accepted: a full 1500-byte Ethernet frame's worth. PXE firmware sends far
   * less; anything bigger is garbage or an attack, and is refused before any option is read.
   */
  public static final int MAX_LENGTH = 1500;

  /** RFC 1542 section 2.1: BOOTP relays and old clients expect at least 300 bytes. */
  public static final int MIN_ENCODED_LENGTH = 300;
  /** The IP datagram every host accepts (RFC 791), and so every DHCP client (RFC 2131 2). */
  public static final int MIN_DATAGRAM = 576;
  /** IPv4 (20) and UDP (8) headers: option 57 counts them, a message's length does not. */
  public static final int IP_UDP_HEADERS = 28;
  /** The DHCP message every client accepts: 576 - 28 = 236 header bytes, cookie, 308 options. */
  public static final int ALWAYS_ACCEPTED_LENGTH = MIN_DATAGRAM - IP_UDP_HEADERS;

  public static final int FLAG_BROADCAST = 0x8000;

  static final int SNAME_LENGTH = 64;
  static final int FILE_LENGTH = 128;

  public DhcpMessage {
    if (chaddr.length != 16) {
      throw new IllegalArgumentException("chaddr must be 16 bytes, got " + chaddr.length);
    }
    chaddr = chaddr.clone();
    if (latin1Length(sname) > SNAME_LENGTH - 1 || latin1Length(file) > FILE_LENGTH - 1) {
      throw new IllegalArgumentException("sname or file too long for its field");
    }
  }

  /**
   * Bytes of {@code s} in ISO-8859-1, counted without encoding it when it is short: a char
   * never takes more than one byte there (an unmappable one, even a surrogate pair, is one '?').
   */
  private static int latin1Length(String s) {
    return s.length() < SNAME_LENGTH ? s.length() : s.getBytes(StandardCharsets.ISO_8859_1).length;
  }

  @Override
  public byte[] chaddr() {
    return chaddr.clone();
  }

  /** Option 53, or null if the message has none (a BOOTP message). */
  public MessageType messageType() {
    int t = options.u8(OptionDef.MESSAGE_TYPE, -1);
    return t < 0 ? null : MessageType.of(t);
  }

  public boolean broadcastFlag() {
    return (flags & FLAG_BROADCAST) != 0;
  }

  /** The client's MAC from chaddr, for Ethernet (htype 1, hlen 6); null otherwise. */
  public MacAddress mac() {
    return htype == HardwareType.ETHERNET.code() && hlen == 6 ? MacAddress.of(chaddr, 0) : null;
  }

  /**
   * Decodes the datagram between {@code buf}'s position and limit. Every length is checked before
   * it is read; a bad datagram throws {@link MalformedPacketException}.
   */
  public static DhcpMessage decode(ByteBuffer buf) {
    int length = buf.remaining();
    if (length > MAX_LENGTH) {
      throw MalformedPacketException.expected(
          "datagram length", "at most " + MAX_LENGTH + " bytes", length);
    }
    if (length < HEADER_LENGTH) {
      throw MalformedPacketException.expected(
          "datagram length", "at least " + HEADER_LENGTH + " bytes (BOOTP header + cookie)",
          length);
    }
    // Work on a heap copy so option values can be sliced without caring where buf lives.
    byte[] data = new byte[length];
    buf.get(data);
    ByteBuffer b = ByteBuffer.wrap(data);
    OpCode op = OpCode.of(b.get() & 0xFF);
    int htype = b.get() & 0xFF;
    int hlen = b.get() & 0xFF;
    if (hlen > 16) {
      throw MalformedPacketException.expected("hlen", "at most 16", hlen);
    }
    int hops = b.get() & 0xFF;
    int xid = b.getInt();
    int secs = b.getShort() & 0xFFFF;
    int flags = b.getShort() & 0xFFFF;
    Inet4Address ciaddr = Ipv4.of(data, 12);
    Inet4Address yiaddr = Ipv4.of(data, 16);
    Inet4Address siaddr = Ipv4.of(data, 20);
    Inet4Address giaddr = Ipv4.of(data, 24);
    byte[] chaddr = Arrays.copyOfRange(data, 28, 44);
    int cookie = ByteBuffer.wrap(data, 236, 4).getInt();
    if (cookie != MAGIC_COOKIE) {
      throw MalformedPacketException.expected(
          "magic cookie", "63825363", String.format("%08x", cookie));
    }
    DhcpOptions.Accumulator acc = new DhcpOptions.Accumulator();
    int overload = acc.read(ByteBuffer.wrap(data, HEADER_LENGTH, length - HEADER_LENGTH),
        "options", true);
    String file = "";
    String sname = "";
    // RFC 2131 section 4.1: with option 52 the file field is read first, then sname.
    if ((overload & 1) != 0) {
      acc.read(ByteBuffer.wrap(data, 108, FILE_LENGTH), "file", false);
    } else {
      file = text(data, 108, FILE_LENGTH);
    }
    if ((overload & 2) != 0) {
      acc.read(ByteBuffer.wrap(data, 44, SNAME_LENGTH), "sname", false);
    } else {
      sname = text(data, 44, SNAME_LENGTH);
    }
    return new DhcpMessage(op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr,
        chaddr, sname, file, acc.build());
  }

  private static String text(byte[] data, int off, int len) {
    int n = 0;
    while (n < len - 1 && data[off + n] != 0) {
      n++;
    }
    return n == 0 ? "" : new String(data, off, n, StandardCharsets.ISO_8859_1);
  }

  /**
   * Encodes into at most {@link #ALWAYS_ACCEPTED_LENGTH} bytes, the message every DHCP client
   * must accept (RFC 2131 section 2).
   */
  public int encode(ByteBuffer out) {
    return encode(out, ALWAYS_ACCEPTED_LENGTH);
  }

  /**
   * Writes the message at {@code out}'s position in at most {@code maxLength} bytes, padded to
   * {@link #MIN_ENCODED_LENGTH}. Options that do not fit in the options field go into file and
   * then sname (option 52) when those fields are empty.
   *
   * @return the number of bytes written
   * @throws IllegalArgumentException if the message cannot fit in {@code maxLength}
   */
  public int encode(ByteBuffer out, int maxLength) {
    int start = out.position();
    int optionsRoom = maxLength - HEADER_LENGTH;
    if (options.encodedLength() + 1 <= optionsRoom) {
      putHeader(out);
      options.encode(out);
      out.put((byte) OptionDef.END);
    } else {
      byte[] head = new byte[HEADER_LENGTH];
      putHeader(ByteBuffer.wrap(head));
      encodeOverloaded(out, head, optionsRoom, file.isEmpty(), sname.isEmpty());
    }
    while (out.position() - start < MIN_ENCODED_LENGTH) {
      out.put((byte) 0);
    }
    return out.position() - start;
  }

  /** The 236 bytes of BOOTP header and the magic cookie, straight into {@code out}. */
  private void putHeader(ByteBuffer out) {
    out.put((byte) op.code()).put((byte) htype).put((byte) hlen).put((byte) hops);
    out.putInt(xid).putShort((short) secs).putShort((short) flags);
    out.put(ciaddr.getAddress()).put(yiaddr.getAddress()).put(siaddr.getAddress())
        .put(giaddr.getAddress());
    out.put(chaddr);
    putField(out, sname, SNAME_LENGTH);
    putField(out, file, FILE_LENGTH);
    out.putInt(MAGIC_COOKIE);
  }

  /** {@code text} in ISO-8859-1, NUL-padded to {@code length} (the constructor checked it fits). */
  private static void putField(ByteBuffer out, String text, int length) {
    int n = text.length();
    boolean latin1 = true;
    for (int i = 0; i < n && latin1; i++) {
      latin1 = text.charAt(i) <= 0xFF;
    }
    if (latin1) {
      for (int i = 0; i < n; i++) {
        out.put((byte) text.charAt(i));
      }
    } else {
      // Unmappable characters become '?', a surrogate pair one '?': as String.getBytes does.
      byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
      out.put(b);
      n = b.length;
    }
    for (int i = n; i < length; i++) {
      out.put((byte) 0);
    }
  }

  /**
   * Spreads whole option chunks over options field, file, then sname (RFC 2132 9.3). The relay
   * agent information option (82) stays in the options field, at its end: a relay looks for it
   * there only (RFC 3046 2.1 and 2.2).
   */
  private void encodeOverloaded(ByteBuffer out, byte[] head, int optionsRoom, boolean fileFree,
      boolean snameFree) {
    List<byte[]> chunks = new ArrayList<>();
    List<byte[]> relayAgent = new ArrayList<>();
    int relayAgentLength = 0;
    for (DhcpOption o : options.list()) {
      ByteBuffer one = ByteBuffer.allocate(DhcpOptions.encodedLength(o));
      DhcpOptions.encode(o, one);
      byte[] all = one.array();
      for (int off = 0; off < all.length; ) {
        int n = 2 + (all[off + 1] & 0xFF);
        byte[] chunk = Arrays.copyOfRange(all, off, off + n);
        if (o.code() == OptionDef.RELAY_AGENT_INFO) {
          relayAgent.add(chunk);
          relayAgentLength += n;
        } else {
          chunks.add(chunk);
        }
        off += n;
      }
    }
    // Room for option 52 (3 bytes), option 82 and END in the options field; END in each
    // overloaded field.
    int[] rooms = {optionsRoom - 4 - relayAgentLength, fileFree ? FILE_LENGTH - 1 : -1,
        snameFree ? SNAME_LENGTH - 1 : -1};
    if (rooms[0] < 0) {
      throw new IllegalArgumentException("option 82 does not fit in a " + (optionsRoom
          + HEADER_LENGTH) + "-byte message");
    }
    ByteBuffer[] areas = {ByteBuffer.allocate(rooms[0] + relayAgentLength),
        ByteBuffer.wrap(head, 108, FILE_LENGTH).slice(), ByteBuffer.wrap(head, 44, SNAME_LENGTH).slice()};
    int area = 0;
    int used = 0;
    for (byte[] c : chunks) {
      while (area < 3 && (rooms[area] < 0 || used + c.length > rooms[area])) {
        area++;
        used = 0;
      }
      if (area == 3) {
        throw new IllegalArgumentException("options do not fit in a " + (optionsRoom
            + HEADER_LENGTH) + "-byte message even with option overload");
      }
      if (area > 0 && used == 0) {
        Arrays.fill(head, area == 1 ? 108 : 44, area == 1 ? 108 + FILE_LENGTH : 44 + SNAME_LENGTH,
            (byte) 0);
      }
      areas[area].put(c);
      used += c.length;
    }
    relayAgent.forEach(areas[0]::put);
    int overload = 0;
    for (int a = 1; a <= area; a++) {
      if (rooms[a] >= 0) {
        areas[a].put((byte) OptionDef.END);
        overload |= a == 1 ? 1 : 2;
      }
    }
    out.put(head);
    out.put(areas[0].array(), 0, areas[0].position());
    if (overload != 0) {
      out.put((byte) OptionDef.OVERLOAD).put((byte) 1).put((byte) overload);
    }
    out.put((byte) OptionDef.END);
  }

  /** Encodes into a new array of exactly the encoded length. */
  public byte[] toBytes(int maxLength) {
    int plain = Math.max(HEADER_LENGTH + options.encodedLength() + 1, MIN_ENCODED_LENGTH);
    if (plain <= maxLength) {
      // The usual case on the hot path: no overload, so the exact size is known up front.
      ByteBuffer b = ByteBuffer.allocate(plain);
      encode(b, maxLength);
      return b.array();
    }
    ByteBuffer b = ByteBuffer.allocate(Math.max(maxLength, MIN_ENCODED_LENGTH));
    int n = encode(b, maxLength);
    return Arrays.copyOf(b.array(), n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DhcpMessage m
        && m.op == op && m.htype == htype && m.hlen == hlen && m.hops == hops && m.xid == xid
        && m.secs == secs && m.flags == flags && m.ciaddr.equals(ciaddr)
        && m.yiaddr.equals(yiaddr) && m.siaddr.equals(siaddr) && m.giaddr.equals(giaddr)
        && Arrays.equals(m.chaddr, chaddr) && m.sname.equals(sname) && m.file.equals(file)
        && m.options.equals(options);
  }

  @Override
  public int hashCode() {
    return 31 * xid + Arrays.hashCode(chaddr) + options.hashCode();
  }

  @Override
  public String toString() {
    return DhcpText.render(this);
  }
}
