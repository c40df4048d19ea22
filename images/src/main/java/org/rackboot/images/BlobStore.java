package org.rackboot.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Content-addressed blobs on disk: {@code blobs/ab/abcd...} named by their sha256.
 *
 * <p>A blob is written to {@code tmp/}, fsynced, checked against the declared sha256 and only then
 * renamed into place (then the directory is fsynced), so a crash or a full disk never leaves a
 * partial blob under a sha256 name. A blob whose bytes no longer match its name is moved to
 * {@code quarantine/}, reported as an event and never handed out again.
 */
public final class BlobStore {

  private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);
  private static final int BUFFER = 1 << 20;
  private static final long FLUSH_EVERY = 64L << 20;
  private static final ExecutorService FLUSHER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "blob-flusher");
    t.setDaemon(true);
    return t;
  });

  private final Path root;
  private final Path blobs;
  private final Path tmp;
  private final Path quarantine;
  private final EventSink events;
  private final Clock clock;
  /** Blobs hashed since they last changed on disk: a cheap stat replaces a full re-read. */
  private final Map<Sha256, FileKey> verified = new ConcurrentHashMap<>();
  private final Map<Sha256, Object> verifyLocks = new ConcurrentHashMap<>();

  private BlobStore(Path root, EventSink events, Clock clock) {
    this.root = root;
    this.blobs = root.resolve("blobs");
    this.tmp = root.resolve("tmp");
    this.quarantine = root.resolve("quarantine");
    this.events = events;
    this.clock = clock;
  }

  /**
   * Opens (creating if needed) the store under {@code root} and deletes temporary files left by a
   * process that died mid-write (a crash, SIGKILL, power loss).
   */
  public static BlobStore open(Path root, EventSink events) {
    return open(root, events, Clock.systemUTC());
  }

  public static BlobStore open(Path root, EventSink events, Clock clock) {
    BlobStore s = new BlobStore(root.toAbsolutePath().normalize(), events, clock);
    try {
      Files.createDirectories(s.blobs);
      Files.createDirectories(s.tmp);
      Files.createDirectories(s.quarantine);
      int removed = 0;
      try (DirectoryStream<Path> left = Files.newDirectoryStream(s.tmp)) {
        for (Path p : left) {
          // A CLI import may share the directory with a running server: keep files of live writers.
          if (!writerAlive(p.getFileName().toString()) && Files.deleteIfExists(p)) {
            removed++;
          }
        }
      }
      if (removed > 0) {
        LOG.info("removed {} unfinished temporary file(s) from {}", removed, s.tmp);
      }
    } catch (IOException e) {
      throw ImageStoreException.storage("cannot open image store at " + root + ": " + e, e);
    }
    return s;
  }

  private static final String PID = Long.toString(ProcessHandle.current().pid());

  /** Temporary files are named {@code put-<pid>-<random>.tmp}. */
  private static boolean writerAlive(String tmpName) {
    String[] parts = tmpName.split("-", 3);
    if (parts.length < 3 || !parts[0].equals("put")) {
      return false;
    }
    try {
      long pid = Long.parseLong(parts[1]);
      return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  public Path root() {
    return root;
  }

  Path tmpDir() {
    return tmp;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Streams {@code in} into the store. With {@code expected} set, bytes that hash differently are
   * refused and nothing is kept. An existing blob is not rewritten, only its modification time is
   * refreshed, so the garbage collector's grace period protects it until it is referenced.
   */
  public BlobFile put(InputStream in, Sha256 expected) {
    Path temp = tmp.resolve("put-" + PID + "-" + UUID.randomUUID() + ".tmp");
    MessageDigest md = Sha256.newDigest();
    long size = 0;
    boolean moved = false;
    try {
      try (FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buf = new byte[BUFFER];
        ByteBuffer bb = ByteBuffer.wrap(buf);
        int n;
        long unflushed = 0;
        Future<?> flushing = null;
        try {
          while ((n = readFully(in, buf)) > 0) {
            md.update(buf, 0, n);
            bb.clear().limit(n);
            while (bb.hasRemaining()) {
              ch.write(bb);
            }
            size += n;
            unflushed += n;
            // Start writeback while more bytes arrive, so the final fsync has little left to do:
            // with a large page cache the kernel would otherwise hold gigabytes dirty until then.
            if (unflushed >= FLUSH_EVERY && (flushing == null || flushing.isDone())) {
              if (flushing != null) {
                flushing.get();
              }
              flushing = FLUSHER.submit(() -> {
                ch.force(false);
                return null;
              });
              unflushed = 0;
            }
          }
          if (flushing != null) {
            flushing.get();
          }
        } catch (ExecutionException e) {
          throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        } finally {
          if (flushing != null && !flushing.isDone()) {
            try {
              flushing.get();
            } catch (ExecutionException | InterruptedException ignored) {
              // the write already failed; the temporary file goes anyway
            }
          }
        }
        ch.force(true);
      }
      Sha256 actual = Sha256.of(md.digest());
      if (expected != null && !expected.equals(actual)) {
        throw ImageStoreException.invalid("sha256",
            "declared " + expected + " but the " + size + " bytes received hash to " + actual
                + "; nothing was kept");
      }
      // Ages for garbage collection are measured on the store's clock; set before the rename so
      // the blob is never visible with a stale age.
      touch(temp);
      Path target = pathOf(actual);
      if (Files.exists(target) && Files.size(target) == size) {
        try {
          touch(target);
          return new BlobFile(actual, target, size);
        } catch (NoSuchFileException collected) {
          // The collector removed it just now: store ours instead.
        }
      }
      Files.createDirectories(target.getParent());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      fsyncDir(target.getParent());
      FileKey key = FileKey.ofQuietly(target);
      if (key != null) {
        verified.put(actual, key);
      }
      return new BlobFile(actual, target, size);
    } catch (IOException e) {
      throw ImageStoreException.storage(
          "cannot store blob in " + root + " after " + size + " bytes: " + describe(e)
              + "; the partial file was removed", e);
    } catch (UncheckedIOException e) {
      throw ImageStoreException.storage(
          "cannot store blob in " + root + " after " + size + " bytes: " + describe(e.getCause())
              + "; the partial file was removed", e);
    } finally {
      if (!moved) {
        deleteQuietly(temp);
      }
    }
  }

  /** Copies a local file into the store (the CLI import path). */
  public BlobFile putFile(Path file, Sha256 expected) {
    try (InputStream in = Files.newInputStream(file)) {
      return put(in, expected);
    } catch (IOException e) {
      throw ImageStoreException.storage("cannot read " + file + ": " + describe(e), e);
    }
  }

  private static int readFully(InputStream in, byte[] buf) throws IOException {
    int off = 0;
    while (off < buf.length) {
      int n = in.read(buf, off, buf.length - off);
      if (n < 0) {
        break;
      }
      off += n;
    }
    return off;
  }

  /** The blob if it is in the store (not verified; see {@link #openVerified}). */
  public Optional<BlobFile> find(Sha256 sha) {
    Path p = pathOf(sha);
    try {
      return Optional.of(new BlobFile(sha, p, Files.size(p)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw ImageStoreException.storage("cannot stat " + p + ": " + describe(e), e);
    }
  }

  /**
   * The blob, with its bytes proven to match its name: hashed on first use and again whenever the
   * file changes on disk (size, change time or inode). A mismatch quarantines it and returns empty.
   */
  public Optional<BlobFile> openVerified(Sha256 sha) {
    Optional<BlobFile> found = find(sha);
    if (found.isEmpty()) {
      return found;
    }
    FileKey known = verified.get(sha);
    if (known != null && known.equals(FileKey.ofQuietly(found.get().path()))) {
      return found;
    }
    synchronized (verifyLocks.computeIfAbsent(sha, k -> new Object())) {
      return verify(sha) ? find(sha) : Optional.empty();
    }
  }

  /**
   * Re-hashes the blob. True when it matches (or is absent: nothing to distrust); false when it
   * did not and has been quarantined.
   */
  public boolean verify(Sha256 sha) {
    Path p = pathOf(sha);
    FileKey before;
    Sha256 actual;
    try {
      before = FileKey.of(p);
      actual = hash(p);
    } catch (NoSuchFileException e) {
      verified.remove(sha);
      return true;
    } catch (IOException e) {
      throw ImageStoreException.storage("cannot read blob " + p + ": " + describe(e), e);
    }
    if (actual.equals(sha)) {
      verified.put(sha, before);
      return true;
    }
    quarantine(sha, "content hashes to " + actual);
    return false;
  }

  /** Re-hashes every blob; returns the ones quarantined by this pass. */
  public List<Sha256> verifyAll() {
    List<Sha256> bad = new ArrayList<>();
    for (Sha256 s : list()) {
      if (!verify(s)) {
        bad.add(s);
      }
    }
    return bad;
  }

  private void quarantine(Sha256 sha, String why) {
    verified.remove(sha);
    Path from = pathOf(sha);
    Path to = quarantine.resolve(sha.hex() + "." + clock.millis());
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      // Keep it from being served even when it cannot be moved.
      LOG.error("cannot move corrupt blob {} to quarantine: {}", from, e.toString());
      deleteQuietly(from);
    }
    LOG.error("blob {} quarantined: {}", sha, why);
    events.record("blob.quarantined", "rackboot", "blob:" + sha, null,
        "{\"sha256\":\"" + sha + "\",\"reason\":\"" + why + "\",\"file\":\""
            + to.getFileName() + "\"}");
  }

  /** Files in quarantine (health is red while there are any); an operator removes them. */
  public List<String> quarantined() {
    try (Stream<Path> s = Files.list(quarantine)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw ImageStoreException.storage("cannot list " + quarantine + ": " + describe(e), e);
    }
  }

  /** Every blob name in the store. */
  public List<Sha256> list() {
    List<Sha256> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(blobs, 2)) {
      s.filter(Files::isRegularFile).forEach(p -> {
        String n = p.getFileName().toString();
        if (n.length() == 64) {
          try {
            out.add(new Sha256(n));
          } catch (IllegalArgumentException ignored) {
            // not ours
          }
        }
      });
    } catch (IOException e) {
      throw ImageStoreException.storage("cannot list " + blobs + ": " + describe(e), e);
    }
    return out;
  }

  /** Where a blob of this name lives (whether or not it exists). */
  public Path pathOf(Sha256 sha) {
    return blobs.resolve(sha.hex().substring(0, 2)).resolve(sha.hex());
  }

  /** Refreshes a blob's modification time; false when it is not there. */
  boolean touch(Sha256 sha) {
    try {
      touch(pathOf(sha));
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw ImageStoreException.storage("cannot touch blob " + sha + ": " + describe(e), e);
    }
  }

  private void touch(Path p) throws IOException {
    Files.setLastModifiedTime(p, FileTime.from(clock.instant()));
  }

  /** Deletes a blob (garbage collection only). */
  boolean delete(Sha256 sha) throws IOException {
    verified.remove(sha);
    return Files.deleteIfExists(pathOf(sha));
  }

  Instant modified(Path p) throws IOException {
    return Files.getLastModifiedTime(p).toInstant();
  }

  static Sha256 hash(Path p) throws IOException {
    MessageDigest md = Sha256.newDigest();
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ByteBuffer bb = ByteBuffer.allocate(BUFFER);
      while (ch.read(bb) >= 0) {
        bb.flip();
        md.update(bb.array(), 0, bb.limit());
        bb.clear();
      }
    }
    return Sha256.of(md.digest());
  }

  private static void fsyncDir(Path dir) {
    // The rename is durable only once the directory entry is on disk.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", p, e.toString());
    }
  }

  static String describe(Throwable e) {
    if (e instanceof FileAlreadyExistsException) {
      return "file exists: " + e.getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** What identifies one version of a file on disk, cheaply. */
  private record FileKey(long size, Object ctime, Object inode) {
    static FileKey of(Path p) throws IOException {
      Map<String, Object> a = Files.readAttributes(p, "unix:size,ctime,ino");
      return new FileKey((Long) a.get("size"), a.get("ctime"), a.get("ino"));
    }

    static FileKey ofQuietly(Path p) {
      try {
        return of(p);
      } catch (IOException | UnsupportedOperationException e) {
        return null;
      }
    }
  }
}
