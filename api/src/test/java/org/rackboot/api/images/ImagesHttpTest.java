package org.rackboot.api.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.api.RackbootApplication;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.testdb.DatabaseTest;
import org.rackboot.testdb.TestDatabase;

/** The image store through the real server over real HTTP, checked with curl. */
class ImagesHttpTest {

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ObjectMapper json = new ObjectMapper();
  private String base;
  private String admin;

  @DatabaseTest
  void uploadPublishServePinAndQuarantineOverHttp(TestDatabase db) throws Exception {
    Path config = TestServer.config(dir, db, "");
    DropwizardTestSupport<RackbootConfiguration> app =
        new DropwizardTestSupport<>(RackbootApplication.class, config.toString());
    app.before();
    try {
      base = "http://127.0.0.1:" + app.getLocalPort();
      TestServer.bearer = TestServer.adminToken(db.url(), db.user(), db.password());
      admin = "http://127.0.0.1:" + app.getAdminPort();
      Path store = dir.resolve("store");

      byte[] kernel = random(3 * 1024 * 1024 + 17, 1);
      Path kfile = write("vmlinuz", kernel);
      String ksha = sha(kernel);

      // A declared sha256 that does not match: 422, nothing kept, no temporary file left.
      TestServer.Curl bad = TestServer.curl("-T", kfile.toString(), base + "/api/v1/images/_blobs/" + sha(new byte[] {1}));
      assertThat(bad.status()).isEqualTo(422);
      assertThat(TestServer.curl("-I", base + "/api/v1/images/_blobs/" + ksha).status()).isEqualTo(404);
      assertThat(files(store.resolve("tmp"))).isEmpty();
      assertThat(files(store.resolve("blobs"))).isEmpty();

      // Streamed upload with the right sha256.
      TestServer.Curl up = TestServer.curl("-T", kfile.toString(), base + "/api/v1/images/_blobs/" + ksha);
      assertThat(up.status()).isEqualTo(201);
      assertThat(TestServer.curl("-T", kfile.toString(), base + "/api/v1/images/_blobs/" + ksha).status()).isEqualTo(200);

      // Manifest naming a blob that is not there: 422 naming the field.
      String missing = sha("not uploaded".getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> r = post("/api/v1/images", manifest("debian", "12.4", ksha, kernel.length, missing));
      assertThat(r.statusCode()).isEqualTo(422);
      assertThat(r.body()).contains("artifacts[1].sha256").contains("not in the store");

      r = post("/api/v1/images", manifest("debian", "12.4", ksha, kernel.length, null));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/api/v1/images/debian/12.4");
      assertThat(post("/api/v1/images", manifest("debian", "12.4", ksha, kernel.length, null)).statusCode())
          .isEqualTo(409);
      JsonNode m = json.readTree(get("/api/v1/images/debian/12.4").body());
      assertThat(m.get("artifacts").get(0).get("sha256").asText()).isEqualTo(ksha);
      assertThat(m.get("artifacts").get(0).get("part").asText()).isEqualTo("kernel");
      assertThat(m.get("createdBy").asText()).as("the token that published it").startsWith("images-admin-");
      assertThat(m.get("createdAt").isTextual()).as("ISO-8601 text: " + m.get("createdAt")).isTrue();
      assertThat(java.time.Instant.parse(m.get("createdAt").asText())).isBefore(java.time.Instant.now().plusSeconds(1));

      // Serving: full, HEAD, Range forms, ETag, 304, 416, gzip not applied.
      String url = base + "/files/blobs/" + ksha;
      TestServer.Curl full = TestServer.curl(url);
      assertThat(full.status()).isEqualTo(200);
      assertThat(full.downloaded()).isEqualTo(kernel.length);
      assertThat(full.header("Content-Length")).isEqualTo(Integer.toString(kernel.length));
      assertThat(full.header("ETag")).isEqualTo("\"" + ksha + "\"");
      assertThat(full.header("Accept-Ranges")).isEqualTo("bytes");
      Path got = dir.resolve("got");
      Process p = new ProcessBuilder("curl", "-sS", "-o", got.toString(), url).start();
      assertThat(p.waitFor()).isZero();
      assertThat(Files.readAllBytes(got)).isEqualTo(kernel);

      TestServer.Curl head = TestServer.curl("-I", url);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(kernel.length));

      TestServer.Curl part = TestServer.curl("-H", "Range: bytes=100-199", url);
      assertThat(part.status()).isEqualTo(206);
      assertThat(part.downloaded()).isEqualTo(100);
      assertThat(part.header("Content-Range")).isEqualTo("bytes 100-199/" + kernel.length);
      p = new ProcessBuilder("curl", "-sS", "-r", "1000-", "-o", got.toString(), url).start();
      assertThat(p.waitFor()).isZero();
      assertThat(Files.readAllBytes(got)).isEqualTo(java.util.Arrays.copyOfRange(kernel, 1000, kernel.length));
      TestServer.Curl suffix = TestServer.curl("-H", "Range: bytes=-10", url);
      assertThat(suffix.header("Content-Range")).isEqualTo("bytes " + (kernel.length - 10) + "-" + (kernel.length - 1) + "/" + kernel.length);
      assertThat(TestServer.curl("-H", "Range: bytes=" + kernel.length + "-", url).status()).isEqualTo(416);
      assertThat(TestServer.curl("-H", "If-None-Match: \"" + ksha + "\"", url).status()).isEqualTo(304);
      assertThat(TestServer.curl("-H", "If-None-Match: \"other\"", url).status()).isEqualTo(200);
      TestServer.Curl ifRange = TestServer.curl("-H", "Range: bytes=0-9", "-H", "If-Range: \"stale\"", url);
      assertThat(ifRange.status()).isEqualTo(200);
      assertThat(ifRange.downloaded()).isEqualTo(kernel.length);
      TestServer.Curl gz = TestServer.curl("-H", "Accept-Encoding: gzip", url);
      assertThat(gz.header("Content-Encoding")).isNull();
      assertThat(gz.downloaded()).isEqualTo(kernel.length);
      assertThat(TestServer.curl(base + "/files/blobs/" + missing).status()).isEqualTo(404);
      assertThat(TestServer.curl(base + "/files/blobs/..%2F..%2Fetc%2Fpasswd").status()).isIn(400, 404);

      // Pins over the API, with history and audit events.
      // A pin belongs to a role of that name in that environment: make them first.
      for (String env : java.util.List.of("dev", "staging", "prod")) {
        assertThat(post("/api/v1/environments", "{\"name\":\"" + env + "\"}").statusCode())
            .isEqualTo(201);
        assertThat(post("/api/v1/roles", "{\"environment\":\"" + env + "\",\"name\":\"web\"}")
            .statusCode()).isEqualTo(201);
      }
      r = put("/api/v1/pins/web/dev", "{\"image\":\"debian\",\"version\":\"12.4\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(put("/api/v1/pins/web/prod", "{\"image\":\"debian\",\"version\":\"12.4\"}").statusCode()).isEqualTo(409);
      assertThat(post("/api/v1/pins/web/dev/promote", "").statusCode()).isEqualTo(200);
      assertThat(json.readTree(get("/api/v1/pins/web/staging").body()).get("version").asText()).isEqualTo("12.4");
      r = post("/api/v1/pins/web/dev/rollback", "");
      assertThat(r.statusCode()).isEqualTo(409);
      assertThat(json.readTree(get("/api/v1/pins/web/dev/history").body())).hasSize(1);
      assertThat(put("/api/v1/pins/web/dev", "{\"image\":\"debian\",\"version\":\"9\"}").statusCode()).isEqualTo(422);
      List<String> types = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT type FROM events WHERE type LIKE 'image.%' ORDER BY id").mapTo(String.class).list());
      assertThat(types).containsExactly("image.published", "image.pin.pin", "image.pin.promote");
      String actor = db.jdbi().withHandle(h -> h.createQuery("SELECT actor FROM events WHERE type = 'image.pin.pin'")
          .mapTo(String.class).one());
      assertThat(actor).as("the token that pinned").startsWith("images-admin-");

      // Repository snapshot through the CLI, served at a stable path.
      Path repo = dir.resolve("repo");
      Files.createDirectories(repo.resolve("dists/bookworm"));
      Files.writeString(repo.resolve("dists/bookworm/Release"), "Origin: test\n");
      TestServer.CliResult c = TestServer.cli("repo-snapshot-import", repo.toString(), "--name", "debian-main",
          "--snapshot-version", "2026.11.25", config.toString());
      assertThat(c.ok()).as(c.err()).isTrue();
      assertThat(c.out()).contains("published repository snapshot debian-main/2026.11.25: 1 files");
      TestServer.Curl rel = TestServer.curl(base + "/repos/debian-main/2026.11.25/dists/bookworm/Release");
      assertThat(rel.status()).isEqualTo(200);
      assertThat(rel.downloaded()).isEqualTo(13);
      assertThat(rel.header("Cache-Control")).contains("immutable");
      assertThat(TestServer.curl(base + "/repos/debian-main/latest/dists/bookworm/Release").header("Cache-Control"))
          .isEqualTo("no-cache");
      assertThat(TestServer.curl(base + "/repos/debian-main/2026.11.25/dists/bookworm/Missing").status()).isEqualTo(404);
      assertThat(TestServer.curl("--path-as-is", base + "/repos/debian-main/2026.11.25/../../../etc/passwd").status())
          .isIn(400, 404);
      assertThat(json.readTree(get("/api/v1/repos").body()).get(0).get("name").asText()).isEqualTo("debian-main");

      // Image import through the CLI, then refusal of a republish with a plain message.
      Path imgDir = dir.resolve("img");
      Files.createDirectories(imgDir);
      Files.write(imgDir.resolve("vmlinuz"), random(1000, 3));
      Files.writeString(imgDir.resolve("manifest.json"), "{\"name\":\"alma\",\"version\":\"9.4\",\"os\":\"AlmaLinux 9\","
          + "\"arch\":\"x86_64\",\"artifacts\":[{\"name\":\"vmlinuz\",\"part\":\"kernel\"}]}");
      c = TestServer.cli("image-import", imgDir.toString(), config.toString());
      assertThat(c.ok()).as(c.err()).isTrue();
      assertThat(c.out()).contains("published alma/9.4");
      c = TestServer.cli("image-import", imgDir.toString(), config.toString());
      assertThat(c.ok()).isFalse();
      assertThat(c.err()).contains("already published").doesNotContain("Exception");

      // Corrupt a served blob on disk: quarantined, never served again, health turns red.
      assertThat(TestServer.curl(admin + "/healthcheck").status()).isEqualTo(200);
      Path blob = store.resolve("blobs").resolve(ksha.substring(0, 2)).resolve(ksha);
      byte[] evil = kernel.clone();
      evil[12345] ^= 1;
      Files.write(blob, evil);
      assertThat(TestServer.curl(url).status()).isEqualTo(404);
      TestServer.Curl health = TestServer.curl(admin + "/healthcheck");
      assertThat(health.status()).isEqualTo(500);
      String healthBody = get(admin, "/healthcheck").body();
      assertThat(json.readTree(healthBody).get("imageStoreIntegrity").get("healthy").asBoolean()).isFalse();
      int quarantined = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM events WHERE type = 'blob.quarantined'").mapTo(Integer.class).one());
      assertThat(quarantined).isEqualTo(1);
    } finally {
      TestServer.bearer = null;
      app.after();
    }
  }

  private String manifest(String name, String version, String ksha, long ksize, String initrdSha) {
    String initrd = initrdSha == null ? "" : ",{\"name\":\"initrd.img\",\"part\":\"initrd\",\"sha256\":\"" + initrdSha + "\",\"size\":12}";
    return "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"os\":\"Debian 12\",\"arch\":\"x86_64\","
        + "\"bootArgs\":\"console=ttyS0\",\"notes\":\"n\",\"artifacts\":[{\"name\":\"vmlinuz\",\"part\":\"kernel\","
        + "\"sha256\":\"" + ksha + "\",\"size\":" + ksize + "}" + initrd + "]}";
  }

  private HttpResponse<String> get(String path) throws Exception {
    return get(base, path);
  }

  private HttpResponse<String> get(String root, String path) throws Exception {
    return http.send(authorized(HttpRequest.newBuilder(URI.create(root + path))).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(authorized(HttpRequest.newBuilder(URI.create(base + path))).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(String path, String body) throws Exception {
    return http.send(authorized(HttpRequest.newBuilder(URI.create(base + path))).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder authorized(HttpRequest.Builder b) {
    return TestServer.bearer == null ? b : b.header("Authorization", "Bearer " + TestServer.bearer);
  }

  private Path write(String name, byte[] data) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, data);
    return p;
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static List<Path> files(Path d) throws Exception {
    if (!Files.exists(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }
}
