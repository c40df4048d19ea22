package org.rackboot.api.http;

import org.rackboot.api.auth.Caller;
import org.rackboot.api.auth.TokenHash;
import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import java.util.HashSet;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.db.TokenDao;

/**
 * Bearer token -> Caller, by the token's sha256; revoked tokens authenticate nobody. An expired
 * token still yields its Caller (with its expiry): {@link TokenUse}, which runs after the cache,
 * refuses it and says why.
 */
public final class TokenAuthenticator implements Authenticator<String, Caller> {

  private final Jdbi jdbi;

  public TokenAuthenticator(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Optional<Caller> authenticate(String token) throws AuthenticationException {
    // A bounded length keeps a hostile header from costing more than one hash.
    if (token == null || token.isEmpty() || token.length() > 256) {
      return Optional.empty();
    }
    try {
      return TokenDao.live(jdbi, TokenHash.sha256(token))
          .map(t -> Caller.of(t.id(), t.name(), t.role(), new HashSet<>(t.environments()),
              t.expiresAt()));
    } catch (RuntimeException e) {
      throw new AuthenticationException("token store unavailable", e);
    }
  }
}
