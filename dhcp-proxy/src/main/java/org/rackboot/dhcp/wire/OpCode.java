package org.rackboot.dhcp.wire;

/** The BOOTP {@code op} field (RFC 951, RFC 2131 section 2). Only two values are legal. */
public enum OpCode {
  BOOTREQUEST(1),
  BOOTREPLY(2);

  private final int code;

  OpCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Refuses anything but 1 and 2: there is no "unknown" op a server could act on. */
  public static OpCode of(int code) {
    return switch (code) {
      case 1 -> BOOTREQUEST;
      case 2 -> BOOTREPLY;
      default -> throw MalformedPacketException.expected("op", "1 (BOOTREQUEST) or 2 (BOOTREPLY)", code);
    };
  }
}
