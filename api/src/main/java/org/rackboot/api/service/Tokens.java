package org.rackboot.api.service;

import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.ApiToken;
import org.rackboot.api.core.Checks;
import org.rackboot.api.core.Texts;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.core.Roles;
import org.rackboot.api.auth.TokenHash;
import org.rackboot.api.db.DbConventions;
import org.rackboot.api.db.EventDao;
import org.rackboot.api.db.TokenDao;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Creating, listing and revoking API tokens; shared by the admin API and the CLI. */
public final class Tokens {

  /** A new token: the secret, shown once, and what is stored about it. */
  @Schema(name = "CreatedToken")
  public record Created(String token, ApiToken info) {}

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final Runnable onRevoke;

  public Tokens(Jdbi jdbi, ObjectMapper json) {
    this(jdbi, json, () -> { });
  }

  /** {@code onRevoke} runs after each revocation (the API drops its token cache there). */
  public Tokens(Jdbi jdbi, ObjectMapper json, Runnable onRevoke) {
    this.jdbi = jdbi;
    this.json = json;
    this.onRevoke = onRevoke;
  }

  /** The scope is stored comma-separated in a 2000-character column. */
  static final int MAX_ENVIRONMENTS_LENGTH = 2000;

  public Created create(String actor, String name, String role, List<String> environments) {
    return create(actor, name, role, environments, null);
  }

  /**
   * A new token. {@code expiresAt} (ISO-8601 with a zone, in the future; null: never) is when it
   * stops authenticating. An admin token takes no environments: admins reach everything, and a
   * scope it did not honour would only mislead whoever reads the token list.
   */
  public Created create(String actor, String name, String role, List<String> environments,
      String expiresAt) {
    String n = Checks.text("name", Checks.required("name", name), 100);
    if (n == null) {
      throw ApiException.invalid("name", "must not be empty");
    }
    if (role == null || !Roles.ALL.contains(role)) {
      throw ApiException.invalid("role", "must be one of " + String.join(", ", Roles.ALL)
          + ", got " + Texts.quoteForMessage(role));
    }
    List<String> envs = new ArrayList<>();
    if (environments != null) {
      for (int i = 0; i < environments.size(); i++) {
        String e = Checks.name("environments[" + i + "]", environments.get(i));
        if (!envs.contains(e)) {
          envs.add(e);
        }
      }
    }
    if (Roles.ADMIN.equals(role) && !envs.isEmpty()) {
      throw ApiException.invalid("environments", "an admin token reaches every environment and"
          + " takes no scope; for a token limited to " + String.join(", ", envs)
          + " use the role operator, automation or viewer");
    }
    Instant created = DbConventions.now();
    Instant expires = Checks.future("expiresAt", expiresAt, created);
    if (String.join(",", envs).length() > MAX_ENVIRONMENTS_LENGTH) {
      throw ApiException.invalid("environments", "at most " + MAX_ENVIRONMENTS_LENGTH
          + " characters of names in all; a token for that many environments wants no scope");
    }
    String token = TokenHash.newToken();
    ApiToken info = new ApiToken(UUID.randomUUID().toString(), n, role, List.copyOf(envs),
        created, actor, null, expires, null);
    jdbi.useTransaction(h -> {
      TokenDao dao = new TokenDao(h);
      if (dao.byName(n).isPresent()) {
        throw ApiException.conflict("name", "a token named " + Texts.quoteForMessage(n)
            + " already exists");
      }
      dao.insert(info, TokenHash.sha256(token));
      new EventDao(h, json).insert(info.createdAt(), actor, "token.created", null,
          "token:" + n, null, info, null);
    });
    return new Created(token, info);
  }

  public List<ApiToken> list() {
    return jdbi.withHandle(h -> new TokenDao(h).list());
  }

  /** Revokes by id or by name; revoking a revoked token is a no-op. */
  public ApiToken revoke(String actor, String idOrName) {
    try {
      return revokeInDb(actor, idOrName);
    } finally {
      onRevoke.run();
    }
  }

  private ApiToken revokeInDb(String actor, String idOrName) {
    return jdbi.inTransaction(h -> {
      TokenDao dao = new TokenDao(h);
      ApiToken t = dao.byId(idOrName).or(() -> dao.byName(idOrName)).orElseThrow(
          () -> ApiException.notFound("id", "no token " + Texts.quoteForMessage(idOrName)));
      if (dao.revoke(t.id(), DbConventions.now())) {
        new EventDao(h, json).insert(DbConventions.now(), actor, "token.revoked", null,
            "token:" + t.name(), t, null, null);
      }
      return dao.byId(t.id()).orElseThrow();
    });
  }
}
