package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.api.testsupport.CuttableProxy;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;
import org.rackboot.testdb.MariaDbSettings;
import org.rackboot.testdb.TestDatabase;
import org.slf4j.LoggerFactory;

/**
 * The database goes away for about ten seconds while booting machines and API clients keep
 * asking (a TCP proxy between the app and the database is cut, then restored), on H2 in server
 * mode and on MariaDB: iPXE always gets a script it can run, the API answers 503 with
 * Retry-After, the log stays a handful of lines, boot events of the outage reach the database
 * afterwards, and the app works again without a restart.
 */
class DatabaseOutageApiTest {

  private static final long OUTAGE_MILLIS = 10_000;

  @TempDir Path dir;

  @Test
  void h2InServerMode() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    // Its own JVM, so that h2.bindAddress holds (H2 reads it once per JVM): loopback only.
    String h2Jar = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI()).toString();
    Process h2 = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dh2.bindAddress=127.0.0.1", "-cp", h2Jar, "org.h2.tools.Server",
        "-tcp", "-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("h2.log").toFile()).start();
    try {
      awaitListening(port);
      String params = ";DB_CLOSE_DELAY=-1;MODE=MariaDB;DATABASE_TO_LOWER=TRUE";
      try (CuttableProxy proxy = new CuttableProxy("127.0.0.1", port)) {
        outage(proxy, "org.h2.Driver",
            "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/mem:outage" + params,
            Jdbi.create("jdbc:h2:tcp://127.0.0.1:" + port + "/mem:outage" + params, "sa", ""),
            "sa", "");
      }
    } finally {
      h2.destroy();
      h2.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void mariaDb() throws Exception {
    TestDatabase db;
    try {
      db = TestDatabase.freshMariaDb();
    } catch (SQLException e) {
      Assumptions.assumeTrue(MariaDbSettings.required(), "MariaDB not reachable: " + e);
      throw e;
    }
    try (db) {
      URI uri = URI.create(db.url().substring("jdbc:".length()));
      try (CuttableProxy proxy = new CuttableProxy(uri.getHost(), uri.getPort())) {
        String proxied = db.url().replace(uri.getHost() + ":" + uri.getPort(),
            "127.0.0.1:" + proxy.port());
        outage(proxy, db.driverClass(), proxied, db.jdbi(), db.user(), db.password());
      }
    }
  }

  private void outage(CuttableProxy proxy, String driver, String url, Jdbi direct, String user,
      String password) throws Exception {
    Path agent = dir.resolve("agent");
    Files.createDirectories(agent);
    Files.writeString(agent.resolve("vmlinuz"), "kernel");
    Files.writeString(agent.resolve("initrd.img"), "initrd");
    try (RunningApp app = RunningApp.startOn(driver, url, user, password,
        "boot.agentDir=" + agent, "boot.idleAction=discovery",
        // Fail fast instead of waiting for a pooled connection that will not come.
        "database.maxWaitForConnection=2s")) {
      String known = Names.mac();
      Fixtures.host(app, known);
      // A host due to install: its script writes (the install's start), the path that fails.
      String env = Fixtures.environment(app);
      String roleName = Names.name("outage");
      BootFlowApiTest.publishImage(app, "outageimg", "1",
          ("disk " + roleName).getBytes(StandardCharsets.UTF_8));
      assertThat(app.post("/api/v1/roles", Map.of("environment", env, "name", roleName,
          "imageName", "outageimg", "imageVersion", "1")).status()).isEqualTo(201);
      String installing = Names.mac();
      String id = Fixtures.host(app, installing).get("id").asText();
      assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/role", app.adminToken(),
          Map.of("environment", env, "role", roleName)).status()).isEqualTo(200);
      assertThat(app.call("POST", "/api/v1/hosts/" + id + "/rebuild", app.adminToken(), null)
          .status()).isEqualTo(200);
      // Never used yet, so not in the authenticator's cache: its check needs the database.
      String fresh = app.token("viewer");
      String unknown = Names.mac();
      assertThat(script(app, known)).contains("rackboot.mode=discover");

      LineCounter log = LineCounter.attach();
      int unknownAsked = 0;
      List<String> problems = new ArrayList<>();
      proxy.cut();
      long end = System.nanoTime() + OUTAGE_MILLIS * 1_000_000L;
      int rounds = 0;
      while (System.nanoTime() < end) {
        rounds++;
        for (String mac : List.of(known, unknown, installing)) {
          Resp r = app.call("GET", "/boot/ipxe?mac=" + mac, null, null);
          if (r.status() != 200 || !r.raw().startsWith("#!ipxe")) {
            problems.add(mac + ": " + r);
          }
          if (mac.equals(installing) && !r.raw().contains("asking again in 5 seconds")) {
            problems.add("install path did not wait: " + r);
          }
        }
        unknownAsked++;
        for (String token : List.of(app.adminToken(), fresh)) {
          Resp r = app.get("/api/v1/hosts?limit=1", token);
          if (r.status() != 503 || !"5".equals(r.header("Retry-After").orElse(null))
              || r.body() == null || !"database".equals(r.body().path("field").asText())
              || r.body().path("code").asInt() != 503) {
            problems.add("api: " + r + " " + r.headers());
          }
        }
        Thread.sleep(50);
      }
      proxy.restore();
      assertThat(problems).as("answers during the outage").isEmpty();
      assertThat(rounds).isGreaterThan(20);

      // Back without a restart.
      long until = System.nanoTime() + 30_000_000_000L;
      Resp back = app.get("/api/v1/hosts?limit=1", fresh);
      while (back.status() != 200 && System.nanoTime() < until) {
        Thread.sleep(200);
        back = app.get("/api/v1/hosts?limit=1", fresh);
      }
      assertThat(back.status()).as(back.toString()).isEqualTo(200);
      assertThat(script(app, installing)).contains("rackboot.mode=install");

      // Every boot.script of the unknown machine (one before the outage: none; one per round
      // during it) reaches the database once it is back.
      long expected = unknownAsked;
      long stored = 0;
      while (System.nanoTime() < until) {
        stored = direct.withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM events WHERE type = 'boot.script' AND subject = :mac")
            .bind("mac", unknown).mapTo(Long.class).one());
        if (stored >= expected) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(stored).as("boot events of the outage written afterwards").isEqualTo(expected);
      JsonNode metrics = app.json().readTree(java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(URI.create(app.adminUri() + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      assertThat(metrics.at("/gauges/boot.events.dropped/value").asLong()).isZero();

      // Hundreds of failed requests, a handful of lines: no stack trace per request.
      log.detach();
      assertThat(log.lines()).as(String.join("\n", log.text())).isLessThanOrEqualTo(20);
    }
  }

  private static String script(RunningApp app, String mac) {
    Resp r = app.call("GET", "/boot/ipxe?mac=" + mac, null, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.raw();
  }

  private static void awaitListening(int port) throws Exception {
    long until = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (java.io.IOException e) {
        if (System.nanoTime() > until) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Counts the log lines (stack trace lines included) of WARN and above while attached. */
  private static final class LineCounter extends AppenderBase<ILoggingEvent> {
    private final List<String> text = java.util.Collections.synchronizedList(new ArrayList<>());
    private int lines;

    static LineCounter attach() {
      LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
      LineCounter c = new LineCounter();
      c.setContext(ctx);
      c.start();
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(c);
      return c;
    }

    void detach() {
      LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
    }

    @Override
    protected synchronized void append(ILoggingEvent e) {
      if (!e.getLevel().isGreaterOrEqual(Level.WARN)) {
        return;
      }
      text.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage());
      lines += e.getFormattedMessage().split("\n", -1).length;
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        lines += 1 + t.getStackTraceElementProxyArray().length;
      }
    }

    synchronized int lines() {
      return lines;
    }

    List<String> text() {
      return text;
    }
  }
}
