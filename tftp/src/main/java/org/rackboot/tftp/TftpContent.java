package org.rackboot.tftp;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Bytes of known size that a transfer reads by position. Closed when the transfer ends, however
 * it ends.
 */
public interface TftpContent extends Closeable {

  long size();

  /**
   * Fills {@code dst} from {@code position} until it is full or the content ends; returns the
   * number of bytes put.
   */
  int read(ByteBuffer dst, long position) throws IOException;

  /**
   * False when the bytes behind this content are gone: a memory-mapped file truncated under the
   * transfer. Reading such a mapping raises SIGBUS, which the JVM turns into an
   * {@link InternalError} thrown at some later point of the reading thread, not by {@code read}.
   * The transfer worker asks this every few dozen blocks of a transfer, and of every transfer
   * when such an error turns up, to fail the transfers whose bytes are gone and keep the others.
   */
  default boolean intact() {
    return true;
  }

  @Override
  default void close() throws IOException {}

  /** Generated content held in memory (per-host configs, iPXE scripts). */
  static TftpContent of(byte[] bytes) {
    byte[] copy = bytes.clone();
    return new TftpContent() {
      @Override
      public long size() {
        return copy.length;
      }

      @Override
      public int read(ByteBuffer dst, long position) {
        if (position >= copy.length) {
          return 0;
        }
        int n = (int) Math.min(dst.remaining(), copy.length - position);
        dst.put(copy, (int) position, n);
        return n;
      }
    };
  }

  /**
   * Bytes in a buffer (a memory-mapped file, a cache entry): a block is one memory copy into the
   * send buffer, with no system call. The buffer is not modified; its position is ignored.
   */
  static TftpContent of(ByteBuffer bytes) {
    ByteBuffer view = bytes.duplicate().clear();
    return new TftpContent() {
      @Override
      public long size() {
        return view.capacity();
      }

      @Override
      public int read(ByteBuffer dst, long position) {
        if (position >= view.capacity()) {
          return 0;
        }
        int n = (int) Math.min(dst.remaining(), view.capacity() - position);
        dst.put(dst.position(), view, (int) position, n);
        dst.position(dst.position() + n);
        return n;
      }
    };
  }

  /**
   * A whole file, memory-mapped: a block is a memory copy, not a pread. The channel stays open
   * for {@link #intact()} (one fstat, asked every few dozen blocks) and is closed with the content;
   * the mapping itself is released by the GC.
   */
  static TftpContent mapped(FileChannel channel) throws IOException {
    long size = channel.size();
    TftpContent bytes = of(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
    return new TftpContent() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public int read(ByteBuffer dst, long position) throws IOException {
        return bytes.read(dst, position);
      }

      @Override
      public boolean intact() {
        try {
          return channel.size() >= size;
        } catch (IOException e) {
          return false;
        }
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  static TftpContent of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A region of an open file, read with positional reads (no shared file pointer, so windows and
   * retransmits need no seeking). The channel is closed with the content.
   */
  static TftpContent of(FileChannel channel, long offset, long size) {
    return new TftpContent() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public int read(ByteBuffer dst, long position) throws IOException {
        int want = (int) Math.min(dst.remaining(), size - position);
        if (want <= 0) {
          return 0;
        }
        int oldLimit = dst.limit();
        dst.limit(dst.position() + want);
        try {
          int total = 0;
          while (dst.hasRemaining()) {
            int n = channel.read(dst, offset + position + total);
            if (n < 0) {
              // The file shrank under us: the size promised in tsize can no longer be kept.
              throw new IOException("file ended at " + (position + total) + " of " + size);
            }
            total += n;
          }
          return total;
        } finally {
          dst.limit(oldLimit);
        }
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }
}
