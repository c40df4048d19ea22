package org.rackboot.dhcp.wire;

/** The {@code htype} field: ARP hardware types (RFC 1700 / IANA), the ones PXE meets. */
public enum HardwareType {
  ETHERNET(1),
  IEEE802(6),
  INFINIBAND(32),
  UNKNOWN(-1);

  private final int code;

  HardwareType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static HardwareType of(int code) {
    if (code < 0 || code > 255) {
      throw MalformedPacketException.expected("htype", "a byte", code);
    }
    for (HardwareType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return UNKNOWN;
  }
}
