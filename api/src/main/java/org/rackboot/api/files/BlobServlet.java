package org.rackboot.api.files;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.rackboot.images.BlobFile;
import org.rackboot.images.ImageStore;
import org.rackboot.images.ImageStoreException;
import org.rackboot.images.RepoFile;
import org.rackboot.images.RepoSnapshots;
import org.rackboot.images.Sha256;

/**
 * Serves blobs ({@code /files/blobs/{sha256}}) and repository snapshot files
 * ({@code /repos/{name}/{version}/{path}}) read-only, with Range, ETag (the sha256), If-None-Match,
 * If-Range and Content-Length. Outside Jersey on purpose: booting hosts carry no API token, and
 * the bytes go from page cache to socket through memory-mapped buffers, never through the heap.
 */
public final class BlobServlet extends HttpServlet {

  public static final String BLOBS = "/files/blobs";
  public static final String REPOS = "/repos";
  /** Mapped window per write: big enough to keep the socket busy, small enough to map cheaply. */
  private static final long WINDOW = 16L << 20;

  private final transient ImageStore store;
  private final boolean verify;
  private final transient Mappings mappings = new Mappings(64);

  public BlobServlet(ImageStore store, boolean verifyOnServe) {
    this.store = store;
    this.verify = verifyOnServe;
  }

  /**
   * Files are read-only: every method but GET, HEAD and OPTIONS is 405 with an Allow header.
   * HttpServlet would answer 501 to methods it has no handler for (PATCH, unknown ones), and
   * nothing a client on the provisioning network sends may earn a 5xx.
   */
  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp)
      throws jakarta.servlet.ServletException, IOException {
    String m = req.getMethod();
    if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
      super.service(req, resp);
      return;
    }
    resp.setHeader("Allow", "GET, HEAD, OPTIONS");
    resp.sendError(405);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    serve(req, resp, false);
  }

  @Override
  protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    serve(req, resp, true);
  }

  private void serve(HttpServletRequest req, HttpServletResponse resp, boolean head) throws IOException {
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    Target t;
    try {
      t = BLOBS.equals(req.getServletPath()) ? blob(path) : repoFile(path);
    } catch (ImageStoreException e) {
      t = null;
    }
    if (t == null) {
      resp.sendError(404);
      return;
    }
    Optional<BlobFile> file = verify ? store.blobs().openVerified(t.sha) : store.blobs().find(t.sha);
    if (file.isEmpty()) {
      resp.sendError(404); // missing, or quarantined just now: never served
      return;
    }
    long size = file.get().size();
    String etag = "\"" + t.sha.hex() + "\"";
    resp.setHeader("ETag", etag);
    resp.setHeader("Accept-Ranges", "bytes");
    resp.setHeader("Cache-Control", t.immutable ? "public, max-age=31536000, immutable" : "no-cache");
    if (matches(req.getHeader("If-None-Match"), etag)) {
      resp.setStatus(304);
      return;
    }
    ByteRange range = null;
    String ifRange = req.getHeader("If-Range");
    if (ifRange == null || ifRange.trim().equals(etag)) {
      range = ByteRange.parse(req.getHeader("Range"), size);
    }
    if (range == ByteRange.UNSATISFIABLE) {
      resp.setHeader("Content-Range", "bytes */" + size);
      resp.sendError(416);
      return;
    }
    long start = 0;
    long length = size;
    if (range != null) {
      start = range.start();
      length = range.length();
      resp.setStatus(206);
      resp.setHeader("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + size);
    }
    resp.setContentType(t.contentType);
    resp.setContentLengthLong(length);
    if (head || length == 0) {
      return;
    }
    SendfileBody sendfile = SendfileBody.forRequest(req, length);
    if (sendfile != null) {
      resp.setHeader("Connection", "close");
      resp.flushBuffer();
      try {
        sendfile.send(file.get().path(), start, length);
      } catch (NoSuchFileException e) {
        throw new IOException("blob removed while being served", e); // headers are out: abort
      }
      return;
    }
    ServletOutputStream out = resp.getOutputStream();
    if (out instanceof HttpOutput jetty) {
      Mapping m;
      try {
        m = mappings.get(file.get());
      } catch (NoSuchFileException e) {
        resp.sendError(404); // collected between lookup and open; nothing sent yet
        return;
      }
      // Jetty writes a large buffer straight to the socket: page cache -> kernel, no heap copy.
      for (long pos = start, end = start + length; pos < end; ) {
        ByteBuffer b = m.slice(pos, (int) Math.min(WINDOW, end - pos));
        int n = b.remaining();
        jetty.write(b);
        pos += n;
      }
      return;
    }
    try (FileChannel ch = FileChannel.open(file.get().path(), StandardOpenOption.READ)) {
      copy(ch, start, length, out);
    } catch (NoSuchFileException e) {
      resp.sendError(404);
    }
  }

  private static void copy(FileChannel ch, long start, long length, ServletOutputStream out) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    for (long pos = start, end = start + length; pos < end; ) {
      buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("blob shorter than expected");
      }
      out.write(buf.array(), 0, n);
      pos += n;
    }
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2); // weak comparison for If-None-Match (RFC 9110 section 13.1.2)
      }
      if (t.equals("*") || t.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private record Target(Sha256 sha, boolean immutable, String contentType) {}

  /**
   * Read-only mappings of recently served blobs, shared by all requests: the page-table entries
   * are populated once instead of on every download, and no map/unmap runs per request. A
   * mapping is reused only for the same inode and change time, so a blob quarantined and
   * uploaded again is never served from its old bytes.
   */
  static final class Mappings {
    private final int capacity;
    private final java.util.LinkedHashMap<Sha256, Mapping> lru;

    Mappings(int capacity) {
      this.capacity = capacity;
      this.lru = new java.util.LinkedHashMap<>(16, 0.75f, true);
    }

    Mapping get(BlobFile f) throws IOException {
      java.util.Map<String, Object> a = java.nio.file.Files.readAttributes(f.path(), "unix:ino,ctime,size");
      Object key = java.util.List.of(a.get("ino"), a.get("ctime"), a.get("size"));
      synchronized (lru) {
        Mapping m = lru.get(f.sha256());
        if (m != null && m.key.equals(key)) {
          return m;
        }
      }
      Mapping fresh = Mapping.of(f, key);
      synchronized (lru) {
        lru.put(f.sha256(), fresh);
        if (lru.size() > capacity) {
          var it = lru.entrySet().iterator();
          it.next();
          it.remove();
        }
      }
      return fresh;
    }
  }

  /** A whole blob mapped in chunks of at most 1 GiB (a MappedByteBuffer holds at most 2 GiB). */
  static final class Mapping {
    private static final long CHUNK = 1L << 30;
    final Object key;
    private final java.nio.MappedByteBuffer[] chunks;

    private Mapping(Object key, java.nio.MappedByteBuffer[] chunks) {
      this.key = key;
      this.chunks = chunks;
    }

    static Mapping of(BlobFile f, Object key) throws IOException {
      try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
        long size = ch.size();
        int n = (int) ((size + CHUNK - 1) / CHUNK);
        java.nio.MappedByteBuffer[] chunks = new java.nio.MappedByteBuffer[n];
        for (int i = 0; i < n; i++) {
          long off = i * CHUNK;
          chunks[i] = ch.map(FileChannel.MapMode.READ_ONLY, off, Math.min(CHUNK, size - off));
        }
        return new Mapping(key, chunks);
      }
    }

    /** {@code len} bytes from {@code pos}, within one chunk (callers never cross a boundary). */
    ByteBuffer slice(long pos, int len) {
      int i = (int) (pos / CHUNK);
      int off = (int) (pos % CHUNK);
      int n = (int) Math.min(len, chunks[i].capacity() - off);
      return chunks[i].slice(off, n);
    }
  }

  private static Target blob(String path) {
    String s = path.startsWith("/") ? path.substring(1) : path;
    return new Target(Sha256.of(s), true, "application/octet-stream");
  }

  private Target repoFile(String path) {
    String[] p = (path.startsWith("/") ? path.substring(1) : path).split("/", 3);
    if (p.length < 3) {
      return null;
    }
    Optional<RepoFile> f = store.repos().file(p[0], p[1], p[2]);
    return f.map(r -> new Target(r.sha256(), !RepoSnapshots.LATEST.equalsIgnoreCase(p[1]), contentType(r.path())))
        .orElse(null);
  }

  private static String contentType(String path) {
    String p = path.toLowerCase(java.util.Locale.ROOT);
    if (p.endsWith(".deb") || p.endsWith(".udeb")) {
      return "application/vnd.debian.binary-package";
    }
    if (p.endsWith(".rpm")) {
      return "application/x-rpm";
    }
    if (p.endsWith(".gz") || p.endsWith(".tgz")) {
      return "application/gzip";
    }
    if (p.endsWith(".xz")) {
      return "application/x-xz";
    }
    if (p.endsWith("release") || p.endsWith(".txt") || p.endsWith(".asc") || p.endsWith(".gpg")
        || p.endsWith("packages") || p.endsWith("sources")) {
      return "text/plain; charset=utf-8";
    }
    if (p.endsWith(".xml")) {
      return "application/xml";
    }
    return "application/octet-stream";
  }
}
