package org.rackboot.dhcp.wire;

import java.util.UUID;

/**
 * Option 97 (RFC 4578 section 2.3): type 0 then 16 bytes of machine UUID. Firmware copies the
 * SMBIOS bytes, whose first three fields are little-endian (SMBIOS 2.6+), so
 * {@code 4c414230-0000-4000-8000-...} arrives as {@code 30 42 41 4c 00 00 00 40 80 00 ...}; both
 * EDK2 and iPXE do this (lab FINDINGS). This class turns the bytes into the UUID the OS reports.
 */
public final class SmbiosUuid {

  private SmbiosUuid() {}

  /** The UUID of an option 97 value, or null if it is not type 0 with 16 bytes. */
  public static UUID fromOption97(byte[] data) {
    if (data.length != 17 || data[0] != 0) {
      return null;
    }
    return fromSmbiosBytes(data, 1);
  }

  /** Reads 16 SMBIOS-ordered bytes at {@code off}: fields 1-3 little-endian, the rest as is. */
  public static UUID fromSmbiosBytes(byte[] b, int off) {
    long timeLow = le(b, off, 4);
    long timeMid = le(b, off + 4, 2);
    long timeHi = le(b, off + 6, 2);
    long msb = (timeLow << 32) | (timeMid << 16) | timeHi;
    long lsb = 0;
    for (int i = 8; i < 16; i++) {
      lsb = (lsb << 8) | (b[off + i] & 0xFF);
    }
    return new UUID(msb, lsb);
  }

  /** The option 97 value (type 0 + SMBIOS bytes) for a UUID. */
  public static byte[] toOption97(UUID uuid) {
    byte[] out = new byte[17];
    long msb = uuid.getMostSignificantBits();
    long lsb = uuid.getLeastSignificantBits();
    putLe(out, 1, msb >>> 32, 4);
    putLe(out, 5, (msb >>> 16) & 0xFFFF, 2);
    putLe(out, 7, msb & 0xFFFF, 2);
    for (int i = 0; i < 8; i++) {
      out[9 + i] = (byte) (lsb >>> (56 - 8 * i));
    }
    return out;
  }

  private static long le(byte[] b, int off, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  private static void putLe(byte[] b, int off, long v, int n) {
    for (int i = 0; i < n; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }
}
