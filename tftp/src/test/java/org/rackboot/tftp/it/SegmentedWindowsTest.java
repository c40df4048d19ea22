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
import org.rackboot.tftp.transfer.TransferLimits;

/**
 * RFC 7440 windows sent with UDP segmentation offload (one send per window) and without it,
 * fetched by atftp, the client that asks for windows: sizes around the edges of a window and of
 * one send (44 blocks of 1468, 7 of 8192, 64 of 512), byte-identical either way.
 */
class SegmentedWindowsTest {

  @TempDir static Path root;
  @TempDir static Path downloads;
  static TestServer segmented;
  static TestServer plain;

  static final int[] SIZES = {
    0, 1, 1468, 1469, 3000, 16 * 1468, 16 * 1468 + 1, 64 * 512, 64 * 512 + 513, (1 << 20) + 7
  };

  @BeforeAll
  static void start() throws Exception {
    for (int size : SIZES) {
      TestServer.writeFile(root, "w" + size + ".bin", size);
    }
    var settings = TestServer.settings().withLimits(TransferLimits.defaults());
    segmented = new TestServer(root, settings, null);
    plain = new TestServer(root, settings.withSegmentationOffload(false), null);
  }

  @AfterAll
  static void stop() {
    segmented.close();
    plain.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> list = new ArrayList<>();
    for (boolean offload : new boolean[] {true, false}) {
      for (int size : SIZES) {
        list.add(Arguments.of(offload, size, 1468, 16));
      }
      list.add(Arguments.of(offload, (1 << 20) + 7, 8192, 16));
      list.add(Arguments.of(offload, 64 * 512 + 513, 512, 64));
      list.add(Arguments.of(offload, 16 * 1468 + 1, 1468, 4));
    }
    return list.stream();
  }

  @ParameterizedTest(name = "offload={0} size={1} blksize={2} windowsize={3}")
  @MethodSource("cases")
  void windowsArriveByteIdentical(boolean offload, int size, int blksize, int window)
      throws Exception {
    TestServer server = offload ? segmented : plain;
    String file = "w" + size + ".bin";
    Path out = downloads.resolve(offload + "-" + size + "-" + blksize + "-" + window);
    long sendsBefore = server.stats.segmentedSends();
    long doneBefore = server.stats.transfersCompleted();
    Clients.Result r = Clients.run(
        Clients.ATFTP.command("127.0.0.1", server.port(), file, out, blksize, window), 120);
    assertThat(r.exit()).as("exit status; output: %s", r.output()).isZero();
    assertThat(Files.size(out)).isEqualTo(size);
    assertThat(TestServer.sha256(out)).isEqualTo(TestServer.sha256(root.resolve(file)));
    // The client can exit before the server thread counted its last send: wait for the final
    // ACK to be processed, which comes after every send of the transfer.
    for (int i = 0; i < 500 && server.stats.transfersCompleted() == doneBefore; i++) {
      Thread.sleep(10);
    }
    assertThat(server.stats.transfersCompleted()).isEqualTo(doneBefore + 1);
    long sends = server.stats.segmentedSends() - sendsBefore;
    if (offload && size >= blksize) {
      // Two blocks or more (a full last block is followed by an empty one): segmented sends.
      assertThat(sends).isPositive();
    } else {
      assertThat(sends).isZero();
    }
    Files.delete(out);
  }
}
