package org.rackboot.api.boot;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.config.BootFactory;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.Host;
import org.rackboot.api.core.Inputs.CheckIn;
import org.rackboot.api.core.HostRow;
import org.rackboot.api.core.HostState;
import org.rackboot.api.core.ImageRef;
import org.rackboot.api.service.Inventory;
import org.rackboot.api.db.DbConventions;
import org.rackboot.api.http.LimitedBody;
import org.rackboot.api.docs.OpenApiDocument;
import org.rackboot.images.Artifact;
import org.rackboot.images.Manifest;

/**
 * The installer's side of provisioning, authorized by the host's provisioning token: the install
 * plan, progress and the result, which ends the token; and later check-ins with the image the
 * host runs, authorized by the check-in token the successful result answered with.
 */
// Capped before the token is checked: the body is read (and parsed) first.
@LimitedBody
@Path("/api/v1/provision/{id}")
@SecurityRequirement(name = OpenApiDocument.PROVISIONING)
public final class ProvisionResource {

  /** Install progress as the agent reports it. */
  @Schema(name = "ProvisionProgress")
  public record Progress(
      @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 64) String phase,
      @Schema(minimum = "0", maximum = "100") Integer percent,
      @Schema(maxLength = 1000) String message) {}

  /** The outcome of an install: status succeeded or failed, with a reason when failed. */
  @Schema(name = "ProvisionResult")
  public record Result(
      @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"succeeded", "failed"})
          String status,
      @Schema(maxLength = 1000) String reason,
      @Schema(description = "name:version; the assigned image when absent") String image) {}

  /** The header of a successful result's answer that carries the host's check-in token. */
  public static final String CHECKIN_TOKEN_HEADER = "X-Rackboot-Checkin-Token";

  private final Jdbi jdbi;
  private final Inventory inventory;
  private final HostBootCache hosts;
  private final BootDecider decider;
  private final BootFactory cfg;
  private final BootEvents events;

  public ProvisionResource(
      Jdbi jdbi,
      Inventory inventory,
      HostBootCache hosts,
      BootDecider decider,
      BootFactory cfg,
      BootEvents events) {
    this.jdbi = jdbi;
    this.inventory = inventory;
    this.hosts = hosts;
    this.decider = decider;
    this.cfg = cfg;
    this.events = events;
  }

  /**
   * The plan as text the busybox agent reads line by line: {@code image NAME VERSION}, {@code
   * target auto}, then {@code artifact PART SHA256 SIZE URL} per artifact.
   */
  @GET
  @Path("plan")
  @Produces(MediaType.TEXT_PLAIN)
  public String plan(
      @PathParam("id") String id,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context UriInfo uri) {
    HostRow host = ProvisionAuth.hostFor(jdbi, id, ProvisionAuth.bearer(authorization));
    requireProvisioning(host, "fetch an install plan");
    Manifest m = manifest(host);
    String base = BootUrls.base(cfg.getServerUrl(), uri);
    StringBuilder plan = new StringBuilder();
    plan.append("image ").append(m.name()).append(' ').append(m.version()).append('\n');
    plan.append("target auto\n");
    for (Artifact a : m.artifacts()) {
      plan.append("artifact ")
          .append(a.part().wire()).append(' ')
          .append(a.sha256().hex()).append(' ')
          .append(a.size()).append(' ')
          .append(base).append("/files/blobs/").append(a.sha256().hex())
          .append('\n');
    }
    events.record("boot.plan", host.id, label(host), Map.of("image", m.name() + ":" + m.version()));
    return plan.toString();
  }

  @POST
  @Path("progress")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> progress(
      @PathParam("id") String id,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      Progress p) {
    HostRow host = ProvisionAuth.hostFor(jdbi, id, ProvisionAuth.bearer(authorization));
    requireProvisioning(host, "report install progress");
    if (p == null || p.phase() == null || p.phase().isBlank()) {
      throw ApiException.invalid("phase", "is required");
    }
    if (p.percent() != null && (p.percent() < 0 || p.percent() > 100)) {
      throw ApiException.invalid("percent", "must be 0 to 100, got " + p.percent());
    }
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("phase", clip(p.phase(), 64));
    detail.put("percent", p.percent());
    detail.put("message", clip(p.message(), 1000));
    events.record("boot.progress", host.id, label(host), detail);
    return Map.of("status", "recorded");
  }

  /**
   * The outcome. Either way the provisioning token dies here: the attempt is over. A success
   * answers with the host's check-in token in {@value #CHECKIN_TOKEN_HEADER}, shown this once.
   */
  @POST
  @Path("result")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @ApiResponse(responseCode = "200", description = "the host; on success the check-in token is"
      + " in the " + CHECKIN_TOKEN_HEADER + " header", headers = @Header(
          name = CHECKIN_TOKEN_HEADER, description = "the host's check-in token, shown once"),
      content = @Content(schema = @Schema(implementation = Host.class)))
  public Response result(
      @PathParam("id") String id,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      Result r) {
    HostRow host = ProvisionAuth.hostFor(jdbi, id, ProvisionAuth.bearer(authorization));
    if (r == null || r.status() == null) {
      throw ApiException.invalid("status", "is required: succeeded or failed");
    }
    boolean ok = switch (r.status()) {
      case "succeeded" -> true;
      case "failed" -> false;
      default -> throw ApiException.invalid("status", "expected succeeded or failed, got '" + clip(r.status(), 40) + "'");
    };
    ImageRef planned = host.assignedImage;
    ImageRef running = ok ? imageRef(r.image(), planned) : null;
    String reason = clip(r.reason(), 1000);
    String checkInToken = ok ? ProvisionTokens.newCheckInToken() : null;
    Host after = inventory.mutate(caller(host), id, null, (h, row) -> {
      requireProvisioning(row, "report an install result");
      row.rebuildRequestedAt = null;
      row.rebuildRequestedBy = null;
      // The attempt is over: its token (spread on a kernel command line and in template URLs
      // over the provisioning network) must not outlive it.
      row.endProvisioningToken();
      if (ok) {
        row.state = HostState.DEPLOYED;
        row.runningImageName = running.name();
        row.runningImageVersion = running.version();
        row.checkedInAt = DbConventions.now();
        row.checkinTokenHash = ProvisionTokens.hash(checkInToken);
        return "boot.install_succeeded:" + running;
      }
      row.state = HostState.FAILED;
      row.checkinTokenHash = null;
      return "boot.install_failed:" + (reason == null ? "no reason given" : reason);
    });
    Response.ResponseBuilder answer = Response.ok(after);
    return ok ? answer.header(CHECKIN_TOKEN_HEADER, checkInToken).build() : answer.build();
  }

  /**
   * A deployed host's report of the image it runs, with its check-in token (not its
   * provisioning token, which died with the result). Same body as POST /hosts/{id}/checkin.
   */
  @POST
  @Path("checkin")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Host checkIn(
      @PathParam("id") String id,
      @Parameter(hidden = true) @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      CheckIn c) {
    HostRow host = ProvisionAuth.checkInHostFor(jdbi, id, ProvisionAuth.bearer(authorization));
    if (host.state != HostState.DEPLOYED) {
      throw new ApiException(409, "state", "host " + id + " is " + host.state + "; only deployed hosts check in");
    }
    if (c == null) {
      throw ApiException.invalid("body", "a JSON object with imageName and imageVersion is required");
    }
    return inventory.checkIn(caller(host), id, c.imageName(), c.imageVersion());
  }

  private static Caller caller(HostRow host) {
    // The events' actor column is 200 wide and a hostname may have 253 characters: clipped, it
    // still names the host.
    String actor = "host:" + label(host);
    return Caller.of(null, actor.length() <= 200 ? actor : actor.substring(0, 200), "host",
        Set.of());
  }

  private static void requireProvisioning(HostRow host, String what) {
    if (host.state != HostState.PROVISIONING) {
      throw new ApiException(409, "state", "cannot " + what + " for host " + host.id
          + " in state " + host.state + "; allowed from: provisioning");
    }
  }

  /** The image the boot decision installs on this host: the plan is that decision's image. */
  private Manifest manifest(HostRow host) {
    hosts.catchUp();
    NextBoot next = decider.forHost(host.id).orElseThrow(() -> new ApiException(409, "id",
        "host " + host.id + " is not in the boot view yet; retry"));
    if (next instanceof NextBoot.Install install) {
      return install.image();
    }
    throw new ApiException(409, "image", next instanceof NextBoot.Wait w ? w.reason()
        : "host " + host.id + " is not installing");
  }

  static String label(HostRow host) {
    return host.hostname != null ? host.hostname : host.id;
  }

  /** Parses name:version; falls back to {@code otherwise} when absent. */
  private static ImageRef imageRef(String text, ImageRef otherwise) {
    if (text == null || text.isBlank()) {
      if (otherwise == null) {
        throw ApiException.invalid("image", "is required as name:version");
      }
      return otherwise;
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw ApiException.invalid("image", "expected name:version, got '" + clip(text, 80) + "'");
    }
    // Each part is stored in a 200-character column (as a check-in's are).
    if (colon > 200 || text.length() - colon - 1 > 200) {
      throw ApiException.invalid("image", "expected a name and a version of at most 200 characters"
          + " each, got '" + clip(text, 80) + "...'");
    }
    return new ImageRef(text.substring(0, colon), text.substring(colon + 1));
  }

  private static String clip(String s, int max) {
    if (s == null) {
      return null;
    }
    String clean = s.replaceAll("\\p{Cntrl}", " ");
    return clean.length() <= max ? clean : clean.substring(0, max);
  }
}
