package org.rackboot.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rackboot.images.ImageStoreException.Reason;

/** Tarball import: what GNU tar writes is taken in, every unsafe or malformed archive refused. */
class TarImportTest {

  private static final String LONG_DIR = "d".repeat(70);
  private static final String LONG_FILE = LONG_DIR + "/" + "f".repeat(70);

  @TempDir Path dir;
  private BlobStore store;
  private TreeIngest ingest;

  @BeforeEach
  void open() {
    store = BlobStore.open(dir.resolve("store"), new RecordingEvents());
    ingest = new TreeIngest(store);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gnu", "pax", "ustar"})
  void longNamesAndLinksInEveryFormatGnuTarWrites(String format) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src").resolve(LONG_DIR));
    Files.writeString(src.resolve("f".repeat(70)), "long");
    Files.writeString(src.getParent().resolve("short"), "short");
    Files.createLink(src.getParent().resolve("hard"), src.getParent().resolve("short"));
    Files.createSymbolicLink(src.getParent().resolve("sym"), Path.of("short"));
    Path tar = dir.resolve(format + ".tar");
    Trees.tar(tar, dir.resolve("src"), "--format=" + format, ".");

    Map<String, BlobFile> files = ingest.ingest(tar);
    assertThat(files).containsOnlyKeys(LONG_FILE, "short", "hard", "sym");
    assertThat(Files.readString(files.get(LONG_FILE).path())).isEqualTo("long");
    assertThat(files.get("hard")).isEqualTo(files.get("short"));
    assertThat(files.get("sym")).isEqualTo(files.get("short"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gnu", "pax"})
  void aSymlinkWithALongTargetInsideTheTree(String format) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src").resolve(LONG_DIR));
    Files.writeString(src.resolve("f".repeat(70)), "long");
    Files.createSymbolicLink(dir.resolve("src/link"), Path.of(LONG_FILE));
    Path tar = dir.resolve(format + ".tar");
    Trees.tar(tar, dir.resolve("src"), "--format=" + format, ".");

    Map<String, BlobFile> files = ingest.ingest(tar);
    assertThat(files.get("link")).isEqualTo(files.get(LONG_FILE));
  }

  @Test
  void namesAreUtf8WhateverThePlatformCharset() throws Exception {
    Path tar = new TarBlocks().file("caf\u00e9", "x").pax('x', "path=\u00e9t\u00e9/\u00fc").record(fileHeader("ignored", 1))
        .data(new byte[] {'y'}).end().write(dir.resolve("utf8.tar"));
    assertThat(ingest.ingest(tar)).containsOnlyKeys("caf\u00e9", "\u00e9t\u00e9/\u00fc");
  }

  @Test
  void aBase256SizeIsRead() throws Exception {
    Path tar = new TarBlocks().base256Header("big-encoded", 5).data("12345".getBytes(StandardCharsets.UTF_8))
        .file("after", "ok").end().write(dir.resolve("b256.tar"));
    Map<String, BlobFile> files = ingest.ingest(tar);
    assertThat(Files.readString(files.get("big-encoded").path())).isEqualTo("12345");
    assertThat(Files.readString(files.get("after").path())).isEqualTo("ok");
  }

  @Test
  void aPaxSizeOverridesTheHeaderSize() throws Exception {
    Path tar = new TarBlocks().pax('x', "size=3").record(fileHeader("f", 0)).data("abc".getBytes(StandardCharsets.UTF_8))
        .file("g", "next").end().write(dir.resolve("paxsize.tar"));
    Map<String, BlobFile> files = ingest.ingest(tar);
    assertThat(Files.readString(files.get("f").path())).isEqualTo("abc");
    assertThat(Files.readString(files.get("g").path())).isEqualTo("next");
  }

  @Test
  void aDirectoryCarriesNoDataWhateverItsSizeSays() throws Exception {
    // POSIX: a directory's size may be non-zero, but no data records follow it.
    Path tar = new TarBlocks().header("d/", '5', 4096, "").file("d/f", "in d").end().write(dir.resolve("dir.tar"));
    assertThat(Files.readString(ingest.ingest(tar).get("d/f").path())).isEqualTo("in d");
  }

  @Test
  void emptyArchivesAndAnArchiveWithoutEndMarker() throws Exception {
    assertThat(ingest.check(new TarBlocks().end().write(dir.resolve("empty.tar"))).files()).isEmpty();
    assertThat(ingest.check(new TarBlocks().write(dir.resolve("zero-bytes.tar"))).files()).isEmpty();
    // Truncated right after the last entry: tolerated, as tar itself does.
    Path noEnd = new TarBlocks().file("a", "1").write(dir.resolve("no-end.tar"));
    assertThat(ingest.check(noEnd).files()).containsExactly("a");
    // Whatever follows the end-of-archive marker is not looked at.
    Path trailing = new TarBlocks().file("a", "1").end().record("garbage".repeat(73).getBytes(StandardCharsets.UTF_8))
        .write(dir.resolve("trailing.tar"));
    assertThat(ingest.check(trailing).files()).containsExactly("a");
  }

  // --- names and links that lead outside the tree ---

  @Test
  void longAbsoluteNamesAreRefusedAsShortOnesAre() throws Exception {
    Path deep = Files.createDirectories(dir.resolve("x".repeat(60)).resolve("y".repeat(60)));
    Files.writeString(deep.resolve("secret"), "outside");
    Path gnu = dir.resolve("gnu-abs.tar");
    Trees.tar(gnu, dir, "-P", "--format=gnu", deep.resolve("secret").toString());
    Path pax = dir.resolve("pax-abs.tar");
    Trees.tar(pax, dir, "-P", "--format=pax", deep.resolve("secret").toString());
    refused(gnu, "absolute path");
    refused(pax, "absolute path");
    refused(new TarBlocks().pax('x', "path=/etc/passwd").record(fileHeader("innocent", 0)).end()
        .write(dir.resolve("pax-short-abs.tar")), "absolute path");
    refused(new TarBlocks().pax('g', "path=/etc/passwd").record(fileHeader("innocent", 0)).end()
        .write(dir.resolve("global-abs.tar")), "absolute path");
    refused(new TarBlocks().gnuLong('L', "/etc/" + "p".repeat(120)).record(fileHeader("innocent", 0)).end()
        .write(dir.resolve("longname-abs.tar")), "absolute path");
    refused(new TarBlocks().file("/etc/passwd", "x").end().write(dir.resolve("short-abs.tar")), "absolute path");
  }

  @Test
  void dotDotInAnyNameIsRefused() throws Exception {
    refused(new TarBlocks().file("a/../../x", "x").end().write(dir.resolve("ustar-dotdot.tar")), "'..' segment");
    refused(new TarBlocks().pax('x', "path=a/../../x").record(fileHeader("innocent", 0)).end()
        .write(dir.resolve("pax-dotdot.tar")), "'..' segment");
    refused(new TarBlocks().gnuLong('L', "../" + "p".repeat(120)).record(fileHeader("innocent", 0)).end()
        .write(dir.resolve("long-dotdot.tar")), "'..' segment");
    refused(new TarBlocks().header("h", '1', 0, "../x").end().write(dir.resolve("hard-dotdot.tar")), "'..' segment");
  }

  @Test
  void linksLeadingOutsideAreRefusedWhateverTheirLength() throws Exception {
    refused(new TarBlocks().header("s", '2', 0, "../x").end().write(dir.resolve("sym-up.tar")), "points outside");
    refused(new TarBlocks().header("s", '2', 0, "/etc/passwd").end().write(dir.resolve("sym-abs.tar")), "points outside");
    refused(new TarBlocks().pax('x', "linkpath=/etc/" + "p".repeat(120)).header("s", '2', 0, "").end()
        .write(dir.resolve("pax-link-abs.tar")), "points outside");
    refused(new TarBlocks().gnuLong('K', "a/../../" + "p".repeat(120)).header("s", '2', 0, "").end()
        .write(dir.resolve("longlink-up.tar")), "points outside");
  }

  @Test
  void devicesAndFifosAreRefused() throws Exception {
    refused(new TarBlocks().header("tty", '3', 0, "").end().write(dir.resolve("chr.tar")),
        "has type '3'; only files, directories and links are accepted");
    refused(new TarBlocks().header("sda", '4', 0, "").end().write(dir.resolve("blk.tar")), "has type '4'");
    Path src = Files.createDirectories(dir.resolve("src"));
    new ProcessBuilder("mkfifo", "pipe").directory(src.toFile()).start().waitFor();
    Path fifo = dir.resolve("fifo.tar");
    Trees.tar(fifo, src, ".");
    refused(fifo, "has type '6'");
  }

  /** GNU tar's four ways of writing a sparse file; each could expand a small archive without bound. */
  @ParameterizedTest
  @ValueSource(strings = {"--format=gnu", "--sparse-version=0.0", "--sparse-version=0.1", "--sparse-version=1.0"})
  void sparseFilesAreRefused(String how) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    try (RandomAccessFile f = new RandomAccessFile(src.resolve("holes").toFile(), "rw")) {
      // Six data islands: more than an old GNU header holds (four), so an extension record follows.
      for (int i = 1; i <= 6; i++) {
        f.seek(i * (1L << 20));
        f.write("island".getBytes(StandardCharsets.UTF_8));
      }
    }
    Path tar = dir.resolve("sparse.tar");
    if (how.startsWith("--format")) {
      Trees.tar(tar, src, how, "--sparse", "holes");
    } else {
      Trees.tar(tar, src, "--format=pax", "--sparse", how, "holes");
    }
    refused(tar, "sparse file");
  }

  // --- malformed archives ---

  @Test
  void truncatedArchivesAreRefused() throws Exception {
    Path src = Trees.imageDir(dir.resolve("src"), "t", "1");
    Path whole = dir.resolve("whole.tar");
    Trees.tar(whole, src, "--format=pax", ".");
    byte[] b = Files.readAllBytes(whole);
    // Headers: "./" pax + dir, then per file a pax header, its data, the file header, its data.
    refused(write("in-header.tar", Arrays.copyOf(b, 3 * 512 + 100)), "expected a 512-byte header, archive ends after 100");
    refused(write("in-pax-data.tar", Arrays.copyOf(b, 3 * 512 + 512 + 10)), "Truncated");
    refused(write("in-data.tar", Arrays.copyOf(b, dataOffsetOf(b, "initrd.img") + 5)), "Truncated");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void aBadChecksumOrSomethingElseThanTarIsRefused() throws Exception {
    byte[] b = new TarBlocks().file("a", "1").file("b", "2").end().bytes();
    b[1024] = 'c'; // the second header's name: b -> c, checksum unchanged
    refused(write("checksum.tar", b), "valid checksum at byte 1024");
    refused(write("text.tar", "not a tar archive\n".repeat(100).getBytes(StandardCharsets.UTF_8)), "not a tar archive?");
    refused(write("short-text.tar", "hello\n".getBytes(StandardCharsets.UTF_8)), "expected a 512-byte header");
  }

  @Test
  void extendedHeadersAreBoundedBeforeTheyAreRead() throws Exception {
    // Only the header: its declared size is refused before any of the data is read.
    refused(new TarBlocks().header("PaxHeaders/x", 'x', 2L << 20, "").write(dir.resolve("big-pax.tar")), "at most 1 MiB");
    refused(new TarBlocks().header("././@LongLink", 'L', 2L << 20, "").write(dir.resolve("big-long.tar")), "at most 1 MiB");
    refused(new TarBlocks().header("././@LongLink", 'K', 2L << 20, "").write(dir.resolve("big-link.tar")), "at most 1 MiB");
    refused(new TarBlocks().header("PaxHeaders/g", 'g', 2L << 20, "").write(dir.resolve("big-global.tar")), "at most 1 MiB");
    TarBlocks chain = new TarBlocks();
    for (int i = 0; i < 5000; i++) {
      chain.pax('x', "comment=" + i);
    }
    refused(chain.file("f", "x").end().write(dir.resolve("chain.tar")), "at most 16 headers for one entry");
  }

  @Test
  void aBadPaxRecordOrSizeIsRefused() throws Exception {
    byte[] garbage = "abc path=x\n".getBytes(StandardCharsets.UTF_8);
    refused(new TarBlocks().header("PaxHeaders/x", 'x', garbage.length, "").data(garbage).record(fileHeader("f", 0)).end()
        .write(dir.resolve("pax-garbage.tar")), "source");
    refused(new TarBlocks().pax('x', "size=-5").record(fileHeader("f", 0)).end().write(dir.resolve("pax-neg.tar")), "source");
    byte[] h = fileHeader("f", 0);
    System.arraycopy("9x9".getBytes(StandardCharsets.UTF_8), 0, h, 124, 3);
    refused(write("octal.tar", resign(h)), "source");
  }

  @Test
  void aTruncatedGzipIsRefused() throws Exception {
    Path src = Trees.imageDir(dir.resolve("src"), "t", "1");
    Trees.tar(dir.resolve("plain.tar"), src, ".");
    new ProcessBuilder("sh", "-c", "gzip -c plain.tar > img.tgz").directory(dir.toFile()).start().waitFor();
    byte[] gz = Files.readAllBytes(dir.resolve("img.tgz"));
    assertThat(ingest.check(dir.resolve("img.tgz")).files()).hasSize(3);
    refused(write("cut.tgz", Arrays.copyOf(gz, gz.length / 2)), "source");
  }

  private AbstractThrowableAssert<?, ? extends Throwable> refused(Path tar, String message) {
    var a = assertThatThrownBy(() -> ingest.check(tar)).isInstanceOf(ImageStoreException.class).hasMessageContaining(message);
    a.extracting(e -> ((ImageStoreException) e).reason()).isEqualTo(Reason.INVALID);
    assertThatThrownBy(() -> ingest.ingest(tar)).isInstanceOf(ImageStoreException.class);
    assertThat(store.list()).isEmpty();
    return a;
  }

  private Path write(String name, byte[] b) throws IOException {
    return Files.write(dir.resolve(name), b);
  }

  private static byte[] fileHeader(String name, long size) {
    return Arrays.copyOf(new TarBlocks().header(name, '0', size, "").bytes(), TarBlocks.RECORD);
  }

  private static byte[] resign(byte[] h) {
    byte[] c = h.clone();
    Arrays.fill(c, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte x : c) {
      sum += x & 0xff;
    }
    byte[] digits = String.format("%06o\0", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(digits, 0, c, 148, 7);
    return c;
  }

  /** Where the data of the member named {@code name} starts: after its ustar header. */
  private static int dataOffsetOf(byte[] tar, String name) {
    for (int off = 0; off + 512 <= tar.length; off += 512) {
      String n = new String(tar, off, 100, StandardCharsets.UTF_8);
      if (tar[off + 156] == '0' && n.startsWith("./" + name + "\0")) {
        return off + 512;
      }
    }
    throw new IllegalStateException(name + " not in the archive");
  }
}
