package org.rackboot.testdb;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the test MariaDB is: system properties {@code rackboot.mariadb.url}, {@code .user},
 * {@code .password} (the parent POM passes them to every test JVM), and whether it must be there.
 */
public final class MariaDbSettings {

  private MariaDbSettings() {}

  public static String url() {
    return System.getProperty("rackboot.mariadb.url", "jdbc:mariadb://127.0.0.1:3306/rackboot_test");
  }

  public static String user() {
    return System.getProperty("rackboot.mariadb.user", "rackboot");
  }

  public static String password() {
    return System.getProperty("rackboot.mariadb.password", "rackboot");
  }

  /** True when a missing server must fail the tests instead of skipping their MariaDB leg. */
  public static boolean required() {
    return Boolean.parseBoolean(System.getProperty("rackboot.mariadb.required", "false"));
  }

  /** The database named in {@link #url()}: the base that per-test databases are named after. */
  static String databaseName() {
    String path = URI.create(url().substring("jdbc:".length())).getPath();
    return path.startsWith("/") ? path.substring(1) : path;
  }

  /** {@link #url()} with its database replaced by {@code schema}, query string kept. */
  static String urlFor(String schema) {
    String u = url();
    int q = u.indexOf('?');
    String query = q < 0 ? "" : u.substring(q);
    String head = q < 0 ? u : u.substring(0, q);
    return head.substring(0, head.lastIndexOf('/') + 1) + schema + query;
  }

  /** Null when the server answers, else why not. */
  static String unreachableReason() {
    try (Connection c = DriverManager.getConnection(url(), user(), password())) {
      return c.isValid(2) ? null : "connection not valid";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }
}
