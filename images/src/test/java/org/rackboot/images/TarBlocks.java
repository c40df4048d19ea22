package org.rackboot.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tar archives written record by record, for the inputs GNU tar will not make. */
final class TarBlocks {

  static final int RECORD = 512;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A ustar header; the checksum is computed last, over the header with its field as spaces. */
  TarBlocks header(String name, char type, long size, String link) {
    byte[] h = new byte[RECORD];
    put(h, 0, 100, name);                                   // name
    put(h, 100, 8, "0000644");                               // mode
    put(h, 108, 8, "0000000");                               // uid
    put(h, 116, 8, "0000000");                               // gid
    put(h, 124, 12, String.format("%011o", size));           // size, octal
    put(h, 136, 12, "00000000000");                          // mtime
    h[156] = (byte) type;                                    // typeflag
    put(h, 157, 100, link);                                  // linkname
    put(h, 257, 6, "ustar");                                 // magic "ustar\0"
    put(h, 263, 2, "00");                                    // version
    return record(sign(h));
  }

  /** A header whose size field is GNU base-256: the top bit of the first byte set, then big-endian. */
  TarBlocks base256Header(String name, long size) {
    byte[] h = new byte[RECORD];
    put(h, 0, 100, name);
    put(h, 100, 8, "0000644");
    put(h, 136, 12, "00000000000");
    h[124] = (byte) 0x80;
    for (int i = 0; i < 8; i++) {
      h[135 - i] = (byte) (size >>> (8 * i));
    }
    h[156] = '0';
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    return record(sign(h));
  }

  /** A pax header ('x' local, 'g' global) of "LEN KEY=VALUE\n" records, LEN counting itself. */
  TarBlocks pax(char type, String... keyValues) {
    StringBuilder body = new StringBuilder();
    for (String kv : keyValues) {
      int rest = 1 + kv.getBytes(StandardCharsets.UTF_8).length + 1; // space, record, newline
      int len = rest + String.valueOf(rest).length();
      len = rest + String.valueOf(len).length();
      body.append(len).append(' ').append(kv).append('\n');
    }
    byte[] data = body.toString().getBytes(StandardCharsets.UTF_8);
    return header("PaxHeaders/x", type, data.length, "").data(data);
  }

  /** A GNU long name ('L') or long link ('K') header, its data NUL-terminated as GNU tar writes it. */
  TarBlocks gnuLong(char type, String value) {
    byte[] data = (value + "\0").getBytes(StandardCharsets.UTF_8);
    return header("././@LongLink", type, data.length, "").data(data);
  }

  /** Entry data, padded with zeros to a whole record. */
  TarBlocks data(byte[] b) {
    out.writeBytes(b);
    out.writeBytes(new byte[(RECORD - b.length % RECORD) % RECORD]);
    return this;
  }

  TarBlocks file(String name, String content) {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    return header(name, '0', b.length, "").data(b);
  }

  /** The end-of-archive marker: two zero records. */
  TarBlocks end() {
    return record(new byte[RECORD]).record(new byte[RECORD]);
  }

  TarBlocks record(byte[] r) {
    out.writeBytes(r);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  Path write(Path file) throws IOException {
    Files.write(file, bytes());
    return file;
  }

  private static byte[] sign(byte[] h) {
    long sum = 0;
    for (int i = 0; i < RECORD; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    put(h, 148, 7, String.format("%06o", sum)); // six digits, NUL; the last byte stays a space
    h[155] = ' ';
    return h;
  }

  private static void put(byte[] h, int off, int len, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, h, off, Math.min(b.length, len));
  }
}
