package org.rackboot.tftp.wire;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * RRQ or WRQ (RFC 1350 section 5): filename, mode, then RFC 2347 options. Option names are
 * lower-case.
 */
public record Request(Opcode opcode, String filename, Mode mode, Map<String, String> options)
    implements TftpPacket {

  public Request {
    if (opcode != Opcode.RRQ && opcode != Opcode.WRQ) {
      throw new IllegalArgumentException("expected RRQ or WRQ, got " + opcode);
    }
    Objects.requireNonNull(filename);
    Objects.requireNonNull(mode);
    options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
  }

  static Request decodeBody(Opcode opcode, ByteBuffer in) {
    String filename = Strings.readNulTerminated(in, "filename");
    String mode = Strings.readNulTerminated(in, "mode");
    return new Request(opcode, filename, Mode.of(mode), Strings.readOptions(in));
  }

  @Override
  public void encode(ByteBuffer out) {
    out.putShort((short) opcode.code());
    Strings.writeNulTerminated(out, filename);
    Strings.writeNulTerminated(out, mode.wireName());
    Strings.writeOptions(out, options);
  }
}
