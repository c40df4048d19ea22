package org.rackboot.dhcp.wire;

/** DHCP message type, option 53 (RFC 2132 section 9.6, RFC 4388, RFC 6926). */
public enum MessageType {
  DISCOVER(1),
  OFFER(2),
  REQUEST(3),
  DECLINE(4),
  ACK(5),
  NAK(6),
  RELEASE(7),
  INFORM(8),
  FORCERENEW(9),
  LEASEQUERY(10),
  LEASEUNASSIGNED(11),
  LEASEUNKNOWN(12),
  LEASEACTIVE(13),
  /** A legal byte that no RFC this server knows assigns. */
  UNKNOWN(-1);

  private static final MessageType[] BY_CODE = new MessageType[14];

  static {
    for (MessageType t : values()) {
      if (t.code > 0) {
        BY_CODE[t.code] = t;
      }
    }
  }

  private final int code;

  MessageType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** A byte value maps to a type or {@link #UNKNOWN}; a value that is no byte is refused. */
  public static MessageType of(int code) {
    if (code < 0 || code > 255) {
      throw MalformedPacketException.expected("message type", "a byte", code);
    }
    MessageType t = code < BY_CODE.length ? BY_CODE[code] : null;
    return t == null ? UNKNOWN : t;
  }
}
