package org.rackboot.api.files;

/**
 * The one byte range of a {@code Range} header that Rackboot honours (RFC 9110 section 14.1.2):
 * {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}. Several ranges, or anything unparsable,
 * get the whole content, which the RFC allows a server to send instead.
 */
record ByteRange(long start, long length) {

  /** Sentinel: the range cannot be satisfied (416). */
  static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

  /** The range for a {@code size}-byte content, null for "send it all". */
  static ByteRange parse(String header, long size) {
    if (header == null || !header.startsWith("bytes=")) {
      return null;
    }
    String spec = header.substring("bytes=".length()).trim();
    if (spec.contains(",")) {
      return null;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        if (b.isEmpty()) {
          return null;
        }
        long suffix = Long.parseLong(b);
        if (suffix <= 0 || size == 0) {
          return UNSATISFIABLE;
        }
        long len = Math.min(suffix, size);
        return new ByteRange(size - len, len);
      }
      long start = Long.parseLong(a);
      long end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      if (start < 0 || (!b.isEmpty() && Long.parseLong(b) < start)) {
        return null;
      }
      if (start >= size) {
        return UNSATISFIABLE;
      }
      return new ByteRange(start, end - start + 1);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
