package org.rackboot.dhcp.pxe;

/** Option 94, client network interface identifier: type 1 = UNDI, with its version (RFC 4578 2.2). */
public record NetworkInterfaceId(int type, int major, int minor) {

  /** From the 3-byte option value, or null if it is not 3 bytes. */
  public static NetworkInterfaceId of(byte[] d) {
    return d.length == 3 ? new NetworkInterfaceId(d[0] & 0xFF, d[1] & 0xFF, d[2] & 0xFF) : null;
  }

  @Override
  public String toString() {
    return (type == 1 ? "UNDI " : "type " + type + " ") + major + "." + minor;
  }
}
