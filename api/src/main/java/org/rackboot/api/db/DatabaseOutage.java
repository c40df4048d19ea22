package org.rackboot.api.db;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.ConnectionException;

/**
 * Tells a database that is away (down, restarting, unreachable, its connections cut) from a
 * query that is wrong. The first is worth waiting out: boot endpoints answer iPXE a retry script,
 * the API answers 503 with Retry-After, boot events are held and written later. The second is a
 * bug and stays a 500 with its stack trace.
 */
public final class DatabaseOutage {

  /** Seconds a client is told to wait (Retry-After) before it asks again. */
  public static final int RETRY_AFTER_SECONDS = 5;

  /**
   * H2's codes for a connection that broke (90067), a database closed or closing under the
   * caller (90098, 90121) and a server that cannot be reached (90028 is its I/O error). MariaDB's
   * codes never reach 90000, so these cannot be confused with one of its refusals.
   */
  private static final java.util.Set<Integer> H2_GONE = java.util.Set.of(90067, 90098, 90121, 90028);

  private DatabaseOutage() {}

  /** True when {@code e}, or anything it wraps, says the database cannot be reached now. */
  public static boolean is(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // Jdbi could not get a connection from the pool at all.
      if (t instanceof ConnectionException) {
        return true;
      }
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException s) {
        // SQLState class 08 is "connection exception" (SQL:2016, ISO/IEC 9075-2 section 24.1).
        String state = s.getSQLState();
        if (state != null && state.startsWith("08")) {
          return true;
        }
        if (H2_GONE.contains(s.getErrorCode())) {
          return true;
        }
        // The pool waited its maxWaitForConnection for a free connection: every one is stuck
        // on the database, so asking again later is the right answer too.
        if (t.getClass().getName().equals("org.apache.tomcat.jdbc.pool.PoolExhaustedException")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The innermost cause as one short line, for a log line that is not a stack trace. */
  public static String reason(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
    if (m.length() > 200) {
      m = m.substring(0, 200) + "...";
    }
    return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
  }
}
