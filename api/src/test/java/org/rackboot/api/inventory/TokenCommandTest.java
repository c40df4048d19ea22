package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.api.RackbootApplication;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.api.auth.TokenHash;

/** {@code token create|list|revoke}: the token is printed once and only its hash is stored. */
class TokenCommandTest {

  @TempDir Path dir;

  private Path config() throws Exception {
    Path yml = dir.resolve("rackboot.yml");
    Files.writeString(yml, "database:\n"
        + "  driverClass: org.h2.Driver\n"
        + "  url: jdbc:h2:" + dir.resolve("db") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE\n"
        + "  user: sa\n"
        + "  password: \"\"\n");
    return yml;
  }

  /** Runs the CLI in-process; returns stdout, or fails with stderr. */
  private String run(String... args) throws Exception {
    RackbootApplication app = new RackbootApplication();
    Bootstrap<RackbootConfiguration> bootstrap = new Bootstrap<>(app);
    app.initialize(bootstrap);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    Optional<Throwable> failure;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      failure = new Cli(new JarLocation(RackbootApplication.class), bootstrap, out, err)
          .run(args);
    } finally {
      System.setOut(saved);
    }
    assertThat(failure).as(err.toString(StandardCharsets.UTF_8)).isEmpty();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void createPrintsTheTokenOnceListShowsItRevokeEndsIt() throws Exception {
    String yml = config().toString();
    String created = run("token", "create", "--name", "ci-bot", "--role", "automation",
        "--environments", "dev, staging", yml);
    List<String> lines = created.lines().toList();
    String token = lines.get(lines.size() - 1);
    assertThat(token).startsWith("rb_").hasSizeGreaterThan(40);
    assertThat(created).contains("role=automation").contains("environments=dev,staging");

    Jdbi jdbi = Jdbi.create("jdbc:h2:" + dir.resolve("db") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE",
        "sa", "");
    String stored = jdbi.withHandle(h -> h.createQuery(
        "SELECT token_hash FROM api_tokens WHERE name = 'ci-bot'").mapTo(String.class).one());
    assertThat(stored).isEqualTo(TokenHash.sha256(token)).doesNotContain(token);

    String list = run("token", "list", yml);
    assertThat(list).contains("ci-bot").doesNotContain(token).doesNotContain("revoked=");

    assertThat(run("token", "revoke", "--name", "ci-bot", yml)).contains("revoked ci-bot");
    assertThat(run("token", "list", yml)).contains("revoked=");
  }

  @Test
  void refusesAnUnknownRole() throws Exception {
    String yml = config().toString();
    RackbootApplication app = new RackbootApplication();
    Bootstrap<RackbootConfiguration> bootstrap = new Bootstrap<>(app);
    app.initialize(bootstrap);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Optional<Throwable> failure = new Cli(new JarLocation(RackbootApplication.class), bootstrap,
        out, err).run("token", "create", "--name", "x", "--role", "root", yml);
    assertThat(failure).isPresent();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("root");
  }

  @Test
  void refusesAScopedAdminAndTakesAnExpiry() throws Exception {
    String yml = config().toString();
    RackbootApplication app = new RackbootApplication();
    Bootstrap<RackbootConfiguration> bootstrap = new Bootstrap<>(app);
    app.initialize(bootstrap);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Optional<Throwable> failure = new Cli(new JarLocation(RackbootApplication.class), bootstrap,
        out, err).run("token", "create", "--name", "boss", "--role", "admin",
            "--environments", "dev", yml);
    assertThat(failure).isPresent();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("environments")
        .contains("admin");

    String created = run("token", "create", "--name", "temp", "--role", "viewer",
        "--expires-at", "2999-01-01T00:00:00Z", yml);
    assertThat(created).contains("expires=2999-01-01T00:00:00Z");
    assertThat(run("token", "list", yml)).doesNotContain("boss")
        .contains("expires=2999-01-01T00:00:00Z");
  }
}
