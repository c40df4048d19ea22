package org.rackboot.tftp.wire;

import java.nio.ByteBuffer;
import java.util.Map;

/** OACK (RFC 2347): the options the server accepted, with their values, in request order. */
public record OptionAck(Map<String, String> options) implements TftpPacket {

  public OptionAck {
    options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
  }

  static OptionAck decodeBody(ByteBuffer in) {
    return new OptionAck(Strings.readOptions(in));
  }

  @Override
  public Opcode opcode() {
    return Opcode.OACK;
  }

  @Override
  public void encode(ByteBuffer out) {
    out.putShort((short) 6);
    Strings.writeOptions(out, options);
  }
}
