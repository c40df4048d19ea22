package org.rackboot.api.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as an operator runs it: start, health, failures told plainly, SIGTERM. */
class ServerLifecycleIT {

  @TempDir Path work;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void startsHealthyOnEmbeddedDefaultsThenStopsOnSigtermKeepingData() throws Exception {
    List<String> props = TestConfig.loopbackOverrides(work);
    // AUTO_SERVER lets this test write through a second connection while the server runs.
    props.add(
        "-Ddw.database.url=jdbc:h2:" + work.resolve("db/rackboot")
            + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE");
    String h2Url =
        "jdbc:h2:" + work.resolve("db/rackboot") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
    String health = "http://127.0.0.1:" + TestConfig.adminPort(props) + "/healthcheck";

    try (ServerProcess server = ServerProcess.start(work, props, "server", TestConfig.configFile())) {
      String body = awaitHealthy(server, health);
      assertThat(body).contains("\"database\"", "\"tftp\"", "\"dhcpProxy\"", "\"imageStore\"");

      // Tokens travel in query strings (templates, discovery): the request log leaves them out.
      String app = props.stream().filter(p -> p.startsWith("-Ddw.server.applicationConnectors[0].port="))
          .findFirst().orElseThrow().split("=")[1];
      HttpResponse<String> probe = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + app + "/boot/templates/00000000-0000-4000-8000-000000000000/user-data"
              + "?token=SECRET-IN-QUERY")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(probe.statusCode()).isBetween(400, 499);
      long until = System.nanoTime() + 10_000_000_000L;
      while (!server.output().contains("-000000000000/user-data") && System.nanoTime() < until) {
        Thread.sleep(100);
      }
      assertThat(server.output()).contains("\"GET /boot/templates/00000000-0000-4000-8000-000000000000/user-data HTTP/1.1\"")
          .doesNotContain("SECRET-IN-QUERY");

      try (Connection c = DriverManager.getConnection(h2Url, "sa", "");
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "INSERT INTO events (occurred_at, actor, type, subject)"
                + " VALUES (CURRENT_TIMESTAMP, 'test', 'test.marker', 'kept across restart')");
      }

      long t0 = System.nanoTime();
      server.terminate();
      int exit = server.waitFor(5);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(exit).as("server still running %d ms after SIGTERM:%n%s", ms, server.output())
          .isNotEqualTo(-1);
    }

    // A restart finds the data written before the stop.
    try (ServerProcess server = ServerProcess.start(work, props, "server", TestConfig.configFile())) {
      awaitHealthy(server, health);
      server.terminate();
      assertThat(server.waitFor(5)).isNotEqualTo(-1);
    }
    try (Connection c = DriverManager.getConnection(h2Url, "sa", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM events WHERE type = 'test.marker'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void aTakenUdpPortStopsStartupWithOnePlainLine() throws Exception {
    try (DatagramSocket squatter = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      List<String> props = new ArrayList<>(TestConfig.loopbackOverrides(work));
      props.add("-Ddw.tftp.port=" + squatter.getLocalPort());
      try (ServerProcess server =
          ServerProcess.start(work, props, "server", TestConfig.configFile())) {
        int exit = server.waitFor(60);
        String out = server.output();
        assertThat(exit).as(out).isNotIn(0, -1);
        assertThat(out)
            .contains(
                "rackboot: cannot bind TFTP to UDP 127.0.0.1:" + squatter.getLocalPort() + ": ")
            .contains("change tftp.port in the config")
            // The headline is that line, not a stack trace.
            .doesNotContain("\tat org.rackboot");
      }
    }
  }

  @Test
  void anUnknownConfigKeyIsNamed() throws Exception {
    Path cfg = work.resolve("bad.yml");
    Files.writeString(cfg, Files.readString(Path.of(TestConfig.configFile())) + "\nfrobnicate: 3\n");
    assertStartupFails(cfg, List.of(), "frobnicate");
  }

  @Test
  void aWrongTypeIsNamed() throws Exception {
    assertStartupFails(
        Path.of(TestConfig.configFile()), List.of("-Ddw.tftp.port=sixty-nine"), "tftp.port");
  }

  @Test
  void aMissingValueIsNamed() throws Exception {
    assertStartupFails(Path.of(TestConfig.configFile()), List.of("-Ddw.tftp.root="), "tftp.root");
  }

  @Test
  void aDatabaseThatIsDownNamesTheUrlButNotThePassword() throws Exception {
    int closed = TestConfig.freeTcpPort();
    String url = "jdbc:mariadb://127.0.0.1:" + closed + "/rackboot";
    List<String> props = new ArrayList<>(TestConfig.loopbackOverrides(work));
    props.add("-Ddw.database.driverClass=org.mariadb.jdbc.Driver");
    props.add("-Ddw.database.url=" + url);
    props.add("-Ddw.database.user=rackboot");
    props.add("-Ddw.database.password=Sup3rSecret");
    try (ServerProcess server = ServerProcess.start(work, props, "server", TestConfig.configFile())) {
      int exit = server.waitFor(60);
      String out = server.output();
      assertThat(exit).as(out).isNotIn(0, -1);
      assertThat(out)
          .contains("rackboot: cannot connect to the database at " + url)
          .doesNotContain("Sup3rSecret");
    }
  }

  @Test
  void dbStatusAndMigrateCommands() throws Exception {
    List<String> props = TestConfig.loopbackOverrides(work);
    try (ServerProcess status =
        ServerProcess.start(work, props, "db", "status", TestConfig.configFile())) {
      assertThat(status.waitFor(60)).as(status.output()).isZero();
      assertThat(status.output()).contains("schema version: none").contains("PENDING");
    }
    try (ServerProcess migrate =
        ServerProcess.start(work, props, "db", "migrate", TestConfig.configFile())) {
      assertThat(migrate.waitFor(60)).as(migrate.output()).isZero();
      assertThat(migrate.output()).containsPattern("applied [1-9][0-9]* migration").contains("0 pending");
    }
  }

  private void assertStartupFails(Path cfg, List<String> extra, String key) throws Exception {
    List<String> props = new ArrayList<>(TestConfig.loopbackOverrides(work));
    props.addAll(extra);
    try (ServerProcess server = ServerProcess.start(work, props, "server", cfg.toString())) {
      int exit = server.waitFor(60);
      String out = server.output();
      assertThat(exit).as(out).isNotIn(0, -1);
      assertThat(out).contains(key).doesNotContain("\tat ");
    }
  }

  private String awaitHealthy(ServerProcess server, String url) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("server exited:\n" + server.output());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200) {
          return r.body();
        }
      } catch (java.io.IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not healthy within 60 s; last answer " + last + "\n" + server.output());
  }
}
