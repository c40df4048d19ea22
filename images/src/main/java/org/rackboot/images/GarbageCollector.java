package org.rackboot.images;

import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes blobs that no image version and no repository snapshot references and that have not
 * been written or touched for the grace period, and temporary files idle that long.
 *
 * <p>Safe while imports run: a blob being imported is fresh (put and publish touch it), and the
 * collection runs under the same database row lock as publishing, so a publish either commits its
 * references before the collector reads them or finds its blob gone and is refused.
 */
public final class GarbageCollector {

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final Jdbi jdbi;
  private final BlobStore store;
  private final EventSink events;

  public GarbageCollector(Jdbi jdbi, BlobStore store, EventSink events) {
    this.jdbi = jdbi;
    this.store = store;
    this.events = events;
  }

  /** What one collection did. */
  @Schema(name = "GcReport")
  public record Report(int deletedBlobs, long freedBytes, int keptYoung, int referenced, int deletedTemp) {}

  public Report collect(Duration grace, String actor) {
    if (grace.isNegative()) {
      throw ImageStoreException.invalid("grace", "expected a grace period >= 0, got " + grace);
    }
    Instant cutoff = store.clock().instant().minus(grace);
    Report r = jdbi.inTransaction(h -> {
      Db.lockStore(h);
      Set<String> refs = new HashSet<>(h.createQuery("SELECT DISTINCT sha256 FROM image_artifacts")
          .mapTo(String.class).list());
      refs.addAll(h.createQuery("SELECT DISTINCT sha256 FROM repo_snapshot_files").mapTo(String.class).list());
      int deleted = 0;
      int young = 0;
      int referenced = 0;
      long freed = 0;
      for (Sha256 s : store.list()) {
        if (refs.contains(s.hex())) {
          referenced++;
          continue;
        }
        Path p = store.pathOf(s);
        try {
          if (store.modified(p).isAfter(cutoff)) {
            young++;
            continue;
          }
          long size = Files.size(p);
          if (store.delete(s)) {
            deleted++;
            freed += size;
          }
        } catch (IOException e) {
          LOG.warn("garbage collection skipped {}: {}", p, e.toString());
        }
      }
      int temp = 0;
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(store.tmpDir())) {
        for (Path t : ds) {
          // An upload in progress keeps writing, so its modification time stays fresh.
          if (store.modified(t).isBefore(cutoff) && Files.deleteIfExists(t)) {
            temp++;
          }
        }
      } catch (IOException e) {
        LOG.warn("garbage collection cannot clean {}: {}", store.tmpDir(), e.toString());
      }
      return new Report(deleted, freed, young, referenced, temp);
    });
    events.record("images.gc", actor, "imagestore", null,
        "{\"deletedBlobs\":" + r.deletedBlobs() + ",\"freedBytes\":" + r.freedBytes() + ",\"keptYoung\":"
            + r.keptYoung() + ",\"deletedTemp\":" + r.deletedTemp() + ",\"graceSeconds\":" + grace.toSeconds() + "}");
    return r;
  }
}
