package org.rackboot.dhcp.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One option (or sub-option) value as raw bytes, after RFC 3396 concatenation: its length may
 * exceed 255; the encoder splits it again.
 */
public record DhcpOption(int code, byte[] data) {

  public DhcpOption {
    if (code < 1 || code > 254) {
      throw new IllegalArgumentException("option code must be 1..254, got " + code);
    }
    data = data.clone();
  }

  public static DhcpOption ofString(int code, String value) {
    return new DhcpOption(code, value.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public int length() {
    return data.length;
  }

  /** Reads without copying; for this package's encoders only. */
  byte[] raw() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DhcpOption other && other.code == code && Arrays.equals(other.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * code + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return code + "=" + HexFormat.of().formatHex(data);
  }
}
