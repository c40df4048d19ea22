package org.rackboot.images;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Brings a directory tree or a tarball (plain or gzip) into the blob store and returns what path
 * became which blob. Two passes: the first only checks every entry (no {@code ..}, no absolute
 * path, no link leading outside the tree, no device files), so a refused source stores nothing;
 * the second streams each regular file into the store. Links inside the tree become aliases of
 * their target's blob.
 */
public final class TreeIngest {

  public static final int MAX_PATH = 1024;
  private static final int MAX_LINK_HOPS = 40;

  private final BlobStore store;

  public TreeIngest(BlobStore store) {
    this.store = store;
  }

  /** What a source holds, after the checking pass: regular files and in-tree links. */
  public record Listing(List<String> files, Map<String, String> links) {}

  /** Pass one: checks the whole source, stores nothing. */
  public Listing check(Path source) {
    try {
      return Files.isDirectory(source) ? checkDirectory(source) : checkTar(source);
    } catch (IOException e) {
      throw ImageStoreException.invalid("source", source + ": " + BlobStore.describe(e));
    }
  }

  /** Both passes; path (with '/' separators, relative to the root) to blob, sorted by path. */
  public Map<String, BlobFile> ingest(Path source) {
    Listing listing = check(source);
    Map<String, BlobFile> out = new TreeMap<>();
    try {
      if (Files.isDirectory(source)) {
        Path root = source.toRealPath();
        for (String f : listing.files()) {
          out.put(f, store.putFile(root.resolve(f), null));
        }
      } else {
        try (ImportTarInputStream tar = new ImportTarInputStream(open(source))) {
          TarArchiveEntry e;
          while ((e = tar.getNextEntry()) != null) {
            if (isFile(e)) {
              String p = entryPath(e.getName());
              if (p != null) {
                out.put(p, store.put(tar, null));
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw ImageStoreException.invalid("source", source + ": " + BlobStore.describe(e));
    }
    resolveLinks(listing.links(), out);
    return out;
  }

  private static void resolveLinks(Map<String, String> links, Map<String, BlobFile> files) {
    for (Map.Entry<String, String> l : links.entrySet()) {
      String target = l.getValue();
      for (int hop = 0; hop < MAX_LINK_HOPS && target != null && !files.containsKey(target); hop++) {
        target = links.get(target);
      }
      // Links to directories or to nothing in the tree are left out: nothing to serve there.
      if (target != null && files.containsKey(target)) {
        files.put(l.getKey(), files.get(target));
      }
    }
  }

  private Listing checkDirectory(Path source) throws IOException {
    Path root = source.toRealPath();
    List<String> files = new ArrayList<>();
    Map<String, String> links = new LinkedHashMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String rel = relative(root, file);
        if (attrs.isSymbolicLink()) {
          Path real;
          try {
            real = file.toRealPath();
          } catch (IOException e) {
            return FileVisitResult.CONTINUE; // dangling: nothing to serve
          }
          if (!real.startsWith(root)) {
            throw ImageStoreException.invalid("source",
                "symbolic link '" + rel + "' points outside the tree (to " + real + ")");
          }
          if (Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            links.put(rel, relative(root, real));
          }
        } else if (attrs.isRegularFile()) {
          files.add(rel);
        } else if (!attrs.isDirectory()) {
          throw ImageStoreException.invalid("source", "'" + rel + "' is neither a file, a directory nor a link");
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return new Listing(files, links);
  }

  private static String relative(Path root, Path p) {
    String rel = root.relativize(p).toString().replace('\\', '/');
    if (rel.length() > MAX_PATH) {
      throw ImageStoreException.invalid("source", "path longer than " + MAX_PATH + " characters: '" + Names.shorten(rel) + "'");
    }
    return rel;
  }

  private Listing checkTar(Path source) throws IOException {
    List<String> files = new ArrayList<>();
    Map<String, String> links = new LinkedHashMap<>();
    try (ImportTarInputStream tar = new ImportTarInputStream(open(source))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String p = entryPath(e.getName());
        if (isFile(e)) {
          if (p == null) {
            throw ImageStoreException.invalid("source", "file entry with an empty name");
          }
          files.add(p);
          continue;
        }
        switch (e.getLinkFlag()) {
          case TarConstants.LF_DIR -> { }
          case TarConstants.LF_SYMLINK -> links.put(requireName(p, e), symlinkTarget(p, e.getLinkName()));
          case TarConstants.LF_LINK -> {
            String t = entryPath(e.getLinkName());
            if (t == null) {
              throw ImageStoreException.invalid("source", "hard link '" + p + "' has no target");
            }
            links.put(requireName(p, e), t);
          }
          default -> throw ImageStoreException.invalid("source", "entry '" + Names.shorten(e.getName())
              + "' has type '" + (char) e.getLinkFlag() + "'; only files, directories and links are accepted");
        }
      }
    }
    return new Listing(files, links);
  }

  private static String requireName(String p, TarArchiveEntry e) {
    if (p == null) {
      throw ImageStoreException.invalid("source", "link entry with an empty name -> '" + e.getLinkName() + "'");
    }
    return p;
  }

  /**
   * A regular file (old-style, POSIX or contiguous). A name ending in '/' marks a directory in
   * archives older than the directory type, and the reader gives such an entry no data.
   */
  private static boolean isFile(TarArchiveEntry e) {
    byte type = e.getLinkFlag();
    return (type == TarConstants.LF_OLDNORM || type == TarConstants.LF_NORMAL || type == TarConstants.LF_CONTIG)
        && !e.isDirectory();
  }

  /**
   * An archive member name made relative and normalized; null for the root itself. Refuses
   * absolute names and any {@code ..} segment rather than trying to make sense of them.
   */
  static String entryPath(String name) {
    if (name.startsWith("/")) {
      throw ImageStoreException.invalid("source", "entry '" + Names.shorten(name) + "' has an absolute path");
    }
    if (name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
      throw ImageStoreException.invalid("source", "entry '" + Names.shorten(name) + "' has a NUL or backslash in its name");
    }
    List<String> parts = new ArrayList<>();
    for (String seg : name.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        throw ImageStoreException.invalid("source", "entry '" + Names.shorten(name) + "' has a '..' segment");
      }
      parts.add(seg);
    }
    if (parts.isEmpty()) {
      return null;
    }
    String p = String.join("/", parts);
    if (p.length() > MAX_PATH) {
      throw ImageStoreException.invalid("source", "path longer than " + MAX_PATH + " characters: '" + Names.shorten(p) + "'");
    }
    return p;
  }

  /** Where a symlink at {@code path} leads, relative to the root; refused when that is outside. */
  static String symlinkTarget(String path, String target) {
    if (target == null || target.isEmpty()) {
      throw ImageStoreException.invalid("source", "symbolic link '" + path + "' has no target");
    }
    if (target.startsWith("/")) {
      throw ImageStoreException.invalid("source",
          "symbolic link '" + path + "' points outside the tree (absolute target '" + Names.shorten(target) + "')");
    }
    Deque<String> stack = new ArrayDeque<>();
    String[] segs = path.split("/");
    for (int i = 0; i < segs.length - 1; i++) {
      stack.addLast(segs[i]);
    }
    for (String seg : target.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (stack.isEmpty()) {
          throw ImageStoreException.invalid("source",
              "symbolic link '" + path + "' points outside the tree (target '" + Names.shorten(target) + "')");
        }
        stack.removeLast();
      } else {
        stack.addLast(seg);
      }
    }
    return String.join("/", stack);
  }

  private static InputStream open(Path source) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(source), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    // gzip magic 1f 8b (RFC 1952 section 2.3.1)
    if (b1 == 0x1f && b2 == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    return in;
  }
}
