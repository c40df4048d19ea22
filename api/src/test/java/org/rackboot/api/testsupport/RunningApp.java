package org.rackboot.api.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.RackbootApplication;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.api.service.Tokens;
import org.rackboot.api.db.DbConventions;
import org.rackboot.testdb.TestDatabase;

/**
 * The whole application in-process on a fresh test database, reached over real HTTP on a
 * loopback port. TFTP and proxy-DHCP are off. Holds an admin token; makes more on demand.
 * Reusable by any api test: {@code RunningApp.start(TestDatabase.freshH2())}.
 */
public final class RunningApp implements AutoCloseable {

  /** The discovery token the test configuration sets. */
  public static final String DISCOVERY_TOKEN = "test-discovery-token";

  private final TestDatabase db;
  private final Path work;
  private final DropwizardTestSupport<RackbootConfiguration> support;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String adminToken;
  private final Tokens tokens;

  private RunningApp(TestDatabase db, List<String> extra) throws Exception {
    this(db, db.driverClass(), db.url(), db.user(), db.password(), extra);
  }

  /** The app on the database at {@code url}; {@code db}, if not null, is closed with the app. */
  private RunningApp(TestDatabase db, String driverClass, String url, String user,
      String password, List<String> extra) throws Exception {
    this.db = db;
    this.work = Files.createTempDirectory("rackboot-api-test");
    List<ConfigOverride> o = new ArrayList<>();
    o.add(ConfigOverride.config("server.applicationConnectors[0].port", "0"));
    o.add(ConfigOverride.config("server.applicationConnectors[0].bindHost", "127.0.0.1"));
    // One app serves a whole test class: a connection the client pooled while other tests ran
    // must not have been closed by the server meanwhile ("header parser received no bytes").
    o.add(ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "10m"));
    o.add(ConfigOverride.config("server.adminConnectors[0].port", "0"));
    // The admin port's bindHost is the committed file's (loopback): AdminPortTest checks it.
    o.add(ConfigOverride.config("tftp.enabled", "false"));
    o.add(ConfigOverride.config("dhcpProxy.enabled", "false"));
    o.add(ConfigOverride.config("tftp.root", work.resolve("tftp").toString()));
    o.add(ConfigOverride.config("images.storeDir", work.resolve("images").toString()));
    o.add(ConfigOverride.config("images.minFreeSpace", "1MiB"));
    o.add(ConfigOverride.config("database.driverClass", driverClass));
    o.add(ConfigOverride.config("database.url", url));
    o.add(ConfigOverride.config("database.user", user));
    o.add(ConfigOverride.config("database.password", password));
    o.add(ConfigOverride.config("api.discoveryToken", DISCOVERY_TOKEN));
    o.add(ConfigOverride.config("logging.level", "WARN"));
    for (String kv : extra) {
      int eq = kv.indexOf('=');
      o.add(ConfigOverride.config(kv.substring(0, eq), kv.substring(eq + 1)));
    }
    support = new DropwizardTestSupport<>(RackbootApplication.class, configFile(),
        o.toArray(ConfigOverride[]::new));
    support.before();
    Jdbi jdbi = DbConventions.configure(Jdbi.create(url, user, password));
    tokens = new Tokens(jdbi, support.getObjectMapper());
    adminToken = tokens.create("test", "admin-" + System.nanoTime(), "admin", List.of()).token();
  }

  /** Starts the app on {@code db} (not yet migrated: the app migrates on start). */
  public static RunningApp start(TestDatabase db, String... overrides) throws Exception {
    return new RunningApp(db, List.of(overrides));
  }

  /**
   * Starts the app on the database at {@code url} (a TCP proxy in front of a database server,
   * for example); tokens are made through the same URL.
   */
  public static RunningApp startOn(String driverClass, String url, String user, String password,
      String... overrides) throws Exception {
    return new RunningApp(null, driverClass, url, user, password, List.of(overrides));
  }

  /** The committed configuration file, so tests run the file operators use. */
  static String configFile() {
    Path inModule = Path.of("..", "rackboot.yml");
    return (inModule.toFile().exists() ? inModule : Path.of("rackboot.yml")).toAbsolutePath()
        .normalize().toString();
  }

  /** The app's scratch directory: tftp/ is its tftp.root, images/ its image store. */
  public Path work() {
    return work;
  }

  public TestDatabase db() {
    return db;
  }

  public Jdbi jdbi() {
    return db.jdbi();
  }

  public String adminToken() {
    return adminToken;
  }

  public String baseUri() {
    return "http://127.0.0.1:" + support.getLocalPort();
  }

  /** The admin port (health checks, metrics). */
  public String adminUri() {
    return "http://127.0.0.1:" + support.getAdminPort();
  }

  /** A new token of this role limited to these environments (none: all). */
  public String token(String role, String... environments) {
    return tokens.create("test", role + "-" + System.nanoTime(), role, List.of(environments))
        .token();
  }

  /** An HTTP answer: status, headers, body parsed as JSON (null when empty or not JSON). */
  public record Resp(int status, JsonNode body, String raw, Map<String, List<String>> headers) {
    public Optional<String> header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst();
    }

    @Override
    public String toString() {
      return status + " " + raw;
    }
  }

  public Resp get(String path) {
    return call("GET", path, adminToken, null);
  }

  public Resp get(String path, String token) {
    return call("GET", path, token, null);
  }

  public Resp post(String path, Object body) {
    return call("POST", path, adminToken, body);
  }

  /** The running Jetty server, for tests about its connectors. */
  public org.eclipse.jetty.server.Server server() {
    return support.getEnvironment().getApplicationContext().getServer();
  }

  /** A request to the admin port; {@code token} null sends none. */
  public Resp admin(String method, String path, String token) {
    return callAt(adminUri(), method, path, token, null);
  }

  public Resp call(String method, String path, String token, Object body, String... headers) {
    return callAt(baseUri(), method, path, token, body, headers);
  }

  private Resp callAt(String base, String method, String path, String token, Object body,
      String... headers) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(60));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      for (int i = 0; i + 1 < headers.length; i += 2) {
        b.header(headers[i], headers[i + 1]);
      }
      HttpRequest.BodyPublisher pub = HttpRequest.BodyPublishers.noBody();
      if (body != null) {
        String text = body instanceof String s ? s : json.writeValueAsString(body);
        pub = HttpRequest.BodyPublishers.ofString(text);
        b.header("Content-Type", "application/json");
      }
      HttpResponse<String> r = http.send(b.method(method, pub).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode parsed = null;
      if (!r.body().isEmpty()) {
        try {
          parsed = json.readTree(r.body());
        } catch (IOException e) {
          parsed = null;
        }
      }
      return new Resp(r.statusCode(), parsed, r.body(), r.headers().map());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public ObjectMapper json() {
    return json;
  }

  /** Stops the application as SIGTERM does (managed objects in reverse order); the database stays. */
  public void stopApp() {
    support.after();
  }

  @Override
  public void close() throws Exception {
    try {
      support.after();
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }
}
