package org.rackboot.tftp.wire;

import java.nio.ByteBuffer;

/** ACK (RFC 1350 section 5); block 0 acknowledges an OACK (RFC 2347). */
public record Ack(int block) implements TftpPacket {

  public Ack {
    Data.checkBlock(block);
  }

  static Ack decodeBody(ByteBuffer in) {
    int block = Strings.unsignedShort(in, "block number");
    // RFC 1350 ACKs are exactly 4 bytes; trailing bytes would be a different client bug, but
    // some stacks pad short frames, so extra bytes are tolerated rather than fatal.
    in.position(in.limit());
    return new Ack(block);
  }

  @Override
  public Opcode opcode() {
    return Opcode.ACK;
  }

  @Override
  public void encode(ByteBuffer out) {
    out.putShort((short) 4);
    out.putShort((short) block);
  }
}
