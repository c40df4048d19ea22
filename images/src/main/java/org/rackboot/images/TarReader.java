package org.rackboot.images;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads POSIX ustar / pax / GNU tar archives entry by entry, streaming each entry's data. Only what
 * an import needs: regular files, directories, symbolic and hard links; anything else (devices,
 * FIFOs, sparse files) is refused by the caller through {@link Entry#type()}.
 */
final class TarReader {

  /** One archive member; {@code data()} is valid until the next call to {@link #next()}. */
  record Entry(String name, char type, long size, String linkName) {
    boolean isFile() {
      return type == '0' || type == '\0' || type == '7';
    }
  }

  private static final int BLOCK = 512;
  private final InputStream in;
  private final byte[] header = new byte[BLOCK];
  private long remaining;
  private long padding;
  private Map<String, String> globalPax = new HashMap<>();

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end of the archive. */
  Entry next() throws IOException {
    skipRest();
    String longName = null;
    String longLink = null;
    Map<String, String> pax = new HashMap<>();
    while (true) {
      if (!readBlock(header)) {
        return null;
      }
      if (allZero(header)) {
        return null; // end-of-archive marker (a second zero block may follow; nothing after matters)
      }
      checkChecksum();
      char type = (char) header[156];
      long size = size();
      String name = string(0, 100);
      String link = string(157, 100);
      if (isUstar()) {
        String prefix = string(345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
      }
      switch (type) {
        case 'x' -> pax.putAll(parsePax(readData(size)));
        case 'g' -> globalPax.putAll(parsePax(readData(size)));
        case 'L' -> longName = trimNul(new String(readData(size), StandardCharsets.UTF_8));
        case 'K' -> longLink = trimNul(new String(readData(size), StandardCharsets.UTF_8));
        default -> {
          Map<String, String> attrs = new HashMap<>(globalPax);
          attrs.putAll(pax);
          if (longName != null) {
            name = longName;
          }
          if (longLink != null) {
            link = longLink;
          }
          if (attrs.containsKey("path")) {
            name = attrs.get("path");
          }
          if (attrs.containsKey("linkpath")) {
            link = attrs.get("linkpath");
          }
          if (attrs.containsKey("size")) {
            try {
              size = Long.parseLong(attrs.get("size"));
            } catch (NumberFormatException e) {
              throw new TarException("expected a decimal pax size, got '" + attrs.get("size") + "'");
            }
          }
          // Links and directories carry no data, whatever the size field says.
          boolean hasData = type == '0' || type == '\0' || type == '7';
          remaining = hasData ? size : 0;
          padding = hasData ? (BLOCK - size % BLOCK) % BLOCK : 0;
          if (!hasData && size > 0 && type != '1' && type != '2' && type != '5') {
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
          }
          return new Entry(name, type, hasData ? size : 0, link);
        }
      }
    }
  }

  /** The current entry's data, ending at its size. */
  InputStream data() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new TarException("archive ends inside an entry, " + remaining + " bytes missing");
        }
        remaining -= n;
        return n;
      }
    };
  }

  private void skipRest() throws IOException {
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
  }

  private void skipFully(long n) throws IOException {
    while (n > 0) {
      long s = in.skip(n);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new TarException("archive ends inside an entry");
        }
        s = 1;
      }
      n -= s;
    }
  }

  private byte[] readData(long size) throws IOException {
    if (size > 1 << 20) {
      throw new TarException("expected an extended header of at most 1 MiB, got " + size + " bytes");
    }
    byte[] b = new byte[(int) size];
    readFully(b);
    skipFully((BLOCK - size % BLOCK) % BLOCK);
    return b;
  }

  private boolean readBlock(byte[] b) throws IOException {
    int off = 0;
    while (off < b.length) {
      int n = in.read(b, off, b.length - off);
      if (n < 0) {
        if (off == 0) {
          return false; // tolerated: archives truncated right after the last entry
        }
        throw new TarException("expected a 512-byte header, archive ends after " + off);
      }
      off += n;
    }
    return true;
  }

  private void readFully(byte[] b) throws IOException {
    int off = 0;
    while (off < b.length) {
      int n = in.read(b, off, b.length - off);
      if (n < 0) {
        throw new EOFException("archive ends inside an extended header");
      }
      off += n;
    }
  }

  private void checkChecksum() throws TarException {
    long stored = octal(148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    if (sum != stored) {
      throw new TarException("expected header checksum " + stored + ", computed " + sum + " (not a tar archive?)");
    }
  }

  private boolean isUstar() {
    return header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
        && header[261] == 'r';
  }

  private long size() throws TarException {
    if ((header[124] & 0x80) != 0) {
      // GNU base-256 encoding for sizes of 8 GiB and more.
      long v = header[124] & 0x7f;
      for (int i = 125; i < 136; i++) {
        v = (v << 8) | (header[i] & 0xff);
      }
      if (v < 0) {
        throw new TarException("expected a size below 2^63, got a larger base-256 size");
      }
      return v;
    }
    return octal(124, 12);
  }

  private long octal(int off, int len) throws TarException {
    long v = 0;
    int i = off;
    int end = off + len;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
      int d = header[i] - '0';
      if (d < 0 || d > 7) {
        throw new TarException("expected octal digits at header offset " + off + ", got byte " + header[i]);
      }
      v = v * 8 + d;
    }
    return v;
  }

  private String string(int off, int len) {
    int end = off;
    while (end < off + len && header[end] != 0) {
      end++;
    }
    return new String(header, off, end - off, StandardCharsets.UTF_8);
  }

  private static String trimNul(String s) {
    int i = s.indexOf('\0');
    return i < 0 ? s : s.substring(0, i);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** pax records: "LEN KEY=VALUE\n", LEN counting the whole record (POSIX.1-2001 pax format). */
  private static Map<String, String> parsePax(byte[] data) throws TarException {
    Map<String, String> out = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int sp = pos;
      while (sp < data.length && data[sp] != ' ') {
        sp++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, pos, sp - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new TarException("expected a pax record length, got garbage");
      }
      if (len <= 0 || pos + len > data.length || sp >= pos + len) {
        throw new TarException("expected a pax record within " + data.length + " bytes, got length " + len);
      }
      String rec = new String(data, sp + 1, pos + len - sp - 2, StandardCharsets.UTF_8);
      int eq = rec.indexOf('=');
      if (eq > 0) {
        out.put(rec.substring(0, eq), rec.substring(eq + 1));
      }
      pos += len;
    }
    return out;
  }

  /** A malformed archive. */
  static final class TarException extends IOException {
    TarException(String message) {
      super(message);
    }
  }
}
