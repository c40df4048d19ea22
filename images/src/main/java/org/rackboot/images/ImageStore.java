package org.rackboot.images;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The image store as one object: blobs, catalog, pins, repository snapshots, import and GC. */
public final class ImageStore {

  private final BlobStore blobs;
  private final Catalog catalog;
  private final Pins pins;
  private final RepoSnapshots repos;
  private final ImageImporter importer;
  private final GarbageCollector gc;
  private final long maxTftpSize;

  public ImageStore(Jdbi jdbi, Path root, PinPolicy policy, EventSink events, Clock clock, long maxTftpSize) {
    this.blobs = BlobStore.open(root, events, clock);
    this.catalog = new Catalog(jdbi, blobs, events);
    this.pins = new Pins(jdbi, catalog, policy, events, clock);
    this.repos = new RepoSnapshots(jdbi, blobs, events);
    this.importer = new ImageImporter(blobs, catalog);
    this.gc = new GarbageCollector(jdbi, blobs, events);
    this.maxTftpSize = maxTftpSize;
  }

  public BlobStore blobs() {
    return blobs;
  }

  public Catalog catalog() {
    return catalog;
  }

  public Pins pins() {
    return pins;
  }

  public RepoSnapshots repos() {
    return repos;
  }

  public ImageImporter importer() {
    return importer;
  }

  public GarbageCollector gc() {
    return gc;
  }

  /**
   * For a {@code TftpSource}: a small blob (at most the configured TFTP size), verified, as a path
   * and size. Empty when absent, quarantined, or too big to send over TFTP.
   */
  public Optional<BlobFile> smallBlob(Sha256 sha) {
    return blobs.find(sha).filter(b -> b.size() <= maxTftpSize).flatMap(b -> blobs.openVerified(sha));
  }
}
