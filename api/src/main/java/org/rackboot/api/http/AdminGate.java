package org.rackboot.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.auth.Authenticator;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.rackboot.api.auth.Caller;

/**
 * The admin port's door. Health checks and metrics stay open, for monitoring and load
 * balancers; everything else there (Dropwizard's tasks, which can turn on debug logging that
 * writes bearer tokens into the log, thread dumps, CPU profiles, and anything a library adds
 * later) needs an admin bearer token. An allow-list, so nothing new is open by accident.
 */
public final class AdminGate implements Filter {

  /** Paths anyone who reaches the admin port may read. */
  static final Set<String> OPEN = Set.of("/healthcheck", "/metrics", "/prometheus", "/ping");

  private final Authenticator<String, Caller> tokens;
  private final ObjectMapper json = new ObjectMapper();

  public AdminGate(Authenticator<String, Caller> tokens) {
    this.tokens = tokens;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest r = (HttpServletRequest) req;
    HttpServletResponse w = (HttpServletResponse) res;
    // The decoded path inside the admin context, as the servlets themselves match it.
    String path = r.getServletPath() + (r.getPathInfo() == null ? "" : r.getPathInfo());
    if (OPEN.contains(path) && ("GET".equals(r.getMethod()) || "HEAD".equals(r.getMethod()))) {
      chain.doFilter(req, res);
      return;
    }
    String header = r.getHeader("Authorization");
    Optional<Caller> caller = Optional.empty();
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      try {
        caller = tokens.authenticate(header.substring(7).strip());
      } catch (WebApplicationException e) {
        refuse(w, 401, "the admin token has expired");
        return;
      } catch (Exception e) {
        refuse(w, 503, "cannot check the token now; retry");
        return;
      }
    }
    if (caller.isEmpty()) {
      w.setHeader("WWW-Authenticate", "Bearer realm=\"rackboot-admin\"");
      refuse(w, 401, "only " + String.join(", ", OPEN.stream().sorted().toList())
          + " are open on the admin port; " + path + " needs an admin token"
          + " (Authorization: Bearer <token>)");
      return;
    }
    if (!caller.get().isAdmin()) {
      refuse(w, 403, "token " + caller.get().name() + " is not an admin token");
      return;
    }
    chain.doFilter(req, res);
  }

  private void refuse(HttpServletResponse w, int status, String message) throws IOException {
    w.setStatus(status);
    w.setContentType("application/json");
    w.getOutputStream().write(json.writeValueAsBytes(
        new ApiError(status, "Authorization", message, null)));
  }
}
