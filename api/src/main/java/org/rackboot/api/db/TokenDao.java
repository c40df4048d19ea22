package org.rackboot.api.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.core.ApiToken;

/** API tokens, looked up by the sha256 of the presented token. */
public final class TokenDao {

  private final Handle h;

  public TokenDao(Handle h) {
    this.h = h;
  }

  /**
   * The unrevoked token whose hash this is, expired or not: the caller tells an expired token
   * from an unknown one, so that its holder learns why it is refused.
   */
  public static Optional<ApiToken> live(Jdbi jdbi, String hash) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT * FROM api_tokens WHERE token_hash = :h AND revoked_at IS NULL")
        .bind("h", hash).map(TokenDao::token).findOne());
  }

  public void insert(ApiToken t, String hash) {
    h.createUpdate("INSERT INTO api_tokens (id, name, role, environments, token_hash, created_at,"
            + " created_by, expires_at) VALUES (:id, :name, :role, :envs, :hash, :at, :by,"
            + " :expires)")
        .bind("id", t.id()).bind("name", t.name()).bind("role", t.role())
        .bind("envs", String.join(",", t.environments())).bind("hash", hash)
        .bind("at", DbConventions.ts(t.createdAt())).bind("by", t.createdBy())
        .bind("expires", t.expiresAt() == null ? null : DbConventions.ts(t.expiresAt()))
        .execute();
  }

  public List<ApiToken> list() {
    return h.createQuery("SELECT * FROM api_tokens ORDER BY created_at, name")
        .map(TokenDao::token).list();
  }

  public Optional<ApiToken> byId(String id) {
    return h.createQuery("SELECT * FROM api_tokens WHERE id = :id").bind("id", id)
        .map(TokenDao::token).findOne();
  }

  public Optional<ApiToken> byName(String name) {
    return h.createQuery("SELECT * FROM api_tokens WHERE name = :n").bind("n", name)
        .map(TokenDao::token).findOne();
  }

  public boolean revoke(String id, Instant at) {
    return h.createUpdate("UPDATE api_tokens SET revoked_at = :at WHERE id = :id"
            + " AND revoked_at IS NULL")
        .bind("id", id).bind("at", DbConventions.ts(at)).execute() == 1;
  }

  /**
   * Records a use of the token at {@code now} unless one at or after {@code notBefore} is
   * already recorded: with several nodes sharing the database, only the first of them writes in
   * each minute. True when this call wrote.
   */
  public static boolean touch(Jdbi jdbi, String id, Instant now, Instant notBefore) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE api_tokens SET last_used_at = :now"
            + " WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :nb)")
        .bind("id", id).bind("now", DbConventions.ts(now))
        .bind("nb", DbConventions.ts(notBefore)).execute() == 1);
  }

  static ApiToken token(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws SQLException {
    String envs = rs.getString("environments");
    List<String> list = envs == null || envs.isEmpty() ? List.of() : Arrays.asList(envs.split(","));
    return new ApiToken(rs.getString("id"), rs.getString("name"), rs.getString("role"), list,
        DbConventions.instant(rs, "created_at"), rs.getString("created_by"),
        DbConventions.instant(rs, "revoked_at"), DbConventions.instant(rs, "expires_at"),
        DbConventions.instant(rs, "last_used_at"));
  }
}
