package org.rackboot.tftp.wire;

/** TFTP error codes: RFC 1350 appendix, 8 from RFC 2347. */
public enum ErrorCode {
  NOT_DEFINED(0),
  FILE_NOT_FOUND(1),
  ACCESS_VIOLATION(2),
  DISK_FULL(3),
  ILLEGAL_OPERATION(4),
  UNKNOWN_TID(5),
  FILE_EXISTS(6),
  NO_SUCH_USER(7),
  /** RFC 2347: the client refuses the OACK (EDK2 sends it after a tsize probe). */
  OPTION_REFUSED(8),
  /** A legal 16-bit code that no RFC defines. */
  UNKNOWN(-1);

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ErrorCode of(int code) {
    if (code < 0 || code > 0xFFFF) {
      throw new IllegalArgumentException("expected a 16-bit error code, got " + code);
    }
    return code <= 8 ? values()[code] : UNKNOWN;
  }
}
