package org.rackboot.api.resources;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.core.Roles;
import org.rackboot.api.core.HostRow;
import org.rackboot.api.core.HostState;
import org.rackboot.api.db.HostDao;

/**
 * Which deployed hosts do not run what they should: the image each last checked in with differs
 * from its role's pin in its environment. After a rollback these are exactly the hosts to rebuild.
 */
@Path("/api/v1/drift")
public final class DriftResource {

  /** One drifted host. */
  public record DriftedHost(String id, String hostname, String running) {}

  /** The drifted hosts of one role in one environment. */
  public record RoleDrift(String environment, String role, String assigned, List<DriftedHost> hosts) {}

  /** Every role with drift, and how many deployed hosts were compared. */
  public record DriftReport(int deployedHosts, int driftedHosts, List<RoleDrift> roles) {}

  private static final int PAGE = 1000;

  private final Jdbi jdbi;

  public DriftResource(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
  public DriftReport drift(
      @Auth Caller caller,
      @QueryParam("environment") String environment,
      @QueryParam("role") String role) {
    Set<String> scope = caller.unscoped() ? null : caller.environments();
    HostDao.Filter filter =
        new HostDao.Filter(HostState.DEPLOYED, role, environment, null, null, null, null, null);
    Map<String, RoleDrift> byRole = new TreeMap<>();
    int deployed = 0;
    int drifted = 0;
    long after = 0;
    while (true) {
      long from = after;
      List<HostRow> rows = jdbi.withHandle(h -> new HostDao(h).list(filter, scope, from, PAGE));
      for (HostRow r : rows) {
        deployed++;
        // The assigned image comes from the DAO's query, the one place its rule is written.
        if (r.assignedImage == null || Boolean.TRUE.equals(r.inSync())) {
          continue;
        }
        drifted++;
        String key = r.environment + "/" + r.roleName;
        byRole
            .computeIfAbsent(
                key, k -> new RoleDrift(r.environment, r.roleName, r.assignedImage.toString(), new ArrayList<>()))
            .hosts()
            .add(
                new DriftedHost(
                    r.id,
                    r.hostname,
                    r.runningImageName == null ? null : r.runningImageName + ":" + r.runningImageVersion));
      }
      if (rows.size() < PAGE) {
        break;
      }
      after = rows.get(rows.size() - 1).seq;
    }
    return new DriftReport(deployed, drifted, List.copyOf(byRole.values()));
  }
}
