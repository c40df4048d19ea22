package org.rackboot.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreTest {

  @TempDir Path dir;
  RecordingEvents events = new RecordingEvents();

  @Test
  void storesUnderItsSha256AndDeduplicates() throws IOException {
    BlobStore s = BlobStore.open(dir, events);
    byte[] data = Trees.bytes("hello blob");
    BlobFile b = s.put(new ByteArrayInputStream(data), Trees.sha(data));
    assertThat(b.sha256()).isEqualTo(Trees.sha(data));
    assertThat(b.size()).isEqualTo(data.length);
    assertThat(Files.readAllBytes(b.path())).isEqualTo(data);
    assertThat(b.path()).isEqualTo(dir.resolve("blobs").resolve(b.sha256().hex().substring(0, 2)).resolve(b.sha256().hex()));
    BlobFile again = s.put(new ByteArrayInputStream(data), null);
    assertThat(again.path()).isEqualTo(b.path());
    assertThat(s.list()).containsExactly(b.sha256());
    assertThat(tmpFiles()).isEmpty();
  }

  @Test
  void shaMismatchIsRefusedAndNothingKept() throws IOException {
    BlobStore s = BlobStore.open(dir, events);
    byte[] data = Trees.bytes("the real bytes");
    Sha256 declared = Trees.sha(Trees.bytes("other bytes"));
    assertThatThrownBy(() -> s.put(new ByteArrayInputStream(data), declared))
        .isInstanceOf(ImageStoreException.class)
        .hasMessageContaining("declared " + declared)
        .hasMessageContaining("hash to " + Trees.sha(data))
        .extracting(e -> ((ImageStoreException) e).reason()).isEqualTo(ImageStoreException.Reason.INVALID);
    assertThat(s.list()).isEmpty();
    assertThat(tmpFiles()).isEmpty();
  }

  @Test
  void aBrokenStreamLeavesNoTemporaryFile() throws IOException {
    BlobStore s = BlobStore.open(dir, events);
    InputStream dying = new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (n++ > 100_000) {
          throw new IOException("connection reset");
        }
        return 'x';
      }
    };
    assertThatThrownBy(() -> s.put(dying, null)).isInstanceOf(ImageStoreException.class)
        .hasMessageContaining("connection reset");
    assertThat(s.list()).isEmpty();
    assertThat(tmpFiles()).isEmpty();
  }

  @Test
  void leftoverTemporaryFilesAreRemovedOnOpen() throws IOException {
    BlobStore.open(dir, events);
    Files.write(dir.resolve("tmp/put-dead.tmp"), new byte[1000]);
    BlobStore s = BlobStore.open(dir, events);
    assertThat(tmpFiles()).isEmpty();
    assertThat(s.list()).isEmpty();
  }

  @Test
  void corruptBlobIsQuarantinedReportedAndNeverServed() throws IOException {
    BlobStore s = BlobStore.open(dir, events);
    byte[] data = Trees.bytes("good content");
    BlobFile b = s.put(new ByteArrayInputStream(data), null);
    assertThat(s.openVerified(b.sha256())).isPresent();
    Files.write(b.path(), Trees.bytes("evil content")); // same size, different bytes
    assertThat(s.openVerified(b.sha256())).isEmpty();
    assertThat(s.find(b.sha256())).isEmpty();
    assertThat(s.quarantined()).hasSize(1).first().asString().startsWith(b.sha256().hex());
    assertThat(events.types()).containsExactly("blob.quarantined");
    assertThat(events.events.get(0).subject()).isEqualTo("blob:" + b.sha256());
  }

  @Test
  void verifyAllFindsSilentCorruption() throws IOException {
    BlobStore s = BlobStore.open(dir, events);
    BlobFile good = s.put(new ByteArrayInputStream(Trees.bytes("one")), null);
    BlobFile bad = s.put(new ByteArrayInputStream(Trees.bytes("two")), null);
    Files.write(bad.path(), Trees.bytes("owt"));
    assertThat(s.verifyAll()).containsExactly(bad.sha256());
    assertThat(s.list()).containsExactly(good.sha256());
  }

  @Test
  void diskFullIsACleanErrorAndLeavesNoTemporaryFile() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
    Path mnt = dir.resolve("small");
    Files.createDirectories(mnt);
    run("mount", "-t", "tmpfs", "-o", "size=2m", "rackboot-images-test", mnt.toString());
    try {
      BlobStore s = BlobStore.open(mnt, events);
      byte[] big = new byte[4 << 20];
      new Random(1).nextBytes(big);
      assertThatThrownBy(() -> s.put(new ByteArrayInputStream(big), null))
          .isInstanceOf(ImageStoreException.class)
          .hasMessageContaining("No space left on device")
          .hasMessageContaining("partial file was removed")
          .extracting(e -> ((ImageStoreException) e).reason()).isEqualTo(ImageStoreException.Reason.STORAGE);
      try (Stream<Path> t = Files.list(mnt.resolve("tmp"))) {
        assertThat(t).isEmpty();
      }
      assertThat(s.list()).isEmpty();
      // The store still works once there is room.
      assertThat(s.put(new ByteArrayInputStream(Trees.bytes("small")), null).size()).isEqualTo(5);
    } finally {
      run("umount", mnt.toString());
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  private java.util.List<Path> tmpFiles() throws IOException {
    try (Stream<Path> t = Files.list(dir.resolve("tmp"))) {
      return t.toList();
    }
  }
}
