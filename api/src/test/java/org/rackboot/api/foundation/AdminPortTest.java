package org.rackboot.api.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;
import org.slf4j.LoggerFactory;

/**
 * The admin port listens on loopback by the committed configuration, keeps health checks and
 * metrics open, and refuses tasks and thread dumps without an admin token.
 */
class AdminPortTest {

  @ApiTest
  void adminPortListensOnLoopbackOnly(RunningApp app) {
    List<String> hosts = new ArrayList<>();
    for (Connector c : app.server().getConnectors()) {
      if (c instanceof ServerConnector s && s.getLocalPort() == adminPort(app)) {
        hosts.add(s.getHost());
      }
    }
    assertThat(hosts).containsExactly("127.0.0.1");
  }

  @ApiTest
  void healthAndMetricsStayOpen(RunningApp app) {
    for (String path : List.of("/healthcheck", "/metrics", "/prometheus", "/ping")) {
      Resp r = app.admin("GET", path, null);
      assertThat(r.status()).as(path + " " + r.status()).isIn(200, 500);
    }
  }

  @ApiTest
  void tasksAndThreadDumpsNeedAnAdminToken(RunningApp app) {
    Logger jetty = (Logger) LoggerFactory.getLogger("org.eclipse.jetty");
    Level before = jetty.getLevel();
    for (String path : List.of("/tasks/log-level?logger=org.eclipse.jetty&level=DEBUG",
        "/tasks/gc", "/threads", "/pprof", "/", "/tasks/log-level/")) {
      String method = path.startsWith("/tasks") ? "POST" : "GET";
      Resp none = app.admin(method, path, null);
      assertThat(none.status()).as(path + " " + none).isEqualTo(401);
      assertThat(none.body().get("field").asText()).isEqualTo("Authorization");
      Resp viewer = app.admin(method, path, app.token("viewer"));
      assertThat(viewer.status()).as(path + " " + viewer).isEqualTo(403);
    }
    assertThat(jetty.getLevel()).isEqualTo(before);
    assertThat(app.admin("POST", "/tasks/gc", app.adminToken()).status()).isEqualTo(200);
    assertThat(app.admin("GET", "/threads", app.adminToken()).status()).isEqualTo(200);
  }

  private static int adminPort(RunningApp app) {
    return Integer.parseInt(app.adminUri().substring(app.adminUri().lastIndexOf(':') + 1));
  }
}
