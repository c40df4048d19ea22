package org.rackboot.api.resources;

import io.dropwizard.auth.Auth;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.core.Roles;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.rackboot.api.http.LimitedBody;
import org.rackboot.api.service.RoleCatalog;
import org.rackboot.images.ImageStoreException;
import org.rackboot.images.Pin;
import org.rackboot.images.PinChange;
import org.rackboot.images.Pins;

/**
 * Which image version each role runs per environment. Changes are for admins, and for operators
 * in environments their token is scoped to (the scope check is wired with auth).
 */
@LimitedBody
@Path("/api/v1/pins")
@Produces(MediaType.APPLICATION_JSON)
public final class PinsResource {

  /** Body of a pin change. */
  public record PinRequest(
      @Schema(requiredMode = RequiredMode.REQUIRED) String image,
      @Schema(requiredMode = RequiredMode.REQUIRED) String version) {}

  private final Pins pins;
  private final RoleCatalog catalog;

  public PinsResource(Pins pins, RoleCatalog catalog) {
    this.pins = pins;
    this.catalog = catalog;
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public List<Pin> all(@Auth Caller caller) {
    return pins.all().stream().filter(p -> caller.canSee(p.environment())).toList();
  }

  @GET
  @Path("{role}/{environment}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public Pin get(@PathParam("role") String role, @PathParam("environment") String env,
      @Auth Caller caller) {
    caller.requireSee(env);
    return pins.current(role, env)
        .orElseThrow(() -> new NotFoundException("role " + role + " has no pin in " + env));
  }

  @GET
  @Path("{role}/{environment}/history")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public List<PinChange> history(@PathParam("role") String role, @PathParam("environment") String env,
      @Auth Caller caller) {
    caller.requireSee(env);
    return pins.history(role, env);
  }

  @PUT
  @Path("{role}/{environment}")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  public Pin pin(@PathParam("role") String role, @PathParam("environment") String env, PinRequest body,
      @Auth Caller caller) {
    caller.requireChange(env);
    if (body == null) {
      throw ImageStoreException.invalid("body", "expected {\"image\": ..., \"version\": ...}, got nothing");
    }
    catalog.requirePinTarget(role, env, 404);
    return pins.pin(role, env, body.image(), body.version(), caller.actor());
  }

  /** Copies this environment's pin to the next environment in the promotion order. */
  @POST
  @Path("{role}/{environment}/promote")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  public Pin promote(@PathParam("role") String role, @PathParam("environment") String env,
      @Auth Caller caller) {
    // Promotion changes the next environment: that is the one the token must be scoped to.
    caller.requireSee(env);
    pins.policy().next(env).ifPresent(next -> caller.requireChange(next));
    catalog.requirePinTarget(role, env, 404);
    // The next environment must exist, with the role: 409, since the request itself is fine.
    pins.policy().next(env).ifPresent(next -> catalog.requirePinTarget(role, next, 409));
    return pins.promote(role, env, caller.actor());
  }

  @POST
  @Path("{role}/{environment}/rollback")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  public Pin rollback(@PathParam("role") String role, @PathParam("environment") String env,
      @Auth Caller caller) {
    caller.requireChange(env);
    return pins.rollback(role, env, caller.actor());
  }
}
