package org.rackboot.api.http;

import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.security.Principal;
import org.jdbi.v3.core.JdbiException;
import org.rackboot.api.db.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A database that is away answers API clients 503 with {@code Retry-After} and the usual error
 * body ({@code field: "database"}), and logs one line per {@link RateLimitedLog} interval instead
 * of a stack trace per request (hundreds a second while boot loops and clients retry). Any other
 * Jdbi failure is a bug and goes the way of every unexpected error: 500 with a logged id.
 */
public final class DatabaseOutageMapper implements ExceptionMapper<JdbiException> {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutageMapper.class);
  private static final RateLimitedLog LIMITED = new RateLimitedLog(LOG);

  private final ErrorMappers.Unexpected unexpected = new ErrorMappers.Unexpected();

  @Override
  public Response toResponse(JdbiException e) {
    if (!DatabaseOutage.is(e)) {
      return unexpected.toResponse(e);
    }
    LIMITED.warn("api", "database unavailable, answering 503: " + DatabaseOutage.reason(e));
    return unavailable();
  }

  /** The 503 itself, for callers that found the outage on their own. */
  public static Response unavailable() {
    int retry = DatabaseOutage.RETRY_AFTER_SECONDS;
    return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE)
        .header("Retry-After", retry)
        .entity(new ApiError(503, "database",
            "the database is unavailable; retry in " + retry + " seconds", null))
        .build();
  }

  /**
   * Lets a database outage through an authenticator as the outage itself. Dropwizard's auth
   * filter turns an {@link AuthenticationException} into a bare 500 and logs its stack trace;
   * the unwrapped outage reaches this mapper instead and becomes a 503.
   */
  public static <C, P extends Principal> Authenticator<C, P> passOutages(
      Authenticator<C, P> delegate) {
    return credentials -> {
      try {
        return delegate.authenticate(credentials);
      } catch (AuthenticationException e) {
        if (e.getCause() instanceof JdbiException j && DatabaseOutage.is(j)) {
          throw j;
        }
        throw e;
      }
    };
  }
}
