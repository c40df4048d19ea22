package org.rackboot.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.api.RackbootApplication;
import org.rackboot.api.config.RackbootConfiguration;

/** Start-up failures an operator can fix are one line naming the port or the key. */
class StartupMessagesTest {

  @TempDir Path dir;

  private String config(String extra) throws Exception {
    Path yml = dir.resolve("rackboot.yml");
    Files.writeString(yml, "database:\n"
        + "  driverClass: org.h2.Driver\n"
        + "  url: jdbc:h2:" + dir.resolve("db") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE\n"
        + "  user: sa\n"
        + "  password: \"\"\n"
        + "images:\n  storeDir: " + dir.resolve("images") + "\n  minFreeSpace: 1MiB\n"
        + "tftp:\n  enabled: false\n  root: " + dir.resolve("tftp") + "\n"
        + "dhcpProxy:\n  enabled: false\n"
        + "logging:\n  level: WARN\n"
        + extra);
    return yml.toString();
  }

  /** Runs the server command; it must fail; returns its stderr. */
  private static String failing(String... args) {
    RackbootApplication app = new RackbootApplication();
    Bootstrap<RackbootConfiguration> bootstrap = new Bootstrap<>(app);
    app.initialize(bootstrap);
    bootstrap.addCommand(new RackbootServerCommand(app));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Optional<Throwable> failure = new Cli(new JarLocation(RackbootApplication.class), bootstrap,
        out, err).run(args);
    assertThat(failure).as(err.toString(StandardCharsets.UTF_8)).isPresent();
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aTakenHttpPortIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      String err = failing("server", config("server:\n  applicationConnectors:\n"
          + "    - type: http\n      port: " + port + "\n      bindHost: 127.0.0.1\n"
          + "  adminConnectors:\n    - type: http\n      port: 0\n      bindHost: 127.0.0.1\n"));
      assertThat(err).contains("127.0.0.1:" + port).contains("already in use")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void anUnknownKeyIsNamedWithTheKnownOnes() throws Exception {
    String err = failing("server", config("boot:\n  retrySecnds: 3\n"));
    assertThat(err).contains("unknown configuration key boot.retrySecnds")
        .contains("retrySeconds").doesNotContain("Did you mean");
    assertThat(err.indexOf("retrySeconds")).isLessThan(err.indexOf("agentDir"));
  }

  @Test
  void aMalformedBmcKeyIsNamedWithoutEchoingIt() throws Exception {
    String err = failing("server", config("server:\n  applicationConnectors:\n"
        + "    - type: http\n      port: 0\n      bindHost: 127.0.0.1\n"
        + "  adminConnectors:\n    - type: http\n      port: 0\n      bindHost: 127.0.0.1\n"
        + "bmc:\n  credentialKey: c2hvcnQta2V5LXNlY3JldA==\n"));
    assertThat(err).contains("bmc.credentialKey must be 32 bytes").contains("/dev/urandom")
        .doesNotContain("c2hvcnQta2V5LXNlY3JldA==").doesNotContain("\tat ");
  }
}
