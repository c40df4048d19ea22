package org.rackboot.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.rackboot.tftp.FileSystemSource;
import org.rackboot.tftp.Lookup;
import org.rackboot.tftp.TftpSource;

/**
 * One of tftp.bootLoaderDirs over TFTP: a boot loader by its bare name (undionly.kpxe,
 * ipxe.efi), nothing else. Unlike tftp.root, the distribution's symlinks are followed: Debian's
 * /usr/lib/ipxe/ipxe.efi points to /boot/ipxe.efi. The name is one path segment of a boot
 * loader's extension, so no request reaches anything but the files the package installed.
 */
final class BootLoaderDirSource implements TftpSource {

  /** The names HTTP boot serves too (BootResource): one segment, a boot loader's extension. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*[.](efi|kpxe|kkpxe|pxe|lkrn)");

  private final Path dir;

  BootLoaderDirSource(Path dir) {
    this.dir = dir;
  }

  @Override
  public Lookup open(String path, InetSocketAddress client) throws IOException {
    // Firmware asks "undionly.kpxe" or "/undionly.kpxe".
    String name = path.startsWith("/") ? path.substring(1) : path;
    if (!NAME.matcher(name).matches()) {
      return Lookup.notFound();
    }
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      return Lookup.notFound();
    }
    Path real = file.toRealPath();
    return new FileSystemSource(real.getParent()).open(real.getFileName().toString(), client);
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
