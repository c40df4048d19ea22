package org.rackboot.tftp.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.rackboot.tftp.FileSystemSource;
import org.rackboot.tftp.TftpSettings;
import org.rackboot.tftp.TftpSource;
import org.rackboot.tftp.TftpStats;
import org.rackboot.tftp.mina.TftpServer;
import org.rackboot.tftp.transfer.TransferLimits;

/** A Rackboot TFTP server on 127.0.0.1 with an ephemeral port, serving a temporary root. */
final class TestServer implements AutoCloseable {

  final Path root;
  final TftpStats stats = new TftpStats();
  final TftpServer server;

  TestServer(Path root, TftpSettings settings, TftpSource front) throws IOException {
    this.root = root;
    TftpSource files = new FileSystemSource(root);
    server = new TftpServer(settings, front == null ? files : TftpSource.chain(front, files), stats);
    server.start();
  }

  static TftpSettings settings() {
    return TftpSettings.defaults(new InetSocketAddress("127.0.0.1", 0))
        .withLimits(new TransferLimits(TransferLimits.MAX_BLKSIZE, 64, 300_000, 5, false));
  }

  static TestServer start(Path root) throws IOException {
    return new TestServer(root, settings(), null);
  }

  int port() {
    return server.localAddress().getPort();
  }

  InetSocketAddress address() {
    return server.localAddress();
  }

  @Override
  public void close() {
    server.close();
  }

  /** Random bytes from a fixed seed, so a failure is reproducible. */
  static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Path writeFile(Path dir, String name, int size) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, randomBytes(size, size * 31L + name.hashCode()));
    return p;
  }

  static String sha256(Path p) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (var in = Files.newInputStream(p)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits, bounded, until no transfer is active (workers release on their own thread). */
  void awaitIdle() throws InterruptedException {
    long end = System.nanoTime() + 5_000_000_000L;
    while (stats.activeTransfers() != 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
  }
}
