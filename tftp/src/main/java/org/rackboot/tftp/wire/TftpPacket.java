package org.rackboot.tftp.wire;

import java.nio.ByteBuffer;

/** One TFTP packet (RFC 1350 section 5, RFC 2347). Immutable; decode reads a whole datagram. */
public sealed interface TftpPacket
    permits Request, Data, Ack, ErrorPacket, OptionAck, UnknownPacket {

  Opcode opcode();

  /** Writes the packet at the buffer's position. */
  void encode(ByteBuffer out);

  /**
   * Decodes one datagram from position to limit. A legal but undefined opcode gives an {@link
   * UnknownPacket}; anything that cannot be read throws {@link MalformedPacketException}.
   */
  static TftpPacket decode(ByteBuffer in) {
    int op = Strings.unsignedShort(in, "opcode");
    return switch (Opcode.of(op)) {
      case RRQ, WRQ -> Request.decodeBody(Opcode.of(op), in);
      case DATA -> Data.decodeBody(in);
      case ACK -> Ack.decodeBody(in);
      case ERROR -> ErrorPacket.decodeBody(in);
      case OACK -> OptionAck.decodeBody(in);
      case UNKNOWN -> new UnknownPacket(op);
    };
  }
}
