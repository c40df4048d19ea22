package org.rackboot.api.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed rackboot.yml on its default embedded H2 file database, with the server running:
 * CLI commands work beside it (the README's walkthrough makes a token that way), the database's
 * own TCP port listens on loopback only, a command on a configuration without AUTO_SERVER fails
 * with a message and a non-zero status instead of printing nothing, and SIGTERM writes the boot
 * events still buffered before the database closes.
 */
class EmbeddedDbCliIT {

  @TempDir Path work;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void tokenAndDbCommandsWorkWhileTheServerRunsOnTheDefaultDatabase() throws Exception {
    List<String> props = new ArrayList<>(TestConfig.loopbackOverrides(work));
    // The default database.url of rackboot.yml, relative to the working directory.
    props.removeIf(p -> p.startsWith("-Ddw.database.url="));
    String app = "http://127.0.0.1:" + props.stream()
        .filter(p -> p.startsWith("-Ddw.server.applicationConnectors[0].port="))
        .findFirst().orElseThrow().split("=")[1];
    String health = "http://127.0.0.1:" + TestConfig.adminPort(props) + "/healthcheck";

    try (ServerProcess server = ServerProcess.start(work, props, "server", TestConfig.configFile())) {
      awaitHealthy(server, health);

      Cli created = cli("token", "create", "--name", "beside-server", "--role", "admin",
          TestConfig.configFile());
      assertThat(created.status).as(created.toString()).isZero();
      String token = created.lastLine();
      assertThat(token).as(created.toString()).startsWith("rb_");
      HttpResponse<String> hosts = http.send(HttpRequest.newBuilder(URI.create(app + "/api/v1/hosts"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(hosts.statusCode()).as(hosts.body()).isEqualTo(200);

      Cli status = cli("db", "status", TestConfig.configFile());
      assertThat(status.status).as(status.toString()).isZero();
      assertThat(status.out).contains("0 pending");

      // H2's server for other processes: loopback only, never every interface.
      String lock = Files.readString(work.resolve("var/db/rackboot.lock.db"));
      int port = Integer.parseInt(lock.replaceAll("(?s).*server=[^\\n]*?\\\\?:(\\d+).*", "$1"));
      List<String> listening = listeners(port);
      assertThat(listening).as("listeners on H2's port " + port).isNotEmpty()
          .allSatisfy(a -> assertThat(a).as("bound address").isIn("0100007F",
              "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"));

      // Without AUTO_SERVER the file is the server's: a plain failure, no token line, status 1.
      Cli locked = cli("-Ddw.database.url=jdbc:h2:./var/db/rackboot;MODE=MariaDB;"
              + "DATABASE_TO_LOWER=TRUE", "token", "create", "--name", "x", "--role", "admin",
          TestConfig.configFile());
      assertThat(locked.status).as(locked.toString()).isNotZero();
      assertThat(locked.out).doesNotContain("rb_");
      assertThat(locked.err).contains("in use by another process").contains("AUTO_SERVER");

      // A boot event still buffered when SIGTERM comes is written before the database closes.
      String mac = "52:54:00:aa:bb:" + String.format(Locale.ROOT, "%02x", (int) (Math.random() * 256));
      HttpResponse<String> script = http.send(HttpRequest.newBuilder(
          URI.create(app + "/boot/ipxe?mac=" + mac)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(script.statusCode()).as(script.body()).isEqualTo(200);
      server.terminate();
      assertThat(server.waitFor(30)).as(server.output()).isNotEqualTo(-1);
      assertThat(server.output()).doesNotContain("dropped");
      Properties user = new Properties();
      user.setProperty("user", "sa");
      user.setProperty("password", "");
      try (Connection c = DriverManager.getConnection("jdbc:h2:" + work.resolve("var/db/rackboot")
              + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE", user);
          PreparedStatement s = c.prepareStatement(
              "SELECT COUNT(*) FROM events WHERE type = 'boot.script' AND subject = ?")) {
        s.setString(1, mac);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          assertThat(r.getLong(1)).as(server.output()).isEqualTo(1);
        }
      }
    }
  }

  /** Hex local addresses of the TCP sockets listening on {@code port} (/proc/net/tcp, tcp6). */
  private static List<String> listeners(int port) throws Exception {
    List<String> out = new ArrayList<>();
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    for (String f : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(f))) {
        String[] cols = line.trim().split("\\s+");
        if (cols.length > 3 && cols[3].equals("0A") && cols[1].endsWith(":" + hexPort)) {
          out.add(cols[1].substring(0, cols[1].indexOf(':')));
        }
      }
    }
    return out;
  }

  private record Cli(int status, String out, String err) {
    String lastLine() {
      List<String> lines = out.lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  /** The jar as a second process in the same directory; leading -D arguments go to the JVM. */
  private Cli cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    int i = 0;
    while (i < args.length && args[i].startsWith("-D")) {
      cmd.add(args[i++]);
    }
    cmd.add("-jar");
    cmd.add(Path.of(System.getProperty("rackboot.jar", "target/rackboot.jar")).toAbsolutePath()
        .toString());
    for (; i < args.length; i++) {
      cmd.add(args[i]);
    }
    Path out = Files.createTempFile(work, "cli", ".out");
    Path err = Files.createTempFile(work, "cli", ".err");
    Process p = new ProcessBuilder(cmd).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("CLI did not end within 60 s: " + cmd);
    }
    return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private String awaitHealthy(ServerProcess server, String url) throws Exception {
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("server exited early:\n" + server.output());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return r.body();
        }
      } catch (java.io.IOException e) {
        // not up yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not healthy within 90 s:\n" + server.output());
  }
}
