package org.rackboot.api.db;

import io.dropwizard.db.DataSourceFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.rackboot.api.core.StartupFailure;

/** Schema migrations (Flyway, {@code classpath:db/migration}), identical on H2 and MariaDB. */
public final class Migrations {

  private final DataSourceFactory database;

  public Migrations(DataSourceFactory database) {
    this.database = database;
  }

  /** Fails with a plain message naming the JDBC URL (never the password) if nobody answers. */
  public void checkReachable() {
    Properties props = new Properties();
    if (database.getUser() != null) {
      props.setProperty("user", database.getUser());
    }
    if (database.getPassword() != null) {
      props.setProperty("password", database.getPassword());
    }
    try {
      loadDriver();
      try (Connection c = DriverManager.getConnection(database.getUrl(), props)) {
        c.isValid(5);
      }
    } catch (SQLException | ClassNotFoundException e) {
      throw new StartupFailure(
          "cannot connect to the database at "
              + redactedUrl(database.getUrl())
              + ": "
              + rootMessage(e)
              + "; check that it runs and that database.url, database.user and"
              + " database.password are right",
          e);
    }
  }

  private void loadDriver() throws ClassNotFoundException {
    if (database.getDriverClass() != null) {
      Class.forName(database.getDriverClass());
    }
  }

  /**
   * For commands that run without the server: the database, reachable and (unless {@code
   * migrateOnStart} is off) migrated, as a Jdbi. An empty password in the file arrives as null.
   */
  public static Jdbi openForCommand(DataSourceFactory database, boolean migrate) {
    Migrations migrations = new Migrations(database);
    migrations.checkReachable();
    if (migrate) {
      migrations.migrate();
    }
    return Jdbi.create(
        database.getUrl(),
        database.getUser(),
        database.getPassword() == null ? "" : database.getPassword());
  }

  /** Applies pending migrations; returns how many ran. */
  public int migrate() {
    return flyway().migrate().migrationsExecuted;
  }

  /** One line per migration: version, description, state. */
  public String status() {
    MigrationInfoService info = flyway().info();
    StringBuilder out = new StringBuilder();
    MigrationInfo current = info.current();
    out.append("schema version: ")
        .append(current == null ? "none (empty database)" : current.getVersion())
        .append('\n');
    for (MigrationInfo m : info.all()) {
      out.append(String.format("%-8s %-40s %s%n", m.getVersion(), m.getDescription(), m.getState()));
    }
    out.append(info.pending().length).append(" pending\n");
    return out.toString();
  }

  private Flyway flyway() {
    return Flyway.configure()
        .dataSource(database.getUrl(), database.getUser(), database.getPassword())
        .locations("classpath:db/migration")
        // The api's migrations are numbered 1-199 and the image store's 200-299, so a database
        // already at V200 must still take a newer api migration (V101, V102, ...) on upgrade:
        // applied out of order instead of refused as "ignored".
        .outOfOrder(true)
        .load();
  }

  /** The URL with any password-like query parameter blanked. */
  public static String redactedUrl(String url) {
    return url == null
        ? "(no url)"
        : url.replaceAll("(?i)((?:password|pwd)=)[^&;]*", "$1***");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
