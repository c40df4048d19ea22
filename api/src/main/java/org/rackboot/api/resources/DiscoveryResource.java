package org.rackboot.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.rackboot.api.auth.TokenHash;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.service.Discovery;
import org.rackboot.api.service.RateLimiter;
import org.rackboot.api.http.ErrorMappersAccess;
import org.rackboot.api.http.LimitedBody;
import org.rackboot.api.core.Host;
import org.rackboot.api.docs.OpenApiDocument;

/**
 * Where the discovery agent posts its facts. Not behind the bearer-token filter: the agent
 * presents the shared discovery token from api.discoveryToken, usually in the report URL
 * ({@code ?token=}) because the agent's kernel command line carries nothing else.
 */
@Path("/api/v1/discovery")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@LimitedBody
public final class DiscoveryResource {

  private final Discovery discovery;
  private final String token;
  private final RateLimiter limiter;

  public DiscoveryResource(Discovery discovery, String token, RateLimiter limiter) {
    this.discovery = discovery;
    this.token = token;
    this.limiter = limiter;
  }

  @POST
  @SecurityRequirement(name = OpenApiDocument.DISCOVERY)
  @RequestBody(description = "the facts the discovery agent gathered (MACs, serial, DMI,"
      + " disks...)", content = @Content(schema = @Schema(type = "object")))
  @ApiResponse(responseCode = "200", description = "a known host, updated",
      content = @Content(schema = @Schema(implementation = Host.class)))
  @ApiResponse(responseCode = "201", description = "a new host, discovered",
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response report(@Parameter(hidden = true) @QueryParam("token") String queryToken,
      @HeaderParam("X-Rackboot-Discovery-Token") String headerToken,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      JsonNode body) {
    if (token == null || token.isEmpty()) {
      throw new ApiException(403, "token", "discovery is off: set api.discoveryToken");
    }
    String presented = queryToken != null ? queryToken
        : headerToken != null ? headerToken
        : authorization != null && authorization.startsWith("Bearer ")
            ? authorization.substring(7).strip() : null;
    if (presented == null || !TokenHash.sameSecret(presented, token)) {
      return ErrorMappersAccess.response(401, "token",
          "the discovery token is missing or wrong (?token=, X-Rackboot-Discovery-Token or"
              + " Authorization: Bearer)");
    }
    long retryAfter = limiter.tryAcquire();
    if (retryAfter > 0) {
      return Response.fromResponse(ErrorMappersAccess.response(429, null,
              "too many discovery reports; retry in " + retryAfter + " s"))
          .header(HttpHeaders.RETRY_AFTER, retryAfter).build();
    }
    Discovery.Outcome o = discovery.report(body);
    return Response.status(o.created() ? 201 : 200).entity(o.host())
        .tag(Http.etag(o.host().version())).build();
  }
}
