package org.rackboot.api.health;

import com.codahale.metrics.health.HealthCheck;
import java.util.List;
import org.rackboot.images.BlobStore;

/** Red while any blob sits in quarantine: its bytes did not match its sha256. */
public final class ImageStoreIntegrityHealthCheck extends HealthCheck {

  private final BlobStore blobs;

  public ImageStoreIntegrityHealthCheck(BlobStore blobs) {
    this.blobs = blobs;
  }

  @Override
  protected Result check() {
    List<String> q = blobs.quarantined();
    if (!q.isEmpty()) {
      return Result.unhealthy(q.size() + " corrupt blob(s) quarantined in " + blobs.root().resolve("quarantine")
          + " (never served): " + String.join(", ", q.subList(0, Math.min(5, q.size())))
          + "; re-import the affected images, then delete the quarantined files");
    }
    return Result.healthy("no quarantined blobs");
  }
}
