package org.rackboot.api.images;

import jakarta.ws.rs.core.SecurityContext;

/** Who is calling, for the audit log. */
final class Actors {

  static final String ADMIN = "admin";
  static final String OPERATOR = "operator";
  static final String AUTOMATION = "automation";
  static final String VIEWER = "viewer";

  private Actors() {}

  static String of(SecurityContext sc) {
    if (sc == null || sc.getUserPrincipal() == null || sc.getUserPrincipal().getName() == null) {
      return "anonymous";
    }
    return sc.getUserPrincipal().getName();
  }
}
