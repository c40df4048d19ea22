package org.rackboot.dhcp.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One option (or sub-option) value as raw bytes, after RFC 3396 concatenation: its length may
 * exceed 255; the encoder splits it again. Immutable: values are copied in and out.
 *
 * <p>A class, not a record: a record's constructor would copy every value, and the decoder's
 * values, fresh arrays that nothing else holds, were a fifth of all allocation per proxy-DHCP
 * request. {@link #owning} takes such an array as it is, for this package only.
 */
public final class DhcpOption {

  private final int code;
  private final byte[] data;

  private DhcpOption(int code, byte[] data) {
    if (code < 1 || code > 254) {
      throw new IllegalArgumentException("option code must be 1..254, got " + code);
    }
    this.code = code;
    this.data = data;
  }

  /** The option {@code code} with a copy of {@code data}. */
  public static DhcpOption of(int code, byte[] data) {
    return new DhcpOption(code, data.clone());
  }

  /** The option with {@code data} itself, which the caller must never change or hand out. */
  static DhcpOption owning(int code, byte[] data) {
    return new DhcpOption(code, data);
  }

  public static DhcpOption ofString(int code, String value) {
    return owning(code, value.getBytes(StandardCharsets.ISO_8859_1));
  }

  public int code() {
    return code;
  }

  /** A copy of the value. */
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
