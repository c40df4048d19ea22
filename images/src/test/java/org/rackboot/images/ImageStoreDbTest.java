package org.rackboot.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.images.ImageStoreException.Reason;
import org.rackboot.testdb.DatabaseTest;
import org.rackboot.testdb.TestDatabase;

class ImageStoreDbTest {

  @TempDir Path dir;
  RecordingEvents events = new RecordingEvents();

  private ImageStore store(TestDatabase db) {
    return store(db, Clock.systemUTC());
  }

  private ImageStore store(TestDatabase db, Clock clock) {
    return new ImageStore(db.jdbi(), dir.resolve("store"),
        PinPolicy.of(List.of("dev", "staging", "prod"), List.of("prod")), events, clock, 1 << 20);
  }

  private static ImageSpec spec(String name, String version, BlobFile... blobs) {
    List<ImageSpec.ArtifactSpec> a = new ArrayList<>();
    for (int i = 0; i < blobs.length; i++) {
      a.add(new ImageSpec.ArtifactSpec("a" + i, i == 0 ? "kernel" : "initrd", blobs[i].sha256().hex(),
          blobs[i].size(), null));
    }
    return new ImageSpec(name, version, "Debian 12", "x86_64", "console=ttyS0", null, a);
  }

  private static BlobFile put(ImageStore s, String content) {
    return s.blobs().put(new ByteArrayInputStream(Trees.bytes(content)), null);
  }

  @DatabaseTest
  void publishesAndReadsBackAManifest(TestDatabase db) {
    ImageStore s = store(db);
    BlobFile k = put(s, "kernel");
    BlobFile i = put(s, "initrd");
    Manifest m = s.catalog().publish(spec("Debian", "12.1", k, i), "alice");
    assertThat(m.name()).isEqualTo("debian");
    Manifest back = s.catalog().get("debian", "12.1").orElseThrow();
    assertThat(back.artifacts()).containsExactly(
        new Artifact("a0", Part.KERNEL, k.sha256(), k.size()), new Artifact("a1", Part.INITRD, i.sha256(), i.size()));
    assertThat(back.createdBy()).isEqualTo("alice");
    assertThat(back.os()).isEqualTo("Debian 12");
    assertThat(back.bootArgs()).isEqualTo("console=ttyS0");
    assertThat(Duration.between(back.createdAt(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
    assertThat(s.catalog().versions("debian")).hasSize(1);
    assertThat(events.types()).containsExactly("image.published");
  }

  @DatabaseTest
  void republishingIsAConflictAndChangesNothing(TestDatabase db) {
    ImageStore s = store(db);
    BlobFile k = put(s, "kernel");
    BlobFile other = put(s, "other kernel");
    s.catalog().publish(spec("debian", "12.1", k), "alice");
    assertThatThrownBy(() -> s.catalog().publish(spec("debian", "12.1", other), "bob"))
        .isInstanceOf(ImageStoreException.class).hasMessageContaining("already published")
        .extracting(e -> ((ImageStoreException) e).reason()).isEqualTo(Reason.CONFLICT);
    assertThat(s.catalog().get("debian", "12.1").orElseThrow().artifacts().get(0).sha256()).isEqualTo(k.sha256());
  }

  @DatabaseTest
  void manifestNamingAMissingBlobIsRefused(TestDatabase db) {
    ImageStore s = store(db);
    BlobFile k = put(s, "kernel");
    BlobFile ghost = new BlobFile(Trees.sha(Trees.bytes("never uploaded")), dir, 14);
    assertThatThrownBy(() -> s.catalog().publish(spec("debian", "1", k, ghost), "alice"))
        .isInstanceOf(ImageStoreException.class)
        .hasMessageContaining("artifacts[1].sha256")
        .hasMessageContaining("not in the store");
    assertThat(s.catalog().get("debian", "1")).isEmpty();
    // Wrong size for an existing blob is refused too.
    BlobFile wrongSize = new BlobFile(k.sha256(), k.path(), k.size() + 1);
    assertThatThrownBy(() -> s.catalog().publish(spec("debian", "1", wrongSize), "alice"))
        .hasMessageContaining("artifacts[0].size");
  }

  @DatabaseTest
  void badFieldsAreNamed(TestDatabase db) {
    ImageStore s = store(db);
    BlobFile k = put(s, "kernel");
    assertThatThrownBy(() -> s.catalog().publish(spec("bad name!", "1", k), "a")).hasMessageStartingWith("name:");
    assertThatThrownBy(() -> s.catalog().publish(spec("ok", "latest", k), "a")).hasMessageStartingWith("version:");
    ImageSpec badPart = new ImageSpec("ok", "1", "os", "x86_64", null, null,
        List.of(new ImageSpec.ArtifactSpec("k", "bootloader", k.sha256().hex(), k.size(), null)));
    assertThatThrownBy(() -> s.catalog().publish(badPart, "a")).hasMessageStartingWith("part:");
    ImageSpec badSha = new ImageSpec("ok", "1", "os", "x86_64", null, null,
        List.of(new ImageSpec.ArtifactSpec("k", "kernel", "abc", k.size(), null)));
    assertThatThrownBy(() -> s.catalog().publish(badSha, "a")).hasMessageStartingWith("sha256:");
    assertThat(s.catalog().all()).isEmpty();
  }

  @DatabaseTest
  void twoConcurrentPublishesOfOneVersionHaveExactlyOneWinner(TestDatabase db) throws Exception {
    ImageStore s = store(db);
    List<BlobFile> blobs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      blobs.add(put(s, "kernel " + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Manifest>> results = new ArrayList<>();
      for (BlobFile b : blobs) {
        Callable<Manifest> c = () -> {
          go.await();
          return s.catalog().publish(spec("race", "1", b), "p-" + b.sha256().hex().substring(0, 6));
        };
        results.add(pool.submit(c));
      }
      go.countDown();
      int won = 0;
      int conflicts = 0;
      Sha256 winner = null;
      for (Future<Manifest> f : results) {
        try {
          winner = f.get().artifacts().get(0).sha256();
          won++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(ImageStoreException.class);
          assertThat(((ImageStoreException) e.getCause()).reason()).isEqualTo(Reason.CONFLICT);
          conflicts++;
        }
      }
      assertThat(won).isEqualTo(1);
      assertThat(conflicts).isEqualTo(7);
      assertThat(s.catalog().get("race", "1").orElseThrow().artifacts().get(0).sha256()).isEqualTo(winner);
    } finally {
      pool.shutdownNow();
    }
  }

  @DatabaseTest
  void importsADirectoryAndATarballWithTheRealTar(TestDatabase db) throws Exception {
    ImageStore s = store(db);
    Path src = Trees.imageDir(dir.resolve("src"), "debian", "12.2");
    Manifest m = s.importer().importTree(src, null, null, "cli");
    assertThat(m.ref()).isEqualTo("debian/12.2");
    assertThat(m.artifacts()).extracting(Artifact::name).containsExactly("vmlinuz", "initrd.img");
    assertThat(Files.readString(s.blobs().find(m.artifacts().get(0).sha256()).orElseThrow().path()))
        .isEqualTo("kernel of debian 12.2");

    Path src2 = Trees.imageDir(dir.resolve("src2"), "debian", "12.3");
    Path tarball = dir.resolve("img.tar.gz");
    Trees.tar(dir.resolve("plain.tar"), src2, ".");
    new ProcessBuilder("sh", "-c", "gzip -c plain.tar > img.tar.gz").directory(dir.toFile()).start().waitFor();
    Manifest t = s.importer().importTree(tarball, null, null, "cli");
    assertThat(t.ref()).isEqualTo("debian/12.3");
    assertThat(t.artifacts()).hasSize(2);
    assertThatThrownBy(() -> s.importer().importTree(src2, null, null, "cli"))
        .extracting(e -> ((ImageStoreException) e).reason()).isEqualTo(Reason.CONFLICT);
  }

  @DatabaseTest
  void importRefusesADeclaredShaThatDoesNotMatch(TestDatabase db) throws Exception {
    ImageStore s = store(db);
    Path src = Trees.imageDir(dir.resolve("src"), "debian", "1");
    Files.writeString(src.resolve("initrd.img"), "tampered initrd");
    assertThatThrownBy(() -> s.importer().importTree(src, null, null, "cli"))
        .hasMessageContaining("artifacts[1].sha256").hasMessageContaining("hashes to");
    assertThat(s.catalog().all()).isEmpty();
  }

  @DatabaseTest
  void maliciousTarballsAreRefusedAndStoreNothing(TestDatabase db) throws Exception {
    ImageStore s = store(db);
    Path work = dir.resolve("w");
    Path inner = Trees.imageDir(work.resolve("inner"), "evil", "1");
    Files.writeString(work.resolve("secret"), "outside");

    Path dotdot = dir.resolve("dotdot.tar");
    Trees.tar(dotdot, inner, "-P", ".", "../secret");
    Path absolute = dir.resolve("abs.tar");
    Trees.tar(absolute, inner, "-P", ".", work.resolve("secret").toString());
    Files.createSymbolicLink(inner.resolve("escape"), Path.of("../secret"));
    Path relLink = dir.resolve("rel.tar");
    Trees.tar(relLink, inner, ".");
    Files.delete(inner.resolve("escape"));
    Files.createSymbolicLink(inner.resolve("escape"), Path.of("/etc/passwd"));
    Path absLink = dir.resolve("abslink.tar");
    Trees.tar(absLink, inner, ".");

    assertThatThrownBy(() -> s.importer().importTree(dotdot, null, null, "cli")).hasMessageContaining("'..' segment");
    assertThatThrownBy(() -> s.importer().importTree(absolute, null, null, "cli")).hasMessageContaining("absolute path");
    assertThatThrownBy(() -> s.importer().importTree(relLink, null, null, "cli")).hasMessageContaining("points outside");
    assertThatThrownBy(() -> s.importer().importTree(absLink, null, null, "cli")).hasMessageContaining("points outside");
    // The same link in a directory import.
    assertThatThrownBy(() -> s.importer().importTree(inner, null, null, "cli")).hasMessageContaining("points outside");
    assertThat(s.blobs().list()).isEmpty();
    assertThat(s.catalog().all()).isEmpty();
  }

  @DatabaseTest
  void pinsPromotesAndRollsBackWithHistoryAndEvents(TestDatabase db) {
    ImageStore s = store(db);
    for (String v : List.of("1", "2", "3")) {
      s.catalog().publish(spec("web-os", v, put(s, "kernel " + v)), "builder");
    }
    Pins p = s.pins();
    p.pin("web", "dev", "web-os", "1", "alice");
    p.pin("web", "dev", "web-os", "2", "alice");
    p.pin("web", "dev", "web-os", "3", "alice");
    assertThat(p.current("web", "dev").orElseThrow().version()).isEqualTo("3");

    Pin staged = p.promote("web", "dev", "bob");
    assertThat(staged.environment()).isEqualTo("staging");
    assertThat(staged.version()).isEqualTo("3");

    // prod accepts only versions pinned in staging before.
    assertThatThrownBy(() -> p.pin("web", "prod", "web-os", "2", "carol"))
        .hasMessageContaining("accepts only versions pinned in staging")
        .extracting(e -> ((ImageStoreException) e).reason()).isEqualTo(Reason.CONFLICT);
    assertThat(p.current("web", "prod")).isEmpty();
    assertThat(p.promote("web", "staging", "carol").version()).isEqualTo("3");
    assertThatThrownBy(() -> p.promote("web", "prod", "carol")).hasMessageContaining("no next environment");

    // Rollback walks back one version per call.
    assertThat(p.rollback("web", "dev", "alice").version()).isEqualTo("2");
    assertThat(p.rollback("web", "dev", "alice").version()).isEqualTo("1");
    assertThatThrownBy(() -> p.rollback("web", "dev", "alice")).hasMessageContaining("no previous version");
    assertThatThrownBy(() -> p.rollback("web", "prod", "alice")).hasMessageContaining("no previous version");

    List<PinChange> h = p.history("web", "dev");
    assertThat(h).extracting(PinChange::action).containsExactly("rollback", "rollback", "pin", "pin", "pin");
    assertThat(h.get(0).fromVersion()).isEqualTo("2");
    assertThat(h.get(0).toVersion()).isEqualTo("1");
    assertThat(h.get(0).actor()).isEqualTo("alice");
    assertThat(h.get(4).fromVersion()).isNull();
    assertThat(events.types()).filteredOn(t -> t.startsWith("image.pin."))
        .containsExactly("image.pin.pin", "image.pin.pin", "image.pin.pin", "image.pin.promote",
            "image.pin.promote", "image.pin.rollback", "image.pin.rollback");
    assertThatThrownBy(() -> p.pin("web", "dev", "web-os", "9", "alice")).hasMessageContaining("not published");
    assertThat(p.all()).hasSize(3);
  }

  /** Two rollbacks at once walk back two versions: each computes its target under the lock. */
  @DatabaseTest
  void concurrentRollbacksEachGoOneVersionBack(TestDatabase db) throws Exception {
    ImageStore s = store(db);
    for (String v : List.of("1", "2", "3")) {
      s.catalog().publish(spec("web-os", v, put(s, "kernel " + v)), "builder");
    }
    Pins p = s.pins();
    for (String v : List.of("1", "2", "3")) {
      p.pin("web", "dev", "web-os", v, "alice");
    }
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<Pin>> done = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        done.add(two.submit(() -> {
          start.await(10, java.util.concurrent.TimeUnit.SECONDS);
          return p.rollback("web", "dev", "bob");
        }));
      }
      List<String> reached = new ArrayList<>();
      for (java.util.concurrent.Future<Pin> f : done) {
        reached.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS).version());
      }
      assertThat(reached).containsExactlyInAnyOrder("2", "1");
    } finally {
      two.shutdownNow();
    }
    assertThat(p.current("web", "dev").orElseThrow().version()).isEqualTo("1");
  }

  /** Every field is checked against what its column holds: a long arch is a 422, not a 500. */
  @org.junit.jupiter.api.Test
  void specFieldsLongerThanTheirColumnsAreRefusedByName() {
    ImageSpec longArch = new ImageSpec("img", "1", "Debian 12", "a".repeat(41), null, null,
        List.of(new ImageSpec.ArtifactSpec("k", "kernel", "0".repeat(64), 1L, null)));
    assertThatThrownBy(longArch::normalize).isInstanceOf(ImageStoreException.class)
        .hasMessageContaining("at most 40")
        .extracting(e -> ((ImageStoreException) e).field()).isEqualTo("arch");
  }

  /** Pinning what is already pinned (a retried PUT, a second promotion) changes nothing. */
  @DatabaseTest
  void repeatingAPinIsANoOpAndRollbackStillGoesBack(TestDatabase db) {
    ImageStore s = store(db);
    for (String v : List.of("1", "2")) {
      s.catalog().publish(spec("web-os", v, put(s, "kernel " + v)), "builder");
    }
    Pins p = s.pins();
    p.pin("web", "dev", "web-os", "1", "alice");
    p.pin("web", "dev", "web-os", "2", "alice");
    Pin again = p.pin("web", "dev", "web-os", "2", "bob");
    assertThat(again.pinnedBy()).isEqualTo("alice");
    p.promote("web", "dev", "carol");
    p.promote("web", "dev", "carol");
    assertThat(p.history("web", "dev")).hasSize(2);
    assertThat(p.history("web", "staging")).hasSize(1);
    assertThat(p.rollback("web", "dev", "alice").version()).isEqualTo("1");
    assertThat(events.types()).filteredOn(t -> t.startsWith("image.pin."))
        .containsExactly("image.pin.pin", "image.pin.pin", "image.pin.promote",
            "image.pin.rollback");
  }

  @DatabaseTest
  void garbageCollectionKeepsReferencedAndYoungBlobs(TestDatabase db) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ImageStore s = store(db, clock);
    BlobFile used = put(s, "used");
    BlobFile orphan = put(s, "orphan");
    s.catalog().publish(spec("img", "1", used), "a");
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve("pool"));
    Files.writeString(repo.resolve("pool/pkg.deb"), "package");
    s.repos().importTree(repo, "debian-main", "1", null, "a");
    clock.now = clock.now.plus(Duration.ofHours(2));
    BlobFile young = put(s, "young");
    // Blob modification times come from the store clock.
    GarbageCollector.Report r = s.gc().collect(Duration.ofHours(1), "admin");
    assertThat(r.deletedBlobs()).isEqualTo(1);
    assertThat(r.keptYoung()).isEqualTo(1);
    assertThat(r.referenced()).isEqualTo(2);
    assertThat(s.blobs().find(orphan.sha256())).isEmpty();
    assertThat(s.blobs().find(used.sha256())).isPresent();
    assertThat(s.blobs().find(young.sha256())).isPresent();
    assertThat(s.repos().file("debian-main", "1", "pool/pkg.deb")).isPresent();
    assertThat(s.blobs().find(s.repos().file("debian-main", "1", "pool/pkg.deb").orElseThrow().sha256())).isPresent();
    assertThat(events.types()).contains("images.gc");
  }

  @DatabaseTest
  void gcDuringAnImportNeverBreaksAPublishedImage(TestDatabase db) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ImageStore s = store(db, clock);
    BlobFile old = put(s, "an old unreferenced blob that an import reuses");
    clock.now = clock.now.plus(Duration.ofDays(1));
    // The import dedups onto the old blob: the put refreshes it, so a GC now keeps it.
    BlobFile reused = put(s, "an old unreferenced blob that an import reuses");
    assertThat(reused.sha256()).isEqualTo(old.sha256());
    assertThat(s.gc().collect(Duration.ofHours(1), "gc").deletedBlobs()).isZero();
    s.catalog().publish(spec("img", "1", reused), "a");
    // Racing GC (grace 0) against publishes: every published image keeps all its blobs.
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> fs = new ArrayList<>();
      fs.add(pool.submit(() -> {
        for (int i = 0; i < 20; i++) {
          s.gc().collect(Duration.ZERO, "gc");
        }
        return null;
      }));
      fs.add(pool.submit(() -> {
        for (int i = 0; i < 20; i++) {
          BlobFile b = put(s, "blob " + i);
          try {
            s.catalog().publish(spec("img", "v" + i, b), "a");
          } catch (ImageStoreException e) {
            assertThat(e).hasMessageContaining("not in the store"); // GC won: refused, not broken
          }
        }
        return null;
      }));
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    for (Manifest m : s.catalog().all()) {
      for (Artifact a : m.artifacts()) {
        assertThat(s.blobs().find(a.sha256())).as(m.ref()).isPresent();
      }
    }
  }

  @DatabaseTest
  void repositorySnapshotsServeExactPathsAndLatest(TestDatabase db) throws Exception {
    ImageStore s = store(db);
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve("dists/stable"));
    Files.createDirectories(repo.resolve("pool/main"));
    Files.writeString(repo.resolve("dists/stable/Release"), "Release v1");
    Files.writeString(repo.resolve("pool/main/Pkg.deb"), "deb");
    Files.createSymbolicLink(repo.resolve("dists/current"), Path.of("stable/Release"));
    RepoSnapshot r1 = s.repos().importTree(repo, "debian-main", "2026.01", "first", "alice");
    assertThat(r1.fileCount()).isEqualTo(3);
    Files.writeString(repo.resolve("dists/stable/Release"), "Release v2");
    s.repos().importTree(repo, "debian-main", "2026.02", null, "alice");

    assertThat(content(s, s.repos().file("debian-main", "2026.01", "dists/stable/Release").orElseThrow()))
        .isEqualTo("Release v1");
    assertThat(content(s, s.repos().file("debian-main", "latest", "dists/stable/Release").orElseThrow()))
        .isEqualTo("Release v2");
    assertThat(content(s, s.repos().file("debian-main", "2026.01", "dists/current").orElseThrow()))
        .isEqualTo("Release v1");
    assertThat(s.repos().file("debian-main", "2026.01", "pool/main/Pkg.deb")).isPresent();
    assertThat(s.repos().file("debian-main", "2026.01", "pool/main/pkg.deb")).isEmpty(); // case matters
    assertThat(s.repos().file("debian-main", "2026.01", "../../etc/passwd")).isEmpty();
    assertThat(s.repos().files("debian-main", "2026.01", 0, 100)).hasSize(3);
    assertThatThrownBy(() -> s.repos().importTree(repo, "debian-main", "2026.01", null, "bob"))
        .extracting(e -> ((ImageStoreException) e).reason()).isEqualTo(Reason.CONFLICT);
    assertThat(s.repos().all()).hasSize(2);
    assertThat(events.types()).containsExactly("repo.snapshot.published", "repo.snapshot.published");
  }

  @DatabaseTest
  void tftpAccessorServesOnlySmallVerifiedBlobs(TestDatabase db) throws Exception {
    ImageStore s = store(db);
    BlobFile small = put(s, "ipxe script");
    BlobFile big = s.blobs().put(new ByteArrayInputStream(new byte[(1 << 20) + 1]), null);
    assertThat(s.smallBlob(small.sha256())).map(BlobFile::size).contains(11L);
    assertThat(s.smallBlob(big.sha256())).isEmpty();
    Files.writeString(small.path(), "IPXE SCRIPT");
    assertThat(s.smallBlob(small.sha256())).isEmpty();
    assertThat(s.blobs().quarantined()).hasSize(1);
  }

  private static String content(ImageStore s, RepoFile f) throws Exception {
    return Files.readString(s.blobs().find(f.sha256()).orElseThrow().path());
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
