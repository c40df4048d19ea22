package org.rackboot.api.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.api.RackbootApplication;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.testdb.DatabaseTest;
import org.rackboot.testdb.TestDatabase;

/** The application in-process over real HTTP: health checks on H2 and MariaDB. */
class AppHealthTest {

  @TempDir Path work;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private List<ConfigOverride> overrides(String driver, String url, String user, String pw) {
    List<ConfigOverride> o = new ArrayList<>();
    o.add(ConfigOverride.config("server.applicationConnectors[0].port", "0"));
    o.add(ConfigOverride.config("server.applicationConnectors[0].bindHost", "127.0.0.1"));
    o.add(ConfigOverride.config("server.adminConnectors[0].port", "0"));
    o.add(ConfigOverride.config("server.adminConnectors[0].bindHost", "127.0.0.1"));
    o.add(ConfigOverride.config("tftp.bindAddress", "127.0.0.1"));
    o.add(ConfigOverride.config("tftp.port", "0"));
    o.add(ConfigOverride.config("tftp.root", work.resolve("tftp").toString()));
    o.add(ConfigOverride.config("dhcpProxy.interfaces", "lo"));
    try {
      // Replies to clients and relays go to these ports too: keep them all private to the test.
      o.add(ConfigOverride.config("dhcpProxy.port", String.valueOf(TestConfig.freeUdpPort())));
      o.add(ConfigOverride.config("dhcpProxy.bootServerPort", String.valueOf(TestConfig.freeUdpPort())));
      o.add(ConfigOverride.config("dhcpProxy.clientPort", String.valueOf(TestConfig.freeUdpPort())));
      o.add(ConfigOverride.config("dhcpProxy.relayPort", String.valueOf(TestConfig.freeUdpPort())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    o.add(ConfigOverride.config("images.storeDir", work.resolve("images").toString()));
    o.add(ConfigOverride.config("images.minFreeSpace", "1MiB"));
    o.add(ConfigOverride.config("database.driverClass", driver));
    o.add(ConfigOverride.config("database.url", url));
    o.add(ConfigOverride.config("database.user", user));
    o.add(ConfigOverride.config("database.password", pw));
    return o;
  }

  private DropwizardTestSupport<RackbootConfiguration> app(List<ConfigOverride> o) {
    return new DropwizardTestSupport<>(
        RackbootApplication.class, TestConfig.configFile(), o.toArray(ConfigOverride[]::new));
  }

  @DatabaseTest(migrate = false)
  void everyHealthCheckIsGreenAndTheSchemaIsMigratedOnStart(TestDatabase db) throws Exception {
    var app = app(overrides(db.driverClass(), db.url(), db.user(), db.password()));
    app.before();
    try {
      HttpResponse<String> r = health(app);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("\"database\"", "\"tftp\"", "\"dhcpProxy\"", "\"imageStore\"");
      int applied =
          db.jdbi()
              .withHandle(
                  h ->
                      h.select("SELECT COUNT(*) FROM flyway_schema_history WHERE success = TRUE")
                          .mapTo(Integer.class)
                          .one());
      assertThat(applied).isPositive();
    } finally {
      app.after();
    }
  }

  @Test
  void databaseHealthTurnsRedWhenTheDatabaseGoesAndGreenWhenItComesBack() throws Exception {
    int port = TestConfig.freeTcpPort();
    Server h2 = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
    String url =
        "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:recovery;MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    var app = app(overrides("org.h2.Driver", url, "sa", ""));
    app.before();
    try {
      assertThat(awaitHealth(app, r -> r.statusCode() == 200).body()).contains("\"database\"");

      h2.stop();
      HttpResponse<String> down = awaitHealth(app, r -> r.statusCode() == 500);
      assertThat(down.body()).containsPattern("\"database\":\\{\"healthy\":false");

      h2 = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
      HttpResponse<String> back = awaitHealth(app, r -> r.statusCode() == 200);
      assertThat(back.body()).containsPattern("\"database\":\\{\"healthy\":true");
    } finally {
      app.after();
      h2.stop();
    }
  }

  private HttpResponse<String> health(DropwizardTestSupport<?> app) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.getAdminPort() + "/healthcheck"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> awaitHealth(
      DropwizardTestSupport<?> app, Predicate<HttpResponse<String>> wanted) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = health(app);
      if (wanted.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("health never reached the wanted state; last: " + last.body());
  }
}
