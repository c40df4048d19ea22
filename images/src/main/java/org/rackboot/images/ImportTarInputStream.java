package org.rackboot.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.apache.commons.compress.utils.ArchiveUtils;

/**
 * Commons Compress's tar reader, held to what an image import accepts. Every header record is
 * checked before Commons Compress interprets it: a complete 512-byte record, a valid checksum, an
 * extended header (pax or GNU long name) of at most 1 MiB, at most {@value #MAX_HEADERS_PER_ENTRY}
 * headers for one entry. Sparse files are refused before their map is read. A long name that is
 * absolute is refused here, because Commons Compress strips its leading '/' and the import could no
 * longer tell; the other name checks stay with the import ({@link TreeIngest#entryPath}).
 */
final class ImportTarInputStream extends TarArchiveInputStream {

  static final int MAX_EXTENDED_HEADER = 1 << 20;
  /** GNU tar writes at most three (a long link and a long name, or a global and a local pax header). */
  static final int MAX_HEADERS_PER_ENTRY = 16;
  private static final int RECORD = TarConstants.DEFAULT_RCDSIZE;

  /** The data of the long-name or pax header being read, kept until the next header is checked. */
  private final ByteArrayOutputStream extendedHeader = new ByteArrayOutputStream();
  private int depth;

  ImportTarInputStream(InputStream in) {
    // Names are UTF-8 whatever the platform's default charset (pax mandates it; GNU tar writes
    // the bytes it was given). Lenient: mode, owner, times and device numbers are not used by an
    // import, so garbage there is ignored as it always was; the size is still parsed strictly.
    super(in, TarConstants.DEFAULT_BLKSIZE, RECORD, StandardCharsets.UTF_8.name(), true);
  }

  /** The next entry, or null at the end of the archive; extended headers are already applied. */
  @Override
  public TarArchiveEntry getNextEntry() throws IOException {
    // Commons Compress reads each extended header by calling this method again for the entry it
    // describes: depth counts the headers in front of one entry and bounds the recursion.
    depth++;
    try {
      if (depth > MAX_HEADERS_PER_ENTRY) {
        throw new TarException("expected at most " + MAX_HEADERS_PER_ENTRY + " headers for one entry, got more");
      }
      TarArchiveEntry e = super.getNextEntry();
      if (depth == 1 && e != null && e.isSparse()) {
        throw sparse(e);
      }
      return e;
    } catch (RuntimeException e) {
      // Some malformed fields come out of Commons Compress unchecked; report them like the rest.
      throw new TarException("malformed tar header: " + BlobStore.describe(e));
    } finally {
      depth--;
    }
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    TarArchiveEntry current = getCurrentEntry();
    if (n > 0 && current != null && isNameBearing(current)) {
      extendedHeader.write(buf, off, n);
    }
    return n;
  }

  /** Every record Commons Compress takes as a header passes here first. */
  @Override
  protected byte[] readRecord() throws IOException {
    checkExtendedHeaderJustRead();
    long offset = getBytesRead();
    byte[] record = super.readRecord();
    if (isAtEOF()) {
      return record; // what follows the end-of-archive marker is not looked at
    }
    if (record == null) {
      long got = getBytesRead() - offset;
      if (got > 0) {
        throw new TarException("expected a " + RECORD + "-byte header, archive ends after " + got);
      }
      return null; // tolerated: archives truncated right after the last entry
    }
    if (ArchiveUtils.isArrayZero(record, record.length)) {
      return record; // the end-of-archive marker
    }
    if (!checksumAddsUp(record)) {
      throw new TarException("expected a tar header with a valid checksum at byte " + offset
          + ", got one that does not add up (not a tar archive?)");
    }
    byte type = record[TarConstants.LF_OFFSET];
    if (type == TarConstants.LF_PAX_EXTENDED_HEADER_LC || type == TarConstants.LF_PAX_EXTENDED_HEADER_UC
        || type == TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER || type == TarConstants.LF_GNUTYPE_LONGNAME
        || type == TarConstants.LF_GNUTYPE_LONGLINK) {
      long size = extendedHeaderSize(record);
      if (size > MAX_EXTENDED_HEADER) {
        throw new TarException("expected an extended header of at most 1 MiB, got " + size + " bytes");
      }
    }
    return record;
  }

  /**
   * Looks at the header Commons Compress has just read, before it reads the next record: an old
   * GNU sparse header may be followed by sparse map records, a pax header may announce a sparse
   * map in the data, and a long name may have lost its leading '/'.
   */
  private void checkExtendedHeaderJustRead() throws IOException {
    TarArchiveEntry previous = getCurrentEntry();
    if (previous == null) {
      return;
    }
    if (previous.isOldGNUSparse()) {
      throw sparse(previous);
    }
    if (!isNameBearing(previous)) {
      return;
    }
    String data = extendedHeader.toString(StandardCharsets.UTF_8);
    extendedHeader.reset();
    if (previous.isGNULongNameEntry()) {
      if (data.startsWith("/")) {
        throw absolute(data.replace("\0", ""));
      }
      return;
    }
    // pax records are "LEN KEY=VALUE\n" with one space after the length (POSIX.1-2001 pax): a
    // record making the path absolute contains " path=/". Text that only looks like one inside
    // another record's value is refused too; no real archive has it.
    int at = data.indexOf(" path=/");
    if (at >= 0) {
      int end = data.indexOf('\n', at);
      throw absolute(data.substring(at + " path=".length(), end < 0 ? data.length() : end));
    }
    if (data.contains(" GNU.sparse.")) {
      throw new TarException("entry after the pax header at byte " + getBytesRead()
          + " is a sparse file; only files, directories and links are accepted");
    }
  }

  private static boolean checksumAddsUp(byte[] record) {
    try {
      return TarUtils.verifyCheckSum(record);
    } catch (IllegalArgumentException notOctal) {
      return false; // the checksum field itself is garbage
    }
  }

  private static boolean isNameBearing(TarArchiveEntry e) {
    return e.isGNULongNameEntry() || e.isPaxHeader() || e.isGlobalPaxHeader();
  }

  private static long extendedHeaderSize(byte[] record) throws TarException {
    try {
      return TarUtils.parseOctalOrBinary(record, 124, 12);
    } catch (IllegalArgumentException e) {
      throw new TarException("expected an extended header size, got " + BlobStore.describe(e));
    }
  }

  private static TarException sparse(TarArchiveEntry e) {
    return new TarException("entry '" + Names.shorten(e.getName())
        + "' is a sparse file; only files, directories and links are accepted");
  }

  /** Worded as {@link TreeIngest#entryPath} words it for a short name. */
  private static TarException absolute(String name) {
    return new TarException("entry '" + Names.shorten(name) + "' has an absolute path");
  }

  /** A malformed archive, or one an import refuses. */
  static final class TarException extends IOException {
    TarException(String message) {
      super(message);
    }
  }
}
