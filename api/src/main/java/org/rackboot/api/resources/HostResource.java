package org.rackboot.api.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
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
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.Checks;
import org.rackboot.api.core.Host;
import org.rackboot.api.core.HostState;
import org.rackboot.api.service.Inventory;
import org.rackboot.api.service.Power;
import org.rackboot.api.core.BmcView;
import org.rackboot.api.core.PowerAction;
import org.rackboot.api.core.PowerResult;
import org.rackboot.api.core.Inputs.BmcInput;
import org.rackboot.api.core.Inputs.PowerInput;
import org.rackboot.api.core.Inputs.RebuildInput;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.api.db.FactsDao;
import org.rackboot.api.db.HostDao;
import org.rackboot.api.core.Inputs.CheckIn;
import org.rackboot.api.core.Inputs.HostInput;
import org.rackboot.api.core.Inputs.RoleAssignment;
import org.rackboot.api.core.Inputs.StateChange;
import org.rackboot.api.http.LimitedBody;

/** Hosts: inventory, lookup by MAC, lifecycle. Thin: the core validates and decides. */
@Path("/api/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@LimitedBody
public final class HostResource {

  private final Inventory inventory;
  private final EventResource events;
  private final Power power;

  public HostResource(Inventory inventory, EventResource events, Power power) {
    this.inventory = inventory;
    this.events = events;
    this.power = power;
  }

  /** A page of hosts and the cursor of the next page (null on the last one). */
  public record HostPage(List<Host> items, String next) {}

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public HostPage list(@Auth Caller caller,
      @QueryParam("state") String state,
      @QueryParam("role") String role,
      @QueryParam("environment") String environment,
      @QueryParam("rack") String rack,
      @QueryParam("mac") String mac,
      @QueryParam("serial") String serial,
      @QueryParam("hostnamePrefix") String hostnamePrefix,
      @QueryParam("inSync") String inSync,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    HostState st = null;
    if (state != null && !state.isEmpty()) {
      try {
        st = HostState.of(state);
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "state", e.getMessage());
      }
    }
    MacAddress m = null;
    if (mac != null && !mac.isEmpty()) {
      try {
        m = MacAddress.parse(mac);
      } catch (IllegalArgumentException e) {
        throw new ApiException(400, "mac", e.getMessage());
      }
    }
    int n = Http.limit(limit, 100, Inventory.MAX_PAGE);
    HostDao.Filter f = new HostDao.Filter(st, blank(role), blank(environment), blank(rack), m,
        blank(serial), blank(hostnamePrefix), Http.bool("inSync", inSync));
    Inventory.Page page = inventory.list(caller, f, Http.fromCursor(cursor), n);
    return new HostPage(page.items(), page.lastSeq() == null ? null : Http.cursor(page.lastSeq()));
  }

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  @ApiResponse(responseCode = "201", description = "created; ETag is its version",
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response create(@Auth Caller caller, HostInput body) {
    Host h = inventory.create(caller, body);
    return Response.created(URI.create("/api/v1/hosts/" + h.id())).entity(h)
        .tag(Http.etag(h.version())).build();
  }

  @GET
  @Path("/by-mac/{mac}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  @ApiResponse(responseCode = "200", description = "the host; ETag is its version",
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response byMac(@Auth Caller caller, @PathParam("mac") String mac) {
    MacAddress m;
    try {
      m = MacAddress.parse(mac);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "mac", e.getMessage());
    }
    Host h = inventory.byMac(caller, m);
    return Http.ok(h, h.version());
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  @ApiResponse(responseCode = "200", description = "the host; ETag is its version",
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response get(@Auth Caller caller, @PathParam("id") String id) {
    Host h = inventory.get(caller, Checks.pathId("id", id));
    return Http.ok(h, h.version());
  }

  /** Changes the fields present in the body; NICs, when present, are replaced as a set. */
  @PATCH
  @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  @RequestBody(description = "the fields to change, all optional; environment and role are"
      + " changed with PUT /api/v1/hosts/{id}/role", content = {
      @Content(mediaType = MediaType.APPLICATION_JSON,
          schema = @Schema(implementation = HostInput.class)),
      @Content(mediaType = "application/merge-patch+json",
          schema = @Schema(implementation = HostInput.class))})
  @ApiResponse(responseCode = "200", description = "the host; ETag is its version",
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response patch(@Auth Caller caller, @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, JsonNode body)
      throws JsonProcessingException {
    String hostId = Checks.pathId("id", id);
    if (!(body instanceof ObjectNode obj)) {
      throw new ApiException(400, "body", "a JSON object with the fields to change is required");
    }
    HostInput in = inventory.json().treeToValue(obj, HostInput.class);
    Host h = inventory.patch(caller, hostId, obj, in, Http.ifMatch(ifMatch));
    return Http.ok(h, h.version());
  }

  @PUT
  @Path("/{id}/role")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  @ApiResponse(responseCode = "200", description = "the host; ETag is its version",
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response assignRole(@Auth Caller caller, @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, RoleAssignment body) {
    String hostId = Checks.pathId("id", id);
    Checks.required("body", body);
    Host h = inventory.assignRole(caller, hostId, body.environment(), body.role(),
        Http.ifMatch(ifMatch));
    return Http.ok(h, h.version());
  }

  @POST
  @Path("/{id}/rebuild")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION})
  @ApiResponse(responseCode = "200", description = "the host; ETag is its version. With"
      + " power: cycle, also power: {action, outcome, detail} (outcome refused or unreachable:"
      + " the BMC failed after the rebuild was recorded, which stays requested)",
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response rebuild(@Auth Caller caller, @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      @RequestBody(required = false, content = @Content(
          schema = @Schema(implementation = RebuildInput.class))) RebuildInput body) {
    Power.Rebuilt r = power.rebuild(caller, Checks.pathId("id", id), Http.ifMatch(ifMatch), body);
    if (r.power() == null) {
      return Http.ok(r.host(), r.host().version());
    }
    // The host as always, plus what the power step did.
    ObjectNode out = inventory.json().valueToTree(r.host());
    out.set("power", inventory.json().valueToTree(r.power()));
    return Http.ok(out, r.host().version());
  }

  /** The BMC settings, without the password (only whether one is set). */
  @GET
  @Path("/{id}/bmc")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public BmcView bmc(@Auth Caller caller, @PathParam("id") String id) {
    return power.credentials(caller, Checks.pathId("id", id));
  }

  /** Sets how Rackboot reaches the host's BMC; the password is write-only. */
  @PUT
  @Path("/{id}/bmc")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  public BmcView setBmc(@Auth Caller caller, @PathParam("id") String id, BmcInput body) {
    return power.setCredentials(caller, Checks.pathId("id", id), body);
  }

  /** The chassis power state as the BMC tells it; unknown, with its words, when it cannot. */
  @GET
  @Path("/{id}/power")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public PowerResult powerState(@Auth Caller caller, @PathParam("id") String id) {
    return power.status(caller, Checks.pathId("id", id));
  }

  /** A chassis power command (on, off, cycle, reset, soft): whoever may rebuild the host. */
  @POST
  @Path("/{id}/power")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION})
  @ApiResponse(responseCode = "200", description = "the BMC acknowledged the command",
      content = @Content(schema = @Schema(implementation = PowerResult.class)))
  @ApiResponse(responseCode = "502", description = "the BMC refused (its words in message)")
  @ApiResponse(responseCode = "504", description = "the BMC did not answer in time")
  public PowerResult powerAction(@Auth Caller caller, @PathParam("id") String id,
      PowerInput body) {
    String hostId = Checks.pathId("id", id);
    Checks.required("body", body);
    return power.act(caller, hostId, PowerAction.of("action", body.action()));
  }

  @POST
  @Path("/{id}/retire")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  @ApiResponse(responseCode = "200", description = "the host; ETag is its version",
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response retire(@Auth Caller caller, @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
    Host h = inventory.retire(caller, Checks.pathId("id", id), Http.ifMatch(ifMatch));
    return Http.ok(h, h.version());
  }

  /** Sets ready, deployed or failed: what the installer's report will do (admin only). */
  @PUT
  @Path("/{id}/state")
  @RolesAllowed({Roles.ADMIN})
  @ApiResponse(responseCode = "200", description = "the host; ETag is its version",
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response setState(@Auth Caller caller, @PathParam("id") String id,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, StateChange body) {
    String hostId = Checks.pathId("id", id);
    Checks.required("body", body);
    Host h = inventory.transition(caller, hostId, body.state(), body.reason(),
        Http.ifMatch(ifMatch));
    return Http.ok(h, h.version());
  }

  /**
   * Records the image the host runs: an admin's or operator's audited statement, for hosts
   * installed outside Rackboot. Automation may not: a token that can claim any image can make
   * a drifted host look in sync. The host itself checks in at POST
   * /api/v1/provision/{id}/checkin with its check-in token, with the same body.
   */
  @POST
  @Path("/{id}/checkin")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
  @ApiResponse(responseCode = "200", description = "the host; ETag is its version",
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response checkIn(@Auth Caller caller, @PathParam("id") String id, CheckIn body) {
    String hostId = Checks.pathId("id", id);
    Checks.required("body", body);
    Host h = inventory.checkIn(caller, hostId, body.imageName(), body.imageVersion());
    return Http.ok(h, h.version());
  }

  @GET
  @Path("/{id}/facts")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public FactsDao.Report facts(@Auth Caller caller, @PathParam("id") String id) {
    return inventory.facts(caller, Checks.pathId("id", id));
  }

  @GET
  @Path("/{id}/facts/history")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public List<FactsDao.Report> factsHistory(@Auth Caller caller, @PathParam("id") String id,
      @QueryParam("limit") String limit) {
    return inventory.factsHistory(caller, Checks.pathId("id", id), Http.limit(limit, 20, 100));
  }

  @GET
  @Path("/{id}/events")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public EventResource.EventPage events(@Auth Caller caller, @PathParam("id") String id,
      @QueryParam("type") String type, @QueryParam("from") String from,
      @QueryParam("to") String to, @QueryParam("since") String since,
      @QueryParam("wait") String wait, @QueryParam("limit") String limit)
      throws InterruptedException {
    return events.hostEvents(caller, id, type, from, to, since, wait, limit);
  }

  private static String blank(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
