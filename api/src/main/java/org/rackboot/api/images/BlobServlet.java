package org.rackboot.api.images;

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

  public BlobServlet(ImageStore store, boolean verifyOnServe) {
    this.store = store;
    this.verify = verifyOnServe;
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
    try (FileChannel ch = FileChannel.open(file.get().path(), StandardOpenOption.READ)) {
      send(ch, start, length, resp.getOutputStream());
    } catch (NoSuchFileException e) {
      resp.sendError(404); // collected between lookup and open; nothing sent yet
    }
  }

  private static void send(FileChannel ch, long start, long length, ServletOutputStream out) throws IOException {
    if (out instanceof HttpOutput jetty) {
      // Jetty writes a large buffer straight to the socket: page cache -> kernel, no heap copy.
      for (long pos = start, end = start + length; pos < end; ) {
        long n = Math.min(WINDOW, end - pos);
        jetty.write(ch.map(FileChannel.MapMode.READ_ONLY, pos, n));
        pos += n;
      }
      return;
    }
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
