package org.rackboot.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.core.Roles;
import org.rackboot.api.service.RoleCatalog;
import org.rackboot.api.core.Checks;
import org.rackboot.api.core.Role;
import org.rackboot.api.core.Inputs.RoleInput;
import org.rackboot.api.http.LimitedBody;

/** Roles: per environment, the image its hosts run and how they are installed. */
@Path("/api/v1/roles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@LimitedBody
public final class RoleResource {

  private final RoleCatalog catalog;

  public RoleResource(RoleCatalog catalog) {
    this.catalog = catalog;
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public List<Role> roles(@Auth Caller caller, @QueryParam("environment") String environment) {
    return catalog.roles(caller, environment == null || environment.isEmpty() ? null
        : Checks.name("environment", environment));
  }

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  @ApiResponse(responseCode = "201", description = "created; ETag is its version",
      content = @Content(schema = @Schema(implementation = Role.class)))
  public Response createRole(@Auth Caller caller, RoleInput body) {
    Role r = catalog.createRole(caller, body);
    return Response.created(URI.create("/api/v1/roles/" + r.id())).entity(r)
        .tag(Http.etag(r.version())).build();
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  @ApiResponse(responseCode = "200", description = "the role; ETag is its version",
      content = @Content(schema = @Schema(implementation = Role.class)))
  public Response role(@Auth Caller caller, @PathParam("id") String id) {
    Role r = catalog.role(caller, Checks.pathId("id", id));
    return Http.ok(r, r.version());
  }

  @PUT
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  @ApiResponse(responseCode = "200", description = "the role; ETag is its version",
      content = @Content(schema = @Schema(implementation = Role.class)))
  public Response updateRole(@Auth Caller caller, @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, RoleInput body) {
    Role r = catalog.updateRole(caller, Checks.pathId("id", id), body, Http.ifMatch(ifMatch));
    return Http.ok(r, r.version());
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  @ApiResponse(responseCode = "204", description = "deleted")
  public Response deleteRole(@Auth Caller caller, @PathParam("id") String id) {
    catalog.deleteRole(caller, Checks.pathId("id", id));
    return Response.noContent().build();
  }
}
