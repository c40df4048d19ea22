package org.rackboot.api.db;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The bmc_credentials table (V103): one row per host with a BMC. The password column holds
 * ciphertext only; sealing and opening it is the caller's business (it holds the key).
 */
public final class BmcDao {

  /** A stored row: the password still sealed. */
  public record Row(String hostId, String driver, String address, int port, String username,
      String passwordSealed, Instant updatedAt, String updatedBy) {

    @Override
    public String toString() {
      return "BmcDao.Row[host=" + hostId + ", driver=" + driver + ", address=" + address
          + ", port=" + port + ", username=" + username + "]";
    }
  }

  private final Handle h;

  public BmcDao(Handle h) {
    this.h = h;
  }

  public Optional<Row> byHost(String hostId) {
    return h.createQuery("SELECT * FROM bmc_credentials WHERE host_id = :h")
        .bind("h", hostId)
        .map((rs, ctx) -> new Row(rs.getString("host_id"), rs.getString("driver"),
            rs.getString("address"), rs.getInt("port"), rs.getString("username"),
            rs.getString("password_sealed"), DbConventions.instant(rs, "updated_at"),
            rs.getString("updated_by")))
        .findOne();
  }

  /** Inserts or replaces the host's row. */
  public void put(Row r) {
    int n = h.createUpdate("UPDATE bmc_credentials SET driver = :d, address = :a, port = :p,"
            + " username = :u, password_sealed = :s, updated_at = :t, updated_by = :b"
            + " WHERE host_id = :h")
        .bind("h", r.hostId()).bind("d", r.driver()).bind("a", r.address()).bind("p", r.port())
        .bind("u", r.username()).bind("s", r.passwordSealed())
        .bind("t", DbConventions.ts(r.updatedAt())).bind("b", r.updatedBy())
        .execute();
    if (n == 0) {
      h.createUpdate("INSERT INTO bmc_credentials (host_id, driver, address, port, username,"
              + " password_sealed, updated_at, updated_by) VALUES (:h, :d, :a, :p, :u, :s, :t,"
              + " :b)")
          .bind("h", r.hostId()).bind("d", r.driver()).bind("a", r.address())
          .bind("p", r.port()).bind("u", r.username()).bind("s", r.passwordSealed())
          .bind("t", DbConventions.ts(r.updatedAt())).bind("b", r.updatedBy())
          .execute();
    }
  }
}
