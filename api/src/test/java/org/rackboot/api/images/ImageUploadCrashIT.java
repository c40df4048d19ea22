package org.rackboot.api.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.testdb.DatabaseTest;
import org.rackboot.testdb.TestDatabase;

/**
 * The real server jar as a child process, killed with SIGKILL in the middle of a streamed upload,
 * then restarted: nothing partial is visible, the leftover temporary file is gone, and the same
 * upload then succeeds. The child runs with a 64 MiB heap while a 192 MiB artifact goes through
 * it, so an upload buffered in memory would fail here.
 */
class ImageUploadCrashIT {

  private static final int SIZE = 192 << 20;
  private static final long KILL_AFTER = 64L << 20;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @DatabaseTest
  void sigkillDuringUploadLeavesNothingPartialAndTheUploadCanBeRedone(TestDatabase db) throws Exception {
    Path jar = Path.of(System.getProperty("rackboot.jar", "target/rackboot.jar")).toAbsolutePath();
    assertThat(jar).as("built by the package phase").exists();
    // The child is another process: H2 must be a file database there, MariaDB is shared as is.
    String url = db.kind() == TestDatabase.Kind.H2
        ? "jdbc:h2:" + dir.resolve("db/rackboot") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE"
        : db.url();
    int appPort = freePort();
    int adminPort = freePort();
    Path config = TestServer.config(dir, db.driverClass(), url, db.user(), db.password(), "", appPort, adminPort);
    String base = "http://127.0.0.1:" + appPort;
    Path store = dir.resolve("store");

    Path artifact = dir.resolve("disk.img");
    String sha = writeRandom(artifact, SIZE);

    // The upload API wants an admin token: migrate and make one before the server holds the DB.
    assertThat(TestServer.cli("db", "migrate", config.toString()).ok()).isTrue();
    String token = TestServer.adminToken(url, db.user(), db.password());

    Process server = start(jar, config, dir.resolve("server1.log"));
    try {
      awaitHealthy(server, adminPort, dir.resolve("server1.log"));
      long pid = server.pid();
      HttpRequest upload = HttpRequest.newBuilder(URI.create(base + "/api/v1/images/_blobs/" + sha))
          .timeout(Duration.ofSeconds(120))
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/octet-stream")
          .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> killingAfter(artifact, KILL_AFTER, pid)))
          .build();
      Exception failed = null;
      try {
        http.send(upload, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        failed = e;
      }
      assertThat(failed).as("the upload dies with the server").isNotNull();
      assertThat(server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(server.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    } finally {
      server.destroyForcibly();
    }
    // The dead server left a partial temporary file, and no blob.
    List<Path> leftovers = files(store.resolve("tmp"));
    assertThat(leftovers).hasSize(1);
    assertThat(Files.size(leftovers.get(0))).isBetween(1L, (long) SIZE - 1);
    assertThat(files(store.resolve("blobs"))).isEmpty();

    server = start(jar, config, dir.resolve("server2.log"));
    try {
      awaitHealthy(server, adminPort, dir.resolve("server2.log"));
      assertThat(files(store.resolve("tmp"))).as("cleaned on restart").isEmpty();
      assertThat(files(store.resolve("blobs"))).isEmpty();
      assertThat(status(base + "/api/v1/images/_blobs/" + sha, "HEAD", token)).isEqualTo(404);
      assertThat(status(base + "/files/blobs/" + sha, "HEAD")).isEqualTo(404);

      HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/images/_blobs/" + sha))
              .timeout(Duration.ofSeconds(300)).header("Content-Type", "application/octet-stream")
              .header("Authorization", "Bearer " + token)
              .PUT(HttpRequest.BodyPublishers.ofFile(artifact)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
      HttpResponse<String> pub = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/images"))
              .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + token)
              .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"crash\",\"version\":\"1\",\"os\":\"Debian 12\","
                  + "\"arch\":\"x86_64\",\"artifacts\":[{\"name\":\"disk.img\",\"part\":\"disk\",\"sha256\":\"" + sha
                  + "\",\"size\":" + SIZE + "}]}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(pub.statusCode()).as(pub.body()).isEqualTo(201);

      // Served back whole and intact, with curl.
      Path back = dir.resolve("back.img");
      Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "120", "-o", back.toString(),
          base + "/files/blobs/" + sha).redirectErrorStream(true).start();
      assertThat(curl.waitFor()).isZero();
      assertThat(hash(back)).isEqualTo(sha);
      assertThat(files(store.resolve("tmp"))).isEmpty();
    } finally {
      server.destroy();
      if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private static Process start(Path jar, Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx64m", "-jar", jar.toString(), "server", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private void awaitHealthy(Process p, int adminPort, Path log) throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        throw new AssertionError("server exited " + p.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (status("http://127.0.0.1:" + adminPort + "/healthcheck", "GET") == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError("server not healthy within 90 s:\n" + Files.readString(log));
  }

  private int status(String url, String method) throws Exception {
    return status(url, method, null);
  }

  private int status(String url, String method, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** The file as a stream that sends SIGKILL to {@code pid} once {@code after} bytes were read. */
  private static InputStream killingAfter(Path file, long after, long pid) {
    try {
      return new FilterInputStream(Files.newInputStream(file)) {
        long read;
        boolean killed;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            read += n;
          }
          if (!killed && read >= after) {
            killed = true;
            try {
              new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return n;
        }
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String writeRandom(Path file, int size) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    Random r = new Random(42);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int done = 0; done < size; done += buf.length) {
        r.nextBytes(buf);
        md.update(buf);
        out.write(buf);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String hash(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static List<Path> files(Path d) throws IOException {
    if (!Files.exists(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
