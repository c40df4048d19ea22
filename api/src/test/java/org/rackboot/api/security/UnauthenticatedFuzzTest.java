package org.rackboot.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;

/**
 * Everything the provisioning network reaches without a bearer token — {@code /boot/*},
 * {@code /files/*}, {@code /repos/*}, discovery and the installer's calls — fed 100,000 mutated
 * requests (seeded, bounded in count and time) over raw HTTP: mangled paths and query strings,
 * garbage and forged credentials, random and mutated bodies, odd methods and headers. No answer
 * may be a 5xx, the server must keep answering, and no row but boot events may change (a dump of
 * every table before and after).
 *
 * <p>Hosts in every state but provisioning are in the inventory: a provisioning host's first
 * script fetch legitimately issues its install's token (a write, by design).
 */
class UnauthenticatedFuzzTest {

  private static final int REQUESTS = 100_000;
  private static final long MAX_NANOS = 8L * 60 * 1_000_000_000L;
  private static final long SEED = Long.getLong("rackboot.fuzzSeed", 0x5eedL);

  /** Path pieces a mutation splices in: traversal, encodings, separators, oversize. */
  private static final String[] SPLICES = {
    "..", "%2e%2e", "%2f", "%2F", "//", "/./", "%00", "%zz", "%", "%u002e", "%c0%ae", "%5c", "\\",
    ";x=y", "?", "#", "&", "=", "%20", "+", "%0d%0a", "%ff", "%e2%80%ae", "~", "*", ":",
    "a".repeat(300), "%25", "%2525", "..;", "/..", "%3f", "${x}", "'", "\"", "<script>",
  };

  @ApiTest
  void unauthenticatedEndpointsNeverFailAndChangeNothing(RunningApp app) throws Exception {
    List<String> macs = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    seedInventory(app, macs, ids);
    Map<String, List<String>> before = dump(app);

    SplittableRandom rnd = new SplittableRandom(SEED);
    URI base = URI.create(app.baseUri());
    Map<Integer, Integer> statuses = new TreeMap<>();
    long deadline = System.nanoTime() + MAX_NANOS;
    int sent = 0;
    try (RawHttp http = new RawHttp(new InetSocketAddress(base.getHost(), base.getPort()))) {
      for (; sent < REQUESTS && System.nanoTime() < deadline; sent++) {
        Request r = request(rnd, macs, ids);
        RawHttp.Response resp = http.exchange(r.head(base), r.body());
        statuses.merge(resp.status(), 1, Integer::sum);
        assertThat(resp.status())
            .as("request %d (seed %d): %s", sent, SEED, r.describe())
            .isBetween(100, 499);
      }
    }
    assertThat(sent).as("requests sent within %d s", MAX_NANOS / 1_000_000_000L)
        .isEqualTo(REQUESTS);
    // A fuzz that only ever hit 404s or 400s would prove little: real handlers answered too.
    assertThat(statuses.keySet()).as("statuses %s", statuses).contains(200, 400, 401, 404);
    assertThat(dump(app)).as("the database after %d unauthenticated requests", sent)
        .isEqualTo(before);
    assertThat(app.get("/api/v1/hosts?limit=1", app.adminToken()).status()).isEqualTo(200);
  }

  /** Hosts of every state the fuzz may touch, a role, an environment. */
  private static void seedInventory(RunningApp app, List<String> macs, List<String> ids) {
    String env = Fixtures.environment(app);
    String role = Fixtures.role(app, env, "fuzzimage", "1").get("name").asText();
    for (int i = 0; i < 3; i++) {
      String mac = Names.mac();
      JsonNode h = Fixtures.host(app, mac);
      macs.add(mac);
      ids.add(h.get("id").asText());
    }
    JsonNode ready = Fixtures.readyHost(app, env, role);
    ids.add(ready.get("id").asText());
    ready.get("nics").forEach(n -> macs.add(n.get("mac").asText()));
    // One retired host: the decision ignores it.
    String retired = ids.get(0);
    RunningApp.Resp r = app.call("POST", "/api/v1/hosts/" + retired + "/retire", app.adminToken(),
        Map.of());
    assertThat(r.status()).as(r.toString()).isBetween(200, 204);
  }

  /** One request as sent on the wire. */
  private record Request(String method, String target, List<String> headers, byte[] body) {

    byte[] head(URI base) {
      StringBuilder b = new StringBuilder();
      b.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      b.append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
      for (String h : headers) {
        b.append(h).append("\r\n");
      }
      b.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    String describe() {
      return method + " " + target + " " + headers + " body "
          + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    }
  }

  private static Request request(SplittableRandom rnd, List<String> macs, List<String> ids) {
    String mac = macs.get(rnd.nextInt(macs.size()));
    String id = rnd.nextInt(10) == 0 ? "nosuchhost" : ids.get(rnd.nextInt(ids.size()));
    String target;
    String method = "GET";
    byte[] body = new byte[0];
    switch (rnd.nextInt(9)) {
      case 0 -> target = "/boot/ipxe?mac=" + macVariant(rnd, mac);
      case 1 -> target = "/boot/agent/" + pick(rnd, "vmlinuz", "initrd.img", "x", "..%2f..%2fetc%2fpasswd");
      case 2 -> target = "/boot/" + pick(rnd, "ipxe.efi", "undionly.kpxe", "x.efi", "..%2fdb.efi");
      case 3 -> target = "/boot/templates/" + id + "/"
          + pick(rnd, "kickstart.ks", "preseed.cfg", "user-data", "install.sh", "..%2f..%2frackboot.yml")
          + "?token=" + token(rnd);
      case 4 -> target = "/files/blobs/" + pick(rnd, "0".repeat(64), "abc", "..%2f..%2fdb",
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      case 5 -> target = "/repos/" + pick(rnd, "base", "x") + "/" + pick(rnd, "latest", "1")
          + "/" + pick(rnd, "dists/Release", "..%2f..%2f..%2fetc%2fpasswd", "");
      case 6, 7 -> {
        target = "/api/v1/discovery";
        method = "POST";
        body = json(rnd, mac);
      }
      default -> {
        target = "/api/v1/provision/" + id + "/"
            + pick(rnd, "plan", "progress", "result", "checkin", "x");
        method = rnd.nextBoolean() ? "POST" : "GET";
        body = method.equals("POST") ? json(rnd, mac) : body;
      }
    }
    if (rnd.nextInt(3) == 0) {
      target = mutate(rnd, target);
    }
    if (rnd.nextInt(25) == 0) {
      method = pick(rnd, "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "GET", "POST");
    }
    List<String> headers = new ArrayList<>();
    if (rnd.nextInt(3) != 0) {
      headers.add("Authorization: " + pick(rnd, "Bearer ", "Basic ", "bearer ", "")
          + token(rnd));
    }
    if (body.length > 0 || rnd.nextInt(5) == 0) {
      headers.add("Content-Type: " + pick(rnd, "application/json", "text/plain",
          "application/json; charset=latin1", "multipart/form-data", "x/y"));
    }
    if (rnd.nextInt(8) == 0) {
      headers.add("Range: bytes=" + pick(rnd, "0-10", "-5", "5-", "10-0", "0-0,5-6", "x",
          "99999999999999999999-"));
    }
    return new Request(method, target, headers, body);
  }

  private static String macVariant(SplittableRandom rnd, String mac) {
    return switch (rnd.nextInt(6)) {
      case 0 -> mac;
      case 1 -> mac.toUpperCase(Locale.ROOT).replace(':', '-');
      case 2 -> mac.replace(":", "");
      case 3 -> "ff:ff:ff:ff:ff:ff";
      case 4 -> mac + "%0a%23!ipxe";
      default -> randomText(rnd, 20);
    };
  }

  private static String token(SplittableRandom rnd) {
    return switch (rnd.nextInt(5)) {
      case 0 -> "";
      case 1 -> "rbp_" + Long.toHexString(rnd.nextLong());
      case 2 -> "rbd_" + rnd.nextLong() + "_" + Long.toHexString(rnd.nextLong());
      case 3 -> RunningApp.DISCOVERY_TOKEN + "x";
      default -> randomText(rnd, 40);
    };
  }

  /** Printable-ASCII text that survives a request line (no space, no control character). */
  private static String randomText(SplittableRandom rnd, int max) {
    StringBuilder b = new StringBuilder();
    int n = rnd.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      b.append((char) (0x21 + rnd.nextInt(0x7e - 0x21)));
    }
    return b.toString().replace("#", "%23");
  }

  private static String mutate(SplittableRandom rnd, String target) {
    StringBuilder b = new StringBuilder(target);
    for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
      int at = rnd.nextInt(b.length() + 1);
      switch (rnd.nextInt(4)) {
        case 0 -> b.insert(at, pick(rnd, SPLICES));
        case 1 -> b.delete(at, Math.min(b.length(), at + 1 + rnd.nextInt(5)));
        case 2 -> b.insert(at, randomText(rnd, 8));
        default -> b.insert(at, "/" + pick(rnd, SPLICES));
      }
    }
    if (b.length() == 0 || b.charAt(0) != '/') {
      b.insert(0, '/');
    }
    if (rnd.nextInt(200) == 0) {
      b.append("a".repeat(10_000));
    }
    return b.toString().replace(" ", "%20");
  }

  /** A discovery-like or installer-like JSON body, or bytes of one mutated. */
  private static byte[] json(SplittableRandom rnd, String mac) {
    String valid = "{\"macs\":[\"" + mac + "\"],\"dmi\":{\"product_serial\":\"SN-FUZZ\","
        + "\"product_uuid\":\"" + randomText(rnd, 10) + "\"},\"memory\":{\"total_kb\":8388608},"
        + "\"status\":\"succeeded\",\"phase\":\"write\",\"percent\":50,"
        + "\"imageName\":\"fuzzimage\",\"imageVersion\":\"1\"}";
    byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
    switch (rnd.nextInt(4)) {
      case 0 -> {
        return bytes;
      }
      case 1 -> {
        for (int i = 1 + rnd.nextInt(8); i > 0; i--) {
          bytes[rnd.nextInt(bytes.length)] = (byte) rnd.nextInt(256);
        }
        return bytes;
      }
      case 2 -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        randomJson(rnd, out, 0);
        return out.toByteArray();
      }
      default -> {
        return new byte[] {'{', '"', 'm', 'a', 'c', 's', '"', ':', '['};
      }
    }
  }

  private static void randomJson(SplittableRandom rnd, ByteArrayOutputStream out, int depth) {
    int kind = depth > 4 ? 3 + rnd.nextInt(3) : rnd.nextInt(6);
    switch (kind) {
      case 0 -> {
        out.writeBytes("{".getBytes(StandardCharsets.UTF_8));
        for (int i = rnd.nextInt(4); i > 0; i--) {
          out.writeBytes(("\"" + pick(rnd, "macs", "dmi", "status", "image", "x", "nics", "mac")
              + "\":").getBytes(StandardCharsets.UTF_8));
          randomJson(rnd, out, depth + 1);
          if (i > 1) {
            out.write(',');
          }
        }
        out.write('}');
      }
      case 1, 2 -> {
        out.write('[');
        for (int i = rnd.nextInt(4); i > 0; i--) {
          randomJson(rnd, out, depth + 1);
          if (i > 1) {
            out.write(',');
          }
        }
        out.write(']');
      }
      case 3 -> out.writeBytes(("\"" + randomText(rnd, 30).replace("\"", "").replace("\\", "")
          + "\"").getBytes(StandardCharsets.UTF_8));
      case 4 -> out.writeBytes(Long.toString(rnd.nextLong()).getBytes(StandardCharsets.UTF_8));
      default -> out.writeBytes(pick(rnd, "null", "true", "false", "1e999", "-0")
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  @SafeVarargs
  private static <T> T pick(SplittableRandom rnd, T... choices) {
    return choices[rnd.nextInt(choices.length)];
  }

  /**
   * Every row of every table but the event log (boot events are written by unauthenticated
   * requests on purpose) and the migration history, as sorted text per table.
   */
  private static Map<String, List<String>> dump(RunningApp app) throws Exception {
    Map<String, List<String>> out = new TreeMap<>();
    app.jdbi().useHandle(h -> {
      Connection c = h.getConnection();
      DatabaseMetaData md = c.getMetaData();
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), "%",
          new String[] {"TABLE"})) {
        while (rs.next()) {
          String t = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
          if (!t.equals("events") && !t.startsWith("flyway")) {
            tables.add(t);
          }
        }
      }
      assertThat(tables).as("tables found").contains("hosts", "nics", "api_tokens");
      for (String t : tables) {
        List<String> rows = new ArrayList<>();
        h.createQuery("SELECT * FROM " + t).mapToMap().forEach(row -> rows.add(row.toString()));
        rows.sort(null);
        out.put(t, rows);
      }
    });
    return out;
  }
}
