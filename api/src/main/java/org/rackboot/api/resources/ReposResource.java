package org.rackboot.api.resources;

import io.dropwizard.auth.Auth;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.core.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.rackboot.images.ImageStoreException;
import org.rackboot.images.RepoFile;
import org.rackboot.images.RepoSnapshot;
import org.rackboot.images.RepoSnapshots;

/** Package repository snapshots (imported with the CLI; their files are served under /repos). */
@Path("/api/v1/repos")
@Produces(MediaType.APPLICATION_JSON)
public final class ReposResource {

  private final RepoSnapshots repos;

  public ReposResource(RepoSnapshots repos) {
    this.repos = repos;
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public List<RepoSnapshot> all() {
    return repos.all();
  }

  @GET
  @Path("{name}/{version}")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public RepoSnapshot get(@PathParam("name") String name, @PathParam("version") String version) {
    return repos.get(name, version)
        .orElseThrow(() -> new NotFoundException("no repository snapshot " + name + "/" + version));
  }

  @GET
  @Path("{name}/{version}/files")
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public List<RepoFile> files(@PathParam("name") String name, @PathParam("version") String version,
      @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("1000") int limit) {
    if (offset < 0) {
      throw ImageStoreException.invalid("offset", "expected >= 0, got " + offset);
    }
    if (limit < 1 || limit > 10000) {
      throw ImageStoreException.invalid("limit", "expected 1..10000, got " + limit);
    }
    get(name, version);
    return repos.files(name, version, offset, limit);
  }
}
