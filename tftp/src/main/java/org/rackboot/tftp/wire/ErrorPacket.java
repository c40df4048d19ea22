package org.rackboot.tftp.wire;

import java.nio.ByteBuffer;

/** ERROR (RFC 1350 section 5): a 16-bit code and a NUL-terminated message. */
public record ErrorPacket(int rawCode, String message) implements TftpPacket {

  public ErrorPacket {
    ErrorCode.of(rawCode);
    java.util.Objects.requireNonNull(message);
  }

  public ErrorPacket(ErrorCode code, String message) {
    this(code.code(), message);
  }

  public ErrorCode code() {
    return ErrorCode.of(rawCode);
  }

  static ErrorPacket decodeBody(ByteBuffer in) {
    int code = Strings.unsignedShort(in, "error code");
    // A missing terminating NUL is common enough in embedded clients to be read leniently:
    // the packet's purpose (stop the transfer) is served by the code alone.
    String message;
    if (in.hasRemaining()) {
      int nul = -1;
      for (int i = in.position(); i < in.limit(); i++) {
        if (in.get(i) == 0) {
          nul = i;
          break;
        }
      }
      message = nul < 0 ? rest(in) : Strings.readNulTerminated(in, "error message");
    } else {
      message = "";
    }
    in.position(in.limit());
    return new ErrorPacket(code, message);
  }

  private static String rest(ByteBuffer in) {
    byte[] b = new byte[in.remaining()];
    in.get(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public Opcode opcode() {
    return Opcode.ERROR;
  }

  @Override
  public void encode(ByteBuffer out) {
    out.putShort((short) 5);
    out.putShort((short) rawCode);
    Strings.writeNulTerminated(out, message);
  }
}
