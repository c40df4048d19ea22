package org.rackboot.api.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.dhcp.wire.MacAddress;

/** Conventions shared by the DAOs: DATETIME(6) in UTC, MACs as lower-case colon text. */
public final class DbConventions {

  private DbConventions() {}

  /** Registers the value types every DAO binds and maps. */
  public static Jdbi configure(Jdbi jdbi) {
    jdbi.registerArgument(new org.jdbi.v3.core.argument.AbstractArgumentFactory<MacAddress>(
        java.sql.Types.VARCHAR) {
      @Override
      protected org.jdbi.v3.core.argument.Argument build(
          MacAddress value, org.jdbi.v3.core.config.ConfigRegistry config) {
        return (position, statement, ctx) -> statement.setString(position, value.toString());
      }
    });
    jdbi.registerColumnMapper(MacAddress.class,
        (rs, col, ctx) -> rs.getString(col) == null ? null : MacAddress.parse(rs.getString(col)));
    return jdbi;
  }

  /**
   * DATETIME(6) holds microseconds and no zone: bind UTC wall time, so the value is the same
   * whatever the JVM's or the server's time zone.
   */
  public static LocalDateTime ts(Instant i) {
    return i == null ? null : LocalDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    LocalDateTime t = rs.getObject(column, LocalDateTime.class);
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }

  /** Now, cut to the microseconds the column keeps, so what we return equals what we stored. */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  public static Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  /** True when the failure is a unique or foreign key violation (SQLState class 23). */
  public static boolean isConstraintViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLIntegrityConstraintViolationException) {
        return true;
      }
      if (t instanceof SQLException s && s.getSQLState() != null
          && s.getSQLState().startsWith("23")) {
        return true;
      }
    }
    return false;
  }
}
