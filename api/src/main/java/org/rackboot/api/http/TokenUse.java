package org.rackboot.api.http;

import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.db.TokenDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of bearer authentication, after the token cache: refuses an expired token (401
 * saying so; checked on every request, so a cached token stops at its expiry to the
 * millisecond) and records when each token was last used, at most once a minute per token, so
 * that every token's use shows in the token list without a write per request.
 */
public final class TokenUse implements Authenticator<String, Caller> {

  private static final Logger LOG = LoggerFactory.getLogger(TokenUse.class);

  /** How stale a token's last-used time may be. */
  static final Duration RESOLUTION = Duration.ofMinutes(1);

  private final Authenticator<String, Caller> inner;
  private final Jdbi jdbi;
  private final Clock clock;
  /** When this node last wrote each token's last use; one entry per token that was used. */
  private final Map<String, Instant> written = new ConcurrentHashMap<>();

  public TokenUse(Authenticator<String, Caller> inner, Jdbi jdbi, Clock clock) {
    this.inner = inner;
    this.jdbi = jdbi;
    this.clock = clock;
  }

  @Override
  public Optional<Caller> authenticate(String token) throws AuthenticationException {
    Optional<Caller> found = inner.authenticate(token);
    if (found.isEmpty() || found.get().tokenId() == null) {
      return found;
    }
    Caller c = found.get();
    Instant now = clock.instant();
    if (c.expired(now)) {
      throw new WebApplicationException(expired(c));
    }
    Instant last = written.get(c.tokenId());
    if (last == null || !now.isBefore(last.plus(RESOLUTION))) {
      written.put(c.tokenId(), now);
      try {
        TokenDao.touch(jdbi, c.tokenId(), now, now.minus(RESOLUTION));
      } catch (RuntimeException e) {
        // The request goes on: a missed last-used stamp is not worth refusing a caller for,
        // and the next minute's try writes it.
        written.remove(c.tokenId());
        LOG.debug("cannot record the use of token {}: {}", c.name(), e.toString());
      }
    }
    return found;
  }

  /** The 401 of an expired token: the standard challenge (RFC 6750 section 3.1) and our body. */
  static Response expired(Caller c) {
    return Response.status(401)
        .header(HttpHeaders.WWW_AUTHENTICATE,
            "Bearer realm=\"rackboot\", error=\"invalid_token\", error_description=\"expired\"")
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError(401, "Authorization", "token " + c.name() + " expired at "
            + c.expiresAt() + "; ask an admin for a new one", null))
        .build();
  }
}
