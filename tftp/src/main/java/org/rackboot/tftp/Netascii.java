package org.rackboot.tftp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * RFC 1350 netascii (RFC 764 NVT): LF goes out as CR LF and a bare CR as CR NUL, as tftp-hpa
 * sends it. The converted size is only known after conversion, so the content is converted whole
 * in memory; that bounds the files served in this mode.
 */
public final class Netascii {

  /** Boot files are binary; netascii is for small text files, so anything larger is refused. */
  public static final long MAX_SOURCE_SIZE = 16L << 20;

  private Netascii() {}

  /** The converted content, or null when the source is too large. Closes the source. */
  public static TftpContent convert(TftpContent source) throws IOException {
    try (source) {
      if (source.size() > MAX_SOURCE_SIZE) {
        return null;
      }
      ByteBuffer raw = ByteBuffer.allocate((int) source.size());
      while (raw.hasRemaining()) {
        if (source.read(raw, raw.position()) == 0) {
          break;
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(raw.position() + raw.position() / 16);
      for (int i = 0; i < raw.position(); i++) {
        byte b = raw.get(i);
        if (b == '\n') {
          out.write('\r');
          out.write('\n');
        } else if (b == '\r') {
          out.write('\r');
          out.write(0);
        } else {
          out.write(b);
        }
      }
      return TftpContent.of(out.toByteArray());
    }
  }
}
