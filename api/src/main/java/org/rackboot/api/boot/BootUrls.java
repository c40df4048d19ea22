package org.rackboot.api.boot;

import jakarta.ws.rs.core.UriInfo;

/** The base URL booting hosts use to reach this server: configured, or the request's own. */
final class BootUrls {

  private BootUrls() {}

  static String base(String configured, UriInfo uri) {
    if (configured != null && !configured.isBlank()) {
      return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    }
    String s = uri.getBaseUri().toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
