package org.rackboot.api.boot;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.rackboot.images.BlobFile;
import org.rackboot.images.ImageStore;
import org.rackboot.images.ImageStoreException;
import org.rackboot.images.Sha256;
import org.rackboot.tftp.Lookup;
import org.rackboot.tftp.TftpContent;
import org.rackboot.tftp.TftpSource;

/**
 * Small image-store artifacts over TFTP as {@code blobs/<sha256>}, for firmware that cannot
 * speak HTTP. Only verified blobs under images.maxTftpSize are served; anything else under
 * {@code blobs/} is not found rather than passed on to the static root.
 */
public final class ImageTftpSource implements TftpSource {

  private static final String PREFIX = "blobs/";

  private final ImageStore store;

  public ImageTftpSource(ImageStore store) {
    this.store = store;
  }

  @Override
  public Lookup open(String path, InetSocketAddress client) throws IOException {
    if (!path.startsWith(PREFIX)) {
      return Lookup.notFound();
    }
    Sha256 sha;
    try {
      sha = Sha256.of(path.substring(PREFIX.length()));
    } catch (ImageStoreException e) {
      return Lookup.notFound();
    }
    Optional<BlobFile> blob = store.smallBlob(sha);
    if (blob.isEmpty()) {
      return Lookup.notFound();
    }
    FileChannel ch = FileChannel.open(blob.get().path(), StandardOpenOption.READ);
    return Lookup.found(TftpContent.of(ch, 0, blob.get().size()));
  }
}
