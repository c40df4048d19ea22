package org.rackboot.api.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.api.RackbootApplication;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.testdb.DatabaseTest;
import org.rackboot.testdb.TestDatabase;

/**
 * Large blobs leave through sendfile on the connection's socket (see SendfileBody): every byte
 * must arrive for fast, slow, ranged and concurrent readers, a reader that hangs up must not
 * disturb the others, and small blobs keep the keep-alive connection.
 */
class BlobSendfileTest {

  @TempDir Path dir;

  @DatabaseTest
  void largeBlobsArriveWholeForEveryKindOfReader(TestDatabase db) throws Exception {
    DropwizardTestSupport<RackbootConfiguration> app = new DropwizardTestSupport<>(
        RackbootApplication.class, TestServer.config(dir, db, "").toString());
    app.before();
    try {
      String base = "http://127.0.0.1:" + app.getLocalPort();
      TestServer.bearer = TestServer.adminToken(db.url(), db.user(), db.password());
      byte[] big = new byte[24 * 1024 * 1024 + 5];
      new Random(7).nextBytes(big);
      byte[] small = new byte[4096];
      new Random(8).nextBytes(small);
      String bigUrl = base + "/files/blobs/" + upload(base, "big", big);
      String smallUrl = base + "/files/blobs/" + upload(base, "small", small);

      TestServer.Curl head = TestServer.curl(bigUrl);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(big.length));
      assertThat(head.header("Connection")).isEqualTo("close");
      assertThat(TestServer.curl(smallUrl).header("Connection")).isNull();

      // Eight readers at once, one of them throttled so the server must wait for room in its
      // socket, one asking for a range that starts and ends mid-file.
      List<Process> readers = new ArrayList<>();
      List<Path> outputs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Path out = dir.resolve("got-" + i);
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-f", "--max-time", "60",
            "-o", out.toString()));
        if (i == 0) {
          cmd.addAll(List.of("--limit-rate", "8M"));
        }
        if (i == 1) {
          cmd.addAll(List.of("-r", "3000000-20000000"));
        }
        cmd.add(bigUrl);
        readers.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        outputs.add(out);
      }
      // And one that hangs up after the first megabytes.
      Process quitter = new ProcessBuilder("sh", "-c",
          "curl -sS -N " + bigUrl + " | head -c 3000000 > /dev/null").start();
      assertThat(quitter.waitFor(60, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < readers.size(); i++) {
        assertThat(readers.get(i).waitFor(90, TimeUnit.SECONDS)).as("reader " + i).isTrue();
        assertThat(readers.get(i).exitValue()).as("curl exit of reader " + i).isZero();
        byte[] want = i == 1 ? java.util.Arrays.copyOfRange(big, 3_000_000, 20_000_001) : big;
        assertThat(Files.readAllBytes(outputs.get(i))).as("bytes of reader " + i).isEqualTo(want);
      }

      // One curl, two URLs: the large answer closes its connection, the next request gets a new
      // one and both arrive whole.
      Path first = dir.resolve("first");
      Path second = dir.resolve("second");
      Process two = new ProcessBuilder("curl", "-sS", "-f", "--max-time", "60", "-o",
          first.toString(), bigUrl, "-o", second.toString(), smallUrl).redirectErrorStream(true)
          .start();
      assertThat(two.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(two.exitValue()).isZero();
      assertThat(Files.readAllBytes(first)).isEqualTo(big);
      assertThat(Files.readAllBytes(second)).isEqualTo(small);
    } finally {
      app.after();
      TestServer.bearer = null;
    }
  }

  private String upload(String base, String name, byte[] bytes) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(TestServer.curl("-T", f.toString(), base + "/api/v1/images/_blobs/" + sha).status())
        .isEqualTo(201);
    return sha;
  }
}
