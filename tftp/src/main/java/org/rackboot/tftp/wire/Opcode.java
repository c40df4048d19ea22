package org.rackboot.tftp.wire;

/** TFTP opcodes: RFC 1350 section 5, OACK from RFC 2347. */
public enum Opcode {
  RRQ(1),
  WRQ(2),
  DATA(3),
  ACK(4),
  ERROR(5),
  OACK(6),
  /** A legal 16-bit code that no RFC defines. */
  UNKNOWN(-1);

  private final int code;

  Opcode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Maps a 16-bit opcode; codes outside 0..65535 are not opcodes at all and are refused. */
  public static Opcode of(int code) {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("expected a 16-bit opcode, got " + code);
    }
    return switch (code) {
      case 1 -> RRQ;
      case 2 -> WRQ;
      case 3 -> DATA;
      case 4 -> ACK;
      case 5 -> ERROR;
      case 6 -> OACK;
      default -> UNKNOWN;
    };
  }
}
