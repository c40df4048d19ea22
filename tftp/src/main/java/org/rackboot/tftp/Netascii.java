package org.rackboot.tftp;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * RFC 1350 netascii (RFC 764 NVT): LF goes out as CR LF and a bare CR as CR NUL, as tftp-hpa
 * sends it. The converted size is only known after conversion, so the content is converted whole
 * in memory; that bounds the files served in this mode.
 */
public final class Netascii {

  /**
   * Boot files are binary; netascii is for small text files (configs, scripts), so anything
   * larger is refused. The bound is also what a transfer in this mode holds in memory (up to
   * twice it, converted) and what the request thread converts before answering.
   */
  public static final long MAX_SOURCE_SIZE = 1L << 20;

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
      int n = raw.position();
      int added = 0;
      for (int i = 0; i < n; i++) {
        byte b = raw.get(i);
        if (b == '\n' || b == '\r') {
          added++;
        }
      }
      byte[] out = new byte[n + added];
      int o = 0;
      for (int i = 0; i < n; i++) {
        byte b = raw.get(i);
        if (b == '\n') {
          out[o++] = '\r';
          out[o++] = '\n';
        } else if (b == '\r') {
          out[o++] = '\r';
          out[o++] = 0;
        } else {
          out[o++] = b;
        }
      }
      // Wrapped, not copied: nothing else holds the array.
      return TftpContent.of(ByteBuffer.wrap(out));
    }
  }
}
