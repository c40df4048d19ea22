package org.rackboot.images;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Image versions and their artifacts in the database; published versions never change. */
public final class Catalog {

  private final Jdbi jdbi;
  private final BlobStore blobs;
  private final EventSink events;

  public Catalog(Jdbi jdbi, BlobStore blobs, EventSink events) {
    this.jdbi = jdbi;
    this.blobs = blobs;
    this.events = events;
  }

  /**
   * Publishes a version whose artifacts are all already in the blob store. A second publish of the
   * same name and version is a CONFLICT, also when two race (the store lock and the unique key
   * both see to it).
   */
  public Manifest publish(ImageSpec raw, String actor) {
    ImageSpec spec = raw.normalize();
    List<Artifact> artifacts = new ArrayList<>();
    for (int i = 0; i < spec.artifacts().size(); i++) {
      ImageSpec.ArtifactSpec a = spec.artifacts().get(i);
      if (a.sha256() == null) {
        throw ImageStoreException.invalid("artifacts[" + i + "].sha256", "required");
      }
      if (a.size() == null) {
        throw ImageStoreException.invalid("artifacts[" + i + "].size", "required");
      }
      artifacts.add(new Artifact(a.name(), Part.of(a.part()), new Sha256(a.sha256()), a.size()));
    }
    Instant now = blobs.clock().instant();
    Manifest m = new Manifest(spec.name(), spec.version(), spec.os(), spec.arch(), spec.bootArgs(),
        spec.notes(), actor, now, List.copyOf(artifacts));
    try {
      jdbi.useTransaction(h -> {
        Db.lockStore(h);
        if (exists(h, m.name(), m.version())) {
          throw ImageStoreException.conflict("image " + m.ref() + " is already published; versions never change");
        }
        for (int i = 0; i < artifacts.size(); i++) {
          Artifact a = artifacts.get(i);
          // Touching under the store lock: a collection after this commit sees the reference,
          // one before it has already run, and a missing blob is refused here.
          Optional<BlobFile> b = blobs.find(a.sha256());
          if (b.isEmpty() || !blobs.touch(a.sha256())) {
            throw ImageStoreException.invalid("artifacts[" + i + "].sha256",
                "blob " + a.sha256() + " of artifact '" + a.name() + "' is not in the store; upload it first");
          }
          if (b.get().size() != a.size()) {
            throw ImageStoreException.invalid("artifacts[" + i + "].size",
                "declared " + a.size() + " but blob " + a.sha256() + " has " + b.get().size() + " bytes");
          }
        }
        long id = h.createUpdate("INSERT INTO image_versions (name, version, os, arch, boot_args, notes,"
                + " created_by, created_at) VALUES (:name, :version, :os, :arch, :bootArgs, :notes, :by, :at)")
            .bind("name", m.name()).bind("version", m.version()).bind("os", m.os()).bind("arch", m.arch())
            .bind("bootArgs", m.bootArgs()).bind("notes", m.notes()).bind("by", actor)
            .bind("at", Db.utc(now))
            .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        PreparedBatch batch = h.prepareBatch("INSERT INTO image_artifacts (image_id, position, name, part,"
            + " sha256, size) VALUES (:id, :pos, :name, :part, :sha, :size)");
        for (int i = 0; i < artifacts.size(); i++) {
          Artifact a = artifacts.get(i);
          batch.bind("id", id).bind("pos", i).bind("name", a.name()).bind("part", a.part().wire())
              .bind("sha", a.sha256().hex()).bind("size", a.size()).add();
        }
        batch.execute();
      });
    } catch (RuntimeException e) {
      if (!(e instanceof ImageStoreException) && Db.isDuplicateKey(e)) {
        throw ImageStoreException.conflict("image " + m.ref() + " is already published; versions never change");
      }
      throw e;
    }
    events.record("image.published", actor, "image:" + m.ref(), null, summary(m));
    return m;
  }

  private static boolean exists(Handle h, String name, String version) {
    return h.createQuery("SELECT COUNT(*) FROM image_versions WHERE name = :n AND version = :v")
        .bind("n", name).bind("v", version).mapTo(Integer.class).one() > 0;
  }

  public boolean exists(String name, String version) {
    return jdbi.withHandle(h -> exists(h, name, version));
  }

  public Optional<Manifest> get(String name, String version) {
    String n = Names.name("name", name);
    String v;
    try {
      v = Names.version("version", version);
    } catch (ImageStoreException e) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM image_versions WHERE name = :n AND version = :v")
        .bind("n", n).bind("v", v)
        .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("name"), rs.getString("version"),
            rs.getString("os"), rs.getString("arch"), rs.getString("boot_args"), rs.getString("notes"),
            rs.getString("created_by"), rs.getObject("created_at", LocalDateTime.class)))
        .findOne()
        .map(r -> r.toManifest(artifacts(h, r.id()))));
  }

  /** All versions of one image, oldest first. */
  public List<Manifest> versions(String name) {
    String n = Names.name("name", name);
    return list("WHERE name = :n", n);
  }

  /** Every image version, by name then age. */
  public List<Manifest> all() {
    return list("", null);
  }

  private List<Manifest> list(String where, String name) {
    return jdbi.withHandle(h -> {
      var q = h.createQuery("SELECT * FROM image_versions " + where + " ORDER BY name, id");
      if (name != null) {
        q.bind("n", name);
      }
      List<Row> rows = q.map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("name"), rs.getString("version"),
          rs.getString("os"), rs.getString("arch"), rs.getString("boot_args"), rs.getString("notes"),
          rs.getString("created_by"), rs.getObject("created_at", LocalDateTime.class))).list();
      List<Manifest> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(r.toManifest(artifacts(h, r.id())));
      }
      return out;
    });
  }

  private static List<Artifact> artifacts(Handle h, long id) {
    return h.createQuery("SELECT name, part, sha256, size FROM image_artifacts WHERE image_id = :id ORDER BY position")
        .bind("id", id)
        .map((rs, ctx) -> new Artifact(rs.getString("name"), Part.of(rs.getString("part")),
            new Sha256(rs.getString("sha256")), rs.getLong("size")))
        .list();
  }

  private record Row(long id, String name, String version, String os, String arch, String bootArgs,
      String notes, String createdBy, LocalDateTime createdAt) {
    Manifest toManifest(List<Artifact> artifacts) {
      return new Manifest(name, version, os, arch, bootArgs, notes, createdBy, Db.instant(createdAt), artifacts);
    }
  }

  static String summary(Manifest m) {
    StringBuilder b = new StringBuilder("{\"name\":").append(Db.json(m.name()))
        .append(",\"version\":").append(Db.json(m.version()))
        .append(",\"artifacts\":[");
    for (int i = 0; i < m.artifacts().size(); i++) {
      Artifact a = m.artifacts().get(i);
      b.append(i == 0 ? "" : ",").append("{\"name\":").append(Db.json(a.name()))
          .append(",\"part\":\"").append(a.part().wire()).append("\",\"sha256\":\"").append(a.sha256())
          .append("\",\"size\":").append(a.size()).append('}');
    }
    return b.append("]}").toString();
  }
}
