package org.rackboot.tftp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each real client fetches each size byte-identical, over loopback. */
class RealClientsTest {

  static final int[] SIZES = {0, 1, 511, 512, 513, 1 << 20};
  /** 33 MiB at blksize 512 is 67 585 blocks: the block number rolls over from 65535 to 0. */
  static final int ROLLOVER_SIZE = 33 << 20;

  @TempDir static Path root;
  @TempDir static Path downloads;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    for (int size : SIZES) {
      TestServer.writeFile(root, "f" + size + ".bin", size);
    }
    TestServer.writeFile(root, "big.bin", ROLLOVER_SIZE);
    // Production defaults: adaptive timeouts, blksize up to 65464.
    server = new TestServer(root, TestServer.settings().withLimits(
        org.rackboot.tftp.transfer.TransferLimits.defaults()), null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> list = new ArrayList<>();
    for (Clients c : Clients.values()) {
      for (int size : SIZES) {
        // curl 7.88 fails any empty file whose size it learnt from tsize ("getpeername() failed
        // with errno 107"; dnsmasq gets the same), so it fetches the empty file without options.
        int blksize = c == Clients.CURL && size == 0 ? -1 : 0;
        list.add(Arguments.of(c, "f" + size + ".bin", blksize, 0));
      }
      list.add(Arguments.of(c, "big.bin", c == Clients.TFTP_HPA ? 0 : 512, 0));
    }
    // Larger blocks and RFC 7440 windows where the client can ask for them.
    list.add(Arguments.of(Clients.CURL, "f1048576.bin", 1468, 0));
    list.add(Arguments.of(Clients.BUSYBOX, "f1048576.bin", 1468, 0));
    list.add(Arguments.of(Clients.ATFTP, "f1048576.bin", 1468, 16));
    list.add(Arguments.of(Clients.ATFTP, "f513.bin", 512, 4));
    list.add(Arguments.of(Clients.ATFTP, "f512.bin", 8, 3));
    list.add(Arguments.of(Clients.ATFTP, "big.bin", 512, 8));
    return list.stream();
  }

  @ParameterizedTest(name = "{0} {1} blksize={2} windowsize={3}")
  @MethodSource("cases")
  void fetchesByteIdentical(Clients client, String file, int blksize, int window)
      throws Exception {
    Path out = downloads.resolve(client + "-" + file + "-" + blksize + "-" + window);
    Clients.Result r = Clients.run(
        client.command("127.0.0.1", server.port(), file, out, blksize, window), 180);
    assertThat(r.exit()).as("exit status; output: %s", r.output()).isZero();
    assertThat(out).exists();
    assertThat(Files.size(out)).isEqualTo(Files.size(root.resolve(file)));
    assertThat(TestServer.sha256(out)).isEqualTo(TestServer.sha256(root.resolve(file)));
    Files.delete(out);
  }
}
