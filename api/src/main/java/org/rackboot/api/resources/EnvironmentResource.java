package org.rackboot.api.resources;

import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.core.Roles;
import org.rackboot.api.service.RoleCatalog;
import org.rackboot.api.core.Checks;
import org.rackboot.api.core.EnvironmentInfo;
import org.rackboot.api.core.Inputs.EnvironmentInput;
import org.rackboot.api.http.LimitedBody;

/** Environments, made by admins; the unit tokens are scoped to. */
@Path("/api/v1/environments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@LimitedBody
public final class EnvironmentResource {

  private final RoleCatalog catalog;

  public EnvironmentResource(RoleCatalog catalog) {
    this.catalog = catalog;
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public List<EnvironmentInfo> environments(@Auth Caller caller) {
    return catalog.environments(caller);
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  @ApiResponse(responseCode = "201", description = "created",
      content = @Content(schema = @Schema(implementation = EnvironmentInfo.class)))
  public Response createEnvironment(@Auth Caller caller, EnvironmentInput body) {
    EnvironmentInfo e = catalog.createEnvironment(caller, body);
    return Response.created(URI.create("/api/v1/environments/" + e.name())).entity(e).build();
  }

  @GET
  @Path("/{name}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public EnvironmentInfo environment(@Auth Caller caller, @PathParam("name") String name) {
    return catalog.environment(caller, Checks.name("name", name));
  }

  @DELETE
  @Path("/{name}")
  @RolesAllowed(Roles.ADMIN)
  @ApiResponse(responseCode = "204", description = "deleted")
  public Response deleteEnvironment(@Auth Caller caller, @PathParam("name") String name) {
    catalog.deleteEnvironment(caller, Checks.name("name", name));
    return Response.noContent().build();
  }

}
