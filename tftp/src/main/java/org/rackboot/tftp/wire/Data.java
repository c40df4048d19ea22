package org.rackboot.tftp.wire;

import java.nio.ByteBuffer;

/**
 * DATA (RFC 1350 section 5): block number and 0..blksize bytes. The server's hot path writes
 * the header with {@link #putHeader} and reads the payload straight into the send buffer.
 */
public record Data(int block, byte[] payload) implements TftpPacket {

  public static final int HEADER_SIZE = 4;

  public Data {
    checkBlock(block);
    payload = payload.clone();
  }

  static Data decodeBody(ByteBuffer in) {
    int block = Strings.unsignedShort(in, "block number");
    byte[] payload = new byte[in.remaining()];
    in.get(payload);
    return new Data(block, payload);
  }

  @Override
  public Opcode opcode() {
    return Opcode.DATA;
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public void encode(ByteBuffer out) {
    putHeader(out, block);
    out.put(payload);
  }

  /** Writes opcode 3 and the (wrapped, RFC 1350 has 16-bit blocks) block number. */
  public static void putHeader(ByteBuffer out, int block) {
    out.putShort((short) 3);
    out.putShort((short) block);
  }

  static void checkBlock(int block) {
    if (block < 0 || block > 0xFFFF) {
      throw new IllegalArgumentException("expected a 16-bit block number, got " + block);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Data d && d.block == block && java.util.Arrays.equals(d.payload, payload);
  }

  @Override
  public int hashCode() {
    return 31 * block + java.util.Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Data[block=" + block + ", " + payload.length + " bytes]";
  }
}
