package org.rackboot.api.images;

import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.service.Tokens;
import org.rackboot.api.db.DbConventions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import org.rackboot.api.RackbootApplication;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.testdb.TestDatabase;

/** A rackboot.yml for tests: the test database, a temporary store, UDP services off, ports 0. */
final class TestServer {

  private TestServer() {}

  static Path config(Path dir, TestDatabase db, String extraImages) throws IOException {
    return config(dir, db.driverClass(), db.url(), db.user(), db.password(), extraImages, 0, 0);
  }

  static Path config(Path dir, String driver, String url, String user, String password, String extraImages,
      int appPort, int adminPort) throws IOException {
    Path store = dir.resolve("store");
    String yaml = """
        database:
          driverClass: %s
          url: "%s"
          user: "%s"
          password: "%s"
          validationQuery: "SELECT 1"
        migrateOnStart: true
        images:
          storeDir: %s
          minFreeSpace: 1MiB
          gcInterval: 0s
        %s
        tftp:
          enabled: false
        dhcpProxy:
          enabled: false
        server:
          applicationConnectors:
            - type: http
              bindHost: 127.0.0.1
              port: %d
          adminConnectors:
            - type: http
              bindHost: 127.0.0.1
              port: %d
        logging:
          level: WARN
        """.formatted(driver, url, user, password, store, extraImages, appPort, adminPort);
    Path f = dir.resolve("rackboot-test.yml");
    Files.writeString(f, yaml);
    return f;
  }

  /** Runs a CLI command in-process; returns exit status (0 ok), stdout and stderr. */
  record CliResult(boolean ok, String out, String err) {}

  static CliResult cli(String... args) throws Exception {
    RackbootApplication app = new RackbootApplication();
    Bootstrap<RackbootConfiguration> bootstrap = new Bootstrap<>(app);
    app.initialize(bootstrap);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    Cli cli = new Cli(new JarLocation(TestServer.class), bootstrap, o, e);
    // Commands print their result on System.out, as DbCommand does.
    PrintStream savedOut = System.out;
    Optional<Throwable> failure;
    System.setOut(o);
    try {
      failure = cli.run(args);
    } finally {
      System.setOut(savedOut);
    }
    return new CliResult(failure.isEmpty(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The admin token {@link #curl} sends to /api/v1/ URLs; set by the test that made it. */
  static volatile String bearer;

  /** A new admin API token in a migrated database (tokens are stored as hashes only). */
  static String adminToken(String url, String user, String password) {
    Jdbi jdbi = DbConventions.configure(Jdbi.create(url, user, password));
    return new Tokens(jdbi, io.dropwizard.jackson.Jackson.newObjectMapper())
        .create("test", "images-admin-" + System.nanoTime(), "admin", List.of())
        .token();
  }

  /** Runs curl against loopback; returns the raw headers+body printed by -i or -D. */
  static Curl curl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "-D", "-", "-o", "/dev/null",
        "-w", "\n%{http_code} %{size_download}\n"));
    if (bearer != null && List.of(args).stream().anyMatch(a -> a.contains("/api/v1/"))) {
      cmd.addAll(List.of("-H", "Authorization: Bearer " + bearer));
    }
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    String[] lines = all.strip().split("\r?\n");
    String[] last = lines[lines.length - 1].split(" ");
    return new Curl(Integer.parseInt(last[0]), Long.parseLong(last[1]), all);
  }

  record Curl(int status, long downloaded, String headers) {
    String header(String name) {
      for (String l : headers.split("\r?\n")) {
        int c = l.indexOf(':');
        if (c > 0 && l.substring(0, c).trim().equalsIgnoreCase(name)) {
          return l.substring(c + 1).trim();
        }
      }
      return null;
    }
  }
}
