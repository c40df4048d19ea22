package org.rackboot.api.resources;

import io.dropwizard.auth.Auth;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.core.Roles;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.rackboot.api.http.LimitedBody;
import org.rackboot.images.BlobFile;
import org.rackboot.images.GarbageCollector;
import org.rackboot.images.ImageSpec;
import org.rackboot.images.ImageStore;
import org.rackboot.images.ImageStoreException;
import org.rackboot.images.Manifest;
import org.rackboot.images.Sha256;

/**
 * Image versions. Upload is two steps: each artifact streamed to {@code PUT _blobs/{sha256}}
 * (checked against that sha256, never held in memory), then the manifest {@code POST}ed.
 * Path segments starting with '_' cannot be image names.
 */
@Path("/api/v1/images")
@Produces(MediaType.APPLICATION_JSON)
public final class ImagesResource {

  private final ImageStore store;
  private final Duration defaultGrace;

  public ImagesResource(ImageStore store, Duration defaultGrace) {
    this.store = store;
    this.defaultGrace = defaultGrace;
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public List<Manifest> all() {
    return store.catalog().all();
  }

  @GET
  @Path("{name}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public List<Manifest> versions(@PathParam("name") String name) {
    List<Manifest> v = store.catalog().versions(name);
    if (v.isEmpty()) {
      throw new NotFoundException("no image named " + name);
    }
    return v;
  }

  @GET
  @Path("{name}/{version}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public Manifest get(@PathParam("name") String name, @PathParam("version") String version) {
    return store.catalog().get(name, version)
        .orElseThrow(() -> new NotFoundException("no image " + name + "/" + version));
  }

  @POST
  @LimitedBody
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @ApiResponse(responseCode = "201", description = "published",
      content = @Content(schema = @Schema(implementation = Manifest.class)))
  public Response publish(ImageSpec spec, @Auth Caller caller) {
    if (spec == null) {
      throw ImageStoreException.invalid("body", "expected a manifest, got nothing");
    }
    Manifest m = store.catalog().publish(spec, caller.actor());
    return Response.created(UriBuilder.fromPath("/api/v1/images/{n}/{v}").build(m.name(), m.version()))
        .entity(m).build();
  }

  /** Streams one artifact into the store; refused (and nothing kept) when it hashes otherwise. */
  @PUT
  @Path("_blobs/{sha256}")
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed(Roles.ADMIN)
  @RequestBody(description = "the artifact's bytes", required = true,
      content = @Content(mediaType = MediaType.WILDCARD,
          schema = @Schema(type = "string", format = "binary")))
  @ApiResponse(responseCode = "200", description = "already stored: {sha256, size, url}",
      content = @Content(schema = @Schema(type = "object")))
  @ApiResponse(responseCode = "201", description = "stored: {sha256, size, url}",
      content = @Content(schema = @Schema(type = "object")))
  public Response upload(@PathParam("sha256") String sha256, InputStream body) {
    Sha256 declared = Sha256.of(sha256);
    boolean existed = store.blobs().find(declared).isPresent();
    BlobFile b = store.blobs().put(body, declared);
    return Response.status(existed ? 200 : 201).entity(blob(b)).build();
  }

  @GET
  @Path("_blobs/{sha256}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public Map<String, Object> blobInfo(@PathParam("sha256") String sha256) {
    return blob(store.blobs().find(Sha256.of(sha256))
        .orElseThrow(() -> new NotFoundException("no blob " + sha256)));
  }

  @HEAD
  @Path("_blobs/{sha256}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  @ApiResponse(responseCode = "200", description = "the blob is stored")
  @ApiResponse(responseCode = "404", description = "no such blob")
  public Response blobExists(@PathParam("sha256") String sha256) {
    return store.blobs().find(Sha256.of(sha256)).isPresent()
        ? Response.ok().build() : Response.status(404).build();
  }

  @POST
  @Path("_gc")
  @RolesAllowed(Roles.ADMIN)
  public GarbageCollector.Report gc(@QueryParam("graceSeconds") String graceSeconds, @Auth Caller caller) {
    return store.gc().collect(grace(graceSeconds), caller.actor());
  }

  /** At most ten years: a grace period only has to outlast the imports running now. */
  static final long MAX_GRACE_SECONDS = 10L * 366 * 24 * 3600;

  /** Parsed here, not by JAX-RS, which answers a bad number in a query parameter with 404. */
  private Duration grace(String graceSeconds) {
    if (graceSeconds == null) {
      return defaultGrace;
    }
    long seconds;
    try {
      seconds = Long.parseLong(graceSeconds.trim());
    } catch (NumberFormatException e) {
      throw ImageStoreException.invalid("graceSeconds", "expected a whole number of seconds, got '"
          + graceSeconds.substring(0, Math.min(40, graceSeconds.length())) + "'");
    }
    if (seconds < 0 || seconds > MAX_GRACE_SECONDS) {
      throw ImageStoreException.invalid("graceSeconds",
          "expected 0.." + MAX_GRACE_SECONDS + " seconds, got " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  /** Re-hashes every blob now; mismatches are quarantined (and health turns red). */
  @POST
  @Path("_verify")
  @RolesAllowed(Roles.ADMIN)
  public Map<String, Object> verify() {
    List<Sha256> bad = store.blobs().verifyAll();
    return Map.of("quarantinedNow", bad, "quarantined", store.blobs().quarantined());
  }

  @GET
  @Path("_quarantine")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public List<String> quarantine() {
    return store.blobs().quarantined();
  }

  private static Map<String, Object> blob(BlobFile b) {
    return Map.of("sha256", b.sha256().hex(), "size", b.size(), "url", "/files/blobs/" + b.sha256().hex());
  }
}
