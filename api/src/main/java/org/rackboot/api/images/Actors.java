package org.rackboot.api.images;

import org.rackboot.api.auth.Caller;
import org.rackboot.api.core.ApiException;
import jakarta.ws.rs.core.SecurityContext;

/** Who is calling, for the audit log. */
final class Actors {

  static final String ADMIN = "admin";
  static final String OPERATOR = "operator";
  static final String AUTOMATION = "automation";
  static final String VIEWER = "viewer";

  private Actors() {}

  /**
   * Environment scope, the same rule as for hosts: a token scoped to environments reads and
   * changes pins of those environments only.
   */
  static void requireSee(SecurityContext sc, String env) {
    if (caller(sc) instanceof Caller c && !c.canSee(env)) {
      throw new ApiException(403, "environment", "this token is not scoped to environment " + env);
    }
  }

  static void requireChange(SecurityContext sc, String env) {
    if (caller(sc) instanceof Caller c && !c.canChange(env)) {
      throw new ApiException(403, "environment", "this token may not change environment " + env);
    }
  }

  static boolean canSee(SecurityContext sc, String env) {
    return !(caller(sc) instanceof Caller c) || c.canSee(env);
  }

  private static Object caller(SecurityContext sc) {
    return sc == null ? null : sc.getUserPrincipal();
  }

  static String of(SecurityContext sc) {
    if (sc == null || sc.getUserPrincipal() == null || sc.getUserPrincipal().getName() == null) {
      return "anonymous";
    }
    return sc.getUserPrincipal().getName();
  }
}
