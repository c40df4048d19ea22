package org.rackboot.testdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/** One fresh, migrated database for one test: embedded H2 in MariaDB mode, or a MariaDB schema. */
public final class TestDatabase implements AutoCloseable {

  /** Which engine a test runs on. */
  public enum Kind {
    H2,
    MARIADB
  }

  private final Kind kind;
  private final String url;
  private final String user;
  private final String password;
  private final String schemaToDrop;
  private final Jdbi jdbi;

  private TestDatabase(Kind kind, String url, String user, String password, String schemaToDrop) {
    this.kind = kind;
    this.url = url;
    this.user = user;
    this.password = password;
    this.schemaToDrop = schemaToDrop;
    this.jdbi = Jdbi.create(url, user, password);
  }

  /** A new in-memory H2 database that lives until {@link #close()}. */
  public static TestDatabase freshH2() {
    String name = "t" + UUID.randomUUID().toString().replace("-", "");
    // DB_CLOSE_DELAY=-1 keeps the in-memory database alive between connections.
    String url =
        "jdbc:h2:mem:" + name + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    return new TestDatabase(Kind.H2, url, "sa", "", null);
  }

  /**
   * A new MariaDB database named {@code <base>_<random>} next to the configured base database,
   * dropped again on {@link #close()}. The test user needs CREATE and DROP on {@code base%}.
   */
  public static TestDatabase freshMariaDb() throws SQLException {
    String baseUrl = MariaDbSettings.url();
    String base = MariaDbSettings.databaseName();
    String schema =
        (base + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    try (Connection c =
            DriverManager.getConnection(baseUrl, MariaDbSettings.user(), MariaDbSettings.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE `" + schema + "` CHARACTER SET utf8mb4");
    }
    String url = MariaDbSettings.urlFor(schema);
    return new TestDatabase(
        Kind.MARIADB, url, MariaDbSettings.user(), MariaDbSettings.password(), schema);
  }

  /** Applies every migration found under {@code classpath:db/migration}. */
  public TestDatabase migrate() {
    Flyway.configure()
        .dataSource(url, user, password)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    return this;
  }

  public Kind kind() {
    return kind;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The JDBC driver class, for configurations that name it. */
  public String driverClass() {
    return kind == Kind.H2 ? "org.h2.Driver" : "org.mariadb.jdbc.Driver";
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() throws SQLException {
    if (kind == Kind.H2) {
      try (Connection c = DriverManager.getConnection(url, user, password);
          Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      }
    } else {
      try (Connection c =
              DriverManager.getConnection(
                  MariaDbSettings.url(), MariaDbSettings.user(), MariaDbSettings.password());
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS `" + schemaToDrop + "`");
      }
    }
  }

  @Override
  public String toString() {
    return kind == Kind.H2 ? "H2" : "MariaDB";
  }
}
