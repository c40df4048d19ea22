package org.rackboot.tftp.wire;

import java.nio.ByteBuffer;

/** A datagram whose opcode no RFC defines; only the code is kept. */
public record UnknownPacket(int rawOpcode) implements TftpPacket {

  @Override
  public Opcode opcode() {
    return Opcode.UNKNOWN;
  }

  @Override
  public void encode(ByteBuffer out) {
    out.putShort((short) rawOpcode);
  }
}
