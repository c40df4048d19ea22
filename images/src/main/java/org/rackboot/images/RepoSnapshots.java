package org.rackboot.images;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Package repository snapshots: any directory tree imported once under a name and an immutable
 * version, served read-only at a stable path. {@code latest} names the newest version.
 */
public final class RepoSnapshots {

  public static final String LATEST = "latest";

  private final Jdbi jdbi;
  private final BlobStore store;
  private final EventSink events;

  public RepoSnapshots(Jdbi jdbi, BlobStore store, EventSink events) {
    this.jdbi = jdbi;
    this.store = store;
    this.events = events;
  }

  public RepoSnapshot importTree(Path source, String name, String version, String notes, String actor) {
    String n = Names.name("name", name);
    String v = Names.version("version", version);
    if (get(n, v).isPresent()) {
      throw ImageStoreException.conflict("repository snapshot " + n + "/" + v + " already exists; snapshots never change");
    }
    Map<String, BlobFile> files = new TreeIngest(store).ingest(source);
    long total = files.values().stream().mapToLong(BlobFile::size).sum();
    Instant now = store.clock().instant();
    RepoSnapshot snap = new RepoSnapshot(n, v, notes, files.size(), total, actor, now);
    try {
      jdbi.useTransaction(h -> {
        Db.lockStore(h);
        if (exists(h, n, v)) {
          throw ImageStoreException.conflict("repository snapshot " + n + "/" + v + " already exists; snapshots never change");
        }
        for (BlobFile b : files.values()) {
          if (!store.touch(b.sha256())) {
            throw ImageStoreException.storage("blob " + b.sha256() + " vanished during the import; try again", null);
          }
        }
        long id = h.createUpdate("INSERT INTO repo_snapshots (name, version, notes, file_count, total_size,"
                + " created_by, created_at) VALUES (:n, :v, :notes, :count, :total, :by, :at)")
            .bind("n", n).bind("v", v).bind("notes", notes).bind("count", files.size()).bind("total", total)
            .bind("by", actor).bind("at", Db.utc(now))
            .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        PreparedBatch batch = h.prepareBatch("INSERT INTO repo_snapshot_files (snapshot_id, path_sha, path, sha256,"
            + " size) VALUES (:id, :ps, :p, :sha, :size)");
        int pending = 0;
        for (Map.Entry<String, BlobFile> f : files.entrySet()) {
          batch.bind("id", id).bind("ps", Sha256.ofString(f.getKey()).hex()).bind("p", f.getKey())
              .bind("sha", f.getValue().sha256().hex()).bind("size", f.getValue().size()).add();
          if (++pending == 1000) {
            batch.execute();
            pending = 0;
          }
        }
        if (pending > 0) {
          batch.execute();
        }
      });
    } catch (RuntimeException e) {
      if (!(e instanceof ImageStoreException) && Db.isDuplicateKey(e)) {
        throw ImageStoreException.conflict("repository snapshot " + n + "/" + v + " already exists; snapshots never change");
      }
      throw e;
    }
    events.record("repo.snapshot.published", actor, "repo:" + n + "/" + v, null,
        "{\"name\":" + Db.json(n) + ",\"version\":" + Db.json(v) + ",\"files\":" + files.size()
            + ",\"bytes\":" + total + "}");
    return snap;
  }

  private static boolean exists(Handle h, String n, String v) {
    return h.createQuery("SELECT COUNT(*) FROM repo_snapshots WHERE name = :n AND version = :v")
        .bind("n", n).bind("v", v).mapTo(Integer.class).one() > 0;
  }

  /** A snapshot by name and version ({@code latest}: the newest). */
  public Optional<RepoSnapshot> get(String name, String version) {
    return row(name, version).map(Row::snapshot);
  }

  private Optional<Row> row(String name, String version) {
    String n;
    String v;
    try {
      n = Names.name("name", name);
      v = LATEST.equalsIgnoreCase(version) ? LATEST : Names.version("version", version);
    } catch (ImageStoreException e) {
      return Optional.empty();
    }
    String sql = LATEST.equals(v)
        ? "SELECT * FROM repo_snapshots WHERE name = :n ORDER BY id DESC LIMIT 1"
        : "SELECT * FROM repo_snapshots WHERE name = :n AND version = :v";
    return jdbi.withHandle(h -> h.createQuery(sql).bind("n", n).bind("v", v).map((rs, ctx) -> new Row(rs.getLong("id"),
        new RepoSnapshot(rs.getString("name"), rs.getString("version"), rs.getString("notes"), rs.getInt("file_count"),
            rs.getLong("total_size"), rs.getString("created_by"),
            Db.instant(rs.getObject("created_at", LocalDateTime.class))))).findOne());
  }

  private record Row(long id, RepoSnapshot snapshot) {}

  public List<RepoSnapshot> all() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM repo_snapshots ORDER BY name, id")
        .map((rs, ctx) -> new RepoSnapshot(rs.getString("name"), rs.getString("version"), rs.getString("notes"),
            rs.getInt("file_count"), rs.getLong("total_size"), rs.getString("created_by"),
            Db.instant(rs.getObject("created_at", LocalDateTime.class))))
        .list());
  }

  /** One file of a snapshot; exact, case-sensitive path match on both databases. */
  public Optional<RepoFile> file(String name, String version, String path) {
    Optional<Row> snap = row(name, version);
    if (snap.isEmpty() || path == null) {
      return Optional.empty();
    }
    String p;
    try {
      p = TreeIngest.entryPath(path);
    } catch (ImageStoreException e) {
      return Optional.empty();
    }
    if (p == null) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT path, sha256, size FROM repo_snapshot_files"
            + " WHERE snapshot_id = :id AND path_sha = :ps")
        .bind("id", snap.get().id()).bind("ps", Sha256.ofString(p).hex())
        .map((rs, ctx) -> new RepoFile(rs.getString("path"), new Sha256(rs.getString("sha256")), rs.getLong("size")))
        .findOne()
        .filter(f -> f.path().equals(p)));
  }

  /** Files of a snapshot in path order, a page at a time. */
  public List<RepoFile> files(String name, String version, int offset, int limit) {
    Optional<Row> snap = row(name, version);
    if (snap.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT path, sha256, size FROM repo_snapshot_files"
            + " WHERE snapshot_id = :id ORDER BY path_sha LIMIT :limit OFFSET :offset")
        .bind("id", snap.get().id()).bind("limit", limit).bind("offset", offset)
        .map((rs, ctx) -> new RepoFile(rs.getString("path"), new Sha256(rs.getString("sha256")), rs.getLong("size")))
        .list());
  }
}
