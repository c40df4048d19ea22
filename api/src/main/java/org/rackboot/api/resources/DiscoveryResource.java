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
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rackboot.api.auth.TokenHash;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.service.Discovery;
import org.rackboot.api.service.DiscoveryTokens;
import org.rackboot.api.service.Inventory;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.api.service.RateLimiter;
import org.rackboot.api.http.ErrorMappersAccess;
import org.rackboot.api.http.LimitedBody;
import org.rackboot.api.core.Host;
import org.rackboot.api.docs.OpenApiDocument;

/**
 * Where the discovery agent posts its facts. Not behind the bearer-token filter: the agent
 * presents the per-boot token of its discovery script ({@link DiscoveryTokens}: bound to the MAC
 * that asked for the script, one hour), or a caller on the management side the shared secret of
 * api.discoveryToken, which no script shows any more. As a bearer token, {@code ?token=} or
 * X-Rackboot-Discovery-Token. Neither lets a report take a host ({@link Discovery}).
 */
@Path("/api/v1/discovery")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@LimitedBody
public final class DiscoveryResource {

  private final Discovery discovery;
  private final String token;
  private final DiscoveryTokens bootTokens;
  private final RateLimiter limiter;

  public DiscoveryResource(Discovery discovery, String token, RateLimiter limiter) {
    this.discovery = discovery;
    this.token = token;
    this.bootTokens = token == null || token.isEmpty() ? null : new DiscoveryTokens(token);
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
      @Context HttpServletRequest request,
      JsonNode body) {
    if (token == null || token.isEmpty()) {
      throw new ApiException(403, "token", "discovery is off: set api.discoveryToken");
    }
    String presented = queryToken != null ? queryToken
        : headerToken != null ? headerToken
        : authorization != null && authorization.startsWith("Bearer ")
            ? authorization.substring(7).strip() : null;
    MacAddress bootedFrom = null;
    boolean valid = presented != null && TokenHash.sameSecret(presented, token);
    if (!valid && DiscoveryTokens.looksLikeOne(presented)) {
      // A per-boot token proves which of the report's MACs asked for the discovery script.
      bootedFrom = bootTokens.verify(presented, reportedMacs(body), Instant.now()).orElse(null);
      valid = bootedFrom != null;
    }
    if (!valid) {
      return ErrorMappersAccess.response(401, "token",
          "the discovery token is missing, wrong or expired, or was issued to none of the"
              + " report's MACs (?token=, X-Rackboot-Discovery-Token or Authorization: Bearer)");
    }
    long retryAfter = limiter.tryAcquire();
    if (retryAfter > 0) {
      return Response.fromResponse(ErrorMappersAccess.response(429, null,
              "too many discovery reports; retry in " + retryAfter + " s"))
          .header(HttpHeaders.RETRY_AFTER, retryAfter).build();
    }
    Discovery.Outcome o = discovery.report(body, bootedFrom, request.getRemoteAddr());
    return Response.status(o.created() ? 201 : 200).entity(o.host())
        .tag(Http.etag(o.host().version())).build();
  }

  /**
   * The MACs a report names (macs and interfaces[].mac), leniently: this only picks what a boot
   * token is checked against; the report itself is validated strictly afterwards.
   */
  private static List<MacAddress> reportedMacs(JsonNode body) {
    List<MacAddress> out = new ArrayList<>();
    if (body == null) {
      return out;
    }
    List<JsonNode> nodes = new ArrayList<>();
    body.path("macs").forEach(nodes::add);
    body.path("interfaces").forEach(n -> nodes.add(n.path("mac")));
    // The report is capped at Inventory.MAX_NICS MACs; do not sign more than that per request.
    for (JsonNode n : nodes.subList(0, Math.min(nodes.size(), 2 * Inventory.MAX_NICS))) {
      if (n.isTextual()) {
        try {
          out.add(MacAddress.parse(n.asText()));
        } catch (IllegalArgumentException e) {
          // refused with its field by the report's own validation
        }
      }
    }
    return out;
  }
}
