package org.rackboot.api.health;

import com.codahale.metrics.health.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Healthy when the image store directory is writable and has more free space than the floor. */
public final class ImageStoreHealthCheck extends HealthCheck {

  private final Path storeDir;
  private final long minFreeBytes;

  public ImageStoreHealthCheck(Path storeDir, long minFreeBytes) {
    this.storeDir = storeDir;
    this.minFreeBytes = minFreeBytes;
  }

  @Override
  protected Result check() throws IOException {
    if (!Files.isDirectory(storeDir)) {
      return Result.unhealthy("image store " + storeDir + " is not a directory");
    }
    // Writability is proven by writing: permission bits lie on read-only mounts.
    Path probe = Files.createTempFile(storeDir, ".health", ".tmp");
    Files.delete(probe);
    long free = Files.getFileStore(storeDir).getUsableSpace();
    if (free < minFreeBytes) {
      return Result.unhealthy(
          "image store " + storeDir + " has " + free + " bytes free, below the floor of "
              + minFreeBytes);
    }
    return Result.healthy("%d bytes free", free);
  }
}
