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
import java.util.List;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.core.Roles;
import org.rackboot.api.core.ApiToken;
import org.rackboot.api.core.Checks;
import org.rackboot.api.service.Tokens;
import org.rackboot.api.core.Inputs.TokenInput;
import org.rackboot.api.http.LimitedBody;

/** API tokens, admin only. The secret appears once, in the answer to POST. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@LimitedBody
@RolesAllowed(Roles.ADMIN)
public final class TokenResource {

  private final Tokens tokens;

  public TokenResource(Tokens tokens) {
    this.tokens = tokens;
  }

  @GET
  public List<ApiToken> list(@Auth Caller caller) {
    return tokens.list();
  }

  @POST
  @ApiResponse(responseCode = "201", description = "created; the secret is shown this once",
      content = @Content(schema = @Schema(implementation = Tokens.Created.class)))
  public Response create(@Auth Caller caller, TokenInput body) {
    Checks.required("body", body);
    Tokens.Created c = tokens.create(caller.actor(), body.name(), body.role(),
        body.environments(), body.expiresAt());
    return Response.status(201).entity(c).build();
  }

  @DELETE
  @Path("/{id}")
  public ApiToken revoke(@Auth Caller caller, @PathParam("id") String id) {
    return tokens.revoke(caller.actor(), Checks.pathId("id", id));
  }
}
