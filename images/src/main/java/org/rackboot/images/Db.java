package org.rackboot.images;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Handle;

/** Small helpers shared by the catalog classes. */
final class Db {

  private Db() {}

  /** DATETIME(6) holds UTC wall time; JDBC time zone conversions are avoided entirely. */
  static LocalDateTime utc(Instant i) {
    return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  static Instant instant(LocalDateTime t) {
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }

  /**
   * Serializes publishers, pinning and garbage collection across processes sharing the database:
   * the row lock is held until the surrounding transaction ends.
   */
  static void lockStore(Handle h) {
    h.createQuery("SELECT id FROM image_store_lock WHERE id = 1 FOR UPDATE").mapTo(Integer.class).one();
  }

  /** True when the cause chain holds a unique/primary key violation (SQLSTATE 23xxx). */
  static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static String json(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
