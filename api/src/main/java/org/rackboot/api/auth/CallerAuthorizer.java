package org.rackboot.api.auth;

import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

/** {@code @RolesAllowed("operator")} holds for a token whose role is operator, or admin. */
public final class CallerAuthorizer implements Authorizer<Caller> {

  @Override
  public boolean authorize(Caller caller, String role, ContainerRequestContext ctx) {
    return caller.isAdmin() || caller.role().equals(role);
  }
}
