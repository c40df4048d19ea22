package org.rackboot.api.boot;

import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import org.rackboot.api.core.ApiException;

/** The base URL booting hosts use to reach this server: configured, or the request's own. */
public final class BootUrls {

  private BootUrls() {}

  /**
   * The base URL goes into iPXE lines, kernel command lines and install templates; taken from
   * the Host header it is chosen by whoever asks, so it must be a plain URL (no query, nothing
   * iPXE or a shell would read) or the request is refused.
   */
  static String base(String configured, UriInfo uri) {
    if (configured != null && !configured.isBlank()) {
      String c = configured.endsWith("/")
          ? configured.substring(0, configured.length() - 1) : configured;
      problem(c).ifPresent(p -> {
        throw new IllegalStateException("boot.serverUrl " + p);
      });
      return c;
    }
    String s = uri.getBaseUri().toString();
    String base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    problem(base).ifPresent(p -> {
      throw new ApiException(400, "Host", "the server's URL as this request names it " + p);
    });
    return base;
  }

  /** Why {@code base} is not a plain base URL (scheme, host, port, path), or empty. */
  public static Optional<String> problem(String base) {
    Optional<String> p = IpxeText.urlProblem(base);
    if (p.isPresent()) {
      return p;
    }
    int path = base.indexOf('/', base.indexOf("//") + 2);
    if (path >= 0 && !base.substring(path).matches("[A-Za-z0-9._~/-]*")) {
      return Optional.of("must have a plain path (letters, digits, . _ ~ / -), got "
          + IpxeText.echo(base));
    }
    if (path < 0 && base.substring(base.indexOf("//") + 2).matches(".*[^A-Za-z0-9.:\\[\\]-].*")) {
      return Optional.of("must be http(s)://host[:port][/path], got " + IpxeText.echo(base));
    }
    return Optional.empty();
  }
}
