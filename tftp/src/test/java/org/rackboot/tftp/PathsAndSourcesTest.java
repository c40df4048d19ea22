package org.rackboot.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.tftp.wire.ErrorCode;

class PathsAndSourcesTest {

  static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 1234);

  @Test
  void normalizesLikeTftpHpa() {
    assertThat(TftpPaths.normalize("/pxelinux.0")).contains("pxelinux.0");
    assertThat(TftpPaths.normalize("\\EFI\\boot\\grubx64.efi")).contains("EFI/boot/grubx64.efi");
    assertThat(TftpPaths.normalize("a//./b/")).contains("a/b");
    assertThat(TftpPaths.normalize("../x")).isEmpty();
    assertThat(TftpPaths.normalize("a/..")).isEmpty();
    assertThat(TftpPaths.normalize("a\\..\\..\\x")).isEmpty();
    assertThat(TftpPaths.normalize("a\0b")).isEmpty();
    assertThat(TftpPaths.normalize("")).isEmpty();
    assertThat(TftpPaths.normalize("/")).isEmpty();
    assertThat(TftpPaths.normalize("..foo")).contains("..foo");
  }

  @Test
  void fileSystemSourceServesRegularFilesInsideTheRootOnly(@TempDir Path root,
      @TempDir Path outside) throws Exception {
    Files.writeString(root.resolve("a.txt"), "hello");
    Files.writeString(outside.resolve("s"), "secret");
    Files.createSymbolicLink(root.resolve("out"), outside.resolve("s"));
    Files.createDirectories(root.resolve("d"));
    FileSystemSource src = new FileSystemSource(root);

    Lookup found = src.open("a.txt", CLIENT);
    assertThat(found).isInstanceOf(Lookup.Found.class);
    try (TftpContent c = ((Lookup.Found) found).content()) {
      ByteBuffer b = ByteBuffer.allocate(10);
      assertThat(c.size()).isEqualTo(5);
      assertThat(c.read(b, 1)).isEqualTo(4);
      assertThat(new String(b.array(), 0, 4)).isEqualTo("ello");
    }
    assertThat(src.open("missing", CLIENT)).isInstanceOf(Lookup.NotFound.class);
    assertThat(((Lookup.Refused) src.open("out", CLIENT)).code())
        .isEqualTo(ErrorCode.ACCESS_VIOLATION);
    assertThat(((Lookup.Refused) src.open("d", CLIENT)).reason()).isEqualTo("is a directory");
  }

  @Test
  void chainAsksInOrderAndStopsAtARefusal() throws Exception {
    TftpSource front = (p, c) -> p.equals("gen") ? Lookup.found(TftpContent.of("x"))
        : p.equals("deny") ? Lookup.refused(ErrorCode.ACCESS_VIOLATION, "no", "policy")
        : Lookup.notFound();
    TftpSource back = (p, c) -> Lookup.found(TftpContent.of("back"));
    TftpSource chain = TftpSource.chain(front, back);
    assertThat(((Lookup.Found) chain.open("gen", CLIENT)).content().size()).isEqualTo(1);
    assertThat(chain.open("deny", CLIENT)).isInstanceOf(Lookup.Refused.class);
    assertThat(((Lookup.Found) chain.open("other", CLIENT)).content().size()).isEqualTo(4);
  }

  @Test
  void netasciiRefusesFilesOverItsBound() throws Exception {
    assertThat(Netascii.convert(TftpContent.of(new byte[(int) Netascii.MAX_SOURCE_SIZE + 1])))
        .isNull();
    byte[] lines = new byte[(int) Netascii.MAX_SOURCE_SIZE];
    java.util.Arrays.fill(lines, (byte) '\n');
    assertThat(Netascii.convert(TftpContent.of(lines)).size())
        .isEqualTo(2 * Netascii.MAX_SOURCE_SIZE);
  }

  @Test
  void netasciiConvertsLfAndCr() throws Exception {
    TftpContent c = Netascii.convert(TftpContent.of("a\nb\r\n"));
    ByteBuffer b = ByteBuffer.allocate(16);
    c.read(b, 0);
    assertThat(java.util.Arrays.copyOf(b.array(), b.position()))
        .containsExactly('a', '\r', '\n', 'b', '\r', 0, '\r', '\n');
  }
}
