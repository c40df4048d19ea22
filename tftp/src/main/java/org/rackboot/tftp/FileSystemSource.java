package org.rackboot.tftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.rackboot.tftp.wire.ErrorCode;

/**
 * Regular files under one root directory. The joined path is resolved through symlinks and must
 * still lie inside the (resolved) root; directories, devices, FIFOs and sockets are refused.
 */
public final class FileSystemSource implements TftpSource {

  /** Files up to this size are memory-mapped; larger ones are read with positional reads. */
  static final long MAX_MAPPED = Integer.MAX_VALUE;

  private final Path root;

  public FileSystemSource(Path root) throws IOException {
    this.root = root.toRealPath();
  }

  public Path root() {
    return root;
  }

  @Override
  public Lookup open(String path, InetSocketAddress client) throws IOException {
    Path joined = root.resolve(path).normalize();
    Path real;
    try {
      real = joined.toRealPath();
    } catch (NoSuchFileException e) {
      return Lookup.notFound();
    } catch (AccessDeniedException e) {
      return Lookup.refused(ErrorCode.ACCESS_VIOLATION, "Access violation", "permission denied");
    } catch (FileSystemException e) {
      // A file used as a directory, a symlink loop, a name too long: nothing to serve there,
      // and the client's mistake, not the server's (tftp-hpa answers these with the errno).
      return Lookup.refused(ErrorCode.FILE_NOT_FOUND, "File not found",
          "cannot resolve: " + e.getReason());
    }
    if (!real.startsWith(root)) {
      return Lookup.refused(ErrorCode.ACCESS_VIOLATION, "Access violation", "resolves outside root");
    }
    BasicFileAttributes attrs =
        Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (attrs.isDirectory()) {
      return Lookup.refused(ErrorCode.ACCESS_VIOLATION, "Access violation", "is a directory");
    }
    if (!attrs.isRegularFile()) {
      return Lookup.refused(ErrorCode.ACCESS_VIOLATION, "Access violation", "not a regular file");
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(real, StandardOpenOption.READ);
    } catch (AccessDeniedException e) {
      return Lookup.refused(ErrorCode.ACCESS_VIOLATION, "Access violation", "permission denied");
    } catch (NoSuchFileException e) {
      return Lookup.notFound();
    }
    // The size is fixed at open: tsize promises it, and a growing file must not make the last
    // block move.
    long size = ch.size();
    if (size > 0 && size <= MAX_MAPPED) {
      // Mapped, a block costs a memory copy instead of a pread. A file rewritten in place while
      // it is served (cp over it, rsync --inplace) fails that transfer only: TftpContent.intact.
      try {
        return Lookup.found(TftpContent.mapped(ch));
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }
    return Lookup.found(TftpContent.of(ch, 0, size));
  }
}
