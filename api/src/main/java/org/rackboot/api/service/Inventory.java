package org.rackboot.api.service;

import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.Checks;
import org.rackboot.api.core.Host;
import org.rackboot.api.core.HostRow;
import org.rackboot.api.core.HostState;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.api.core.Nic;
import org.rackboot.api.core.Role;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.db.CatalogDao;
import org.rackboot.api.db.DbConventions;
import org.rackboot.api.db.EventDao;
import org.rackboot.api.db.FactsDao;
import org.rackboot.api.db.HostDao;
import org.rackboot.api.core.Inputs.HostInput;
import org.rackboot.api.core.Inputs.NicInput;

/**
 * Hosts and their lifecycle. Every write runs in one transaction that locks the host row,
 * checks scope, state and version, writes, and records its events; any refusal throws an
 * {@link ApiException} and the transaction rolls back, so bad input never changes anything.
 */
public final class Inventory {

  /** Bounds of inputs and pages. */
  public static final int MAX_NICS = 64;
  public static final int MAX_PAGE = 1000;

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final EventSignal signal;

  public Inventory(Jdbi jdbi, ObjectMapper json, EventSignal signal) {
    this.jdbi = jdbi;
    this.json = json;
    this.signal = signal;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public ObjectMapper json() {
    return json;
  }

  public EventSignal signal() {
    return signal;
  }

  // ---------------------------------------------------------------- reads

  public Host get(Caller c, String id) {
    return jdbi.withHandle(h -> {
      HostDao dao = new HostDao(h);
      HostRow row = dao.byId(id).orElseThrow(() -> notFound(id));
      c.requireSee(row.environment);
      return Host.of(row, dao.nics(id));
    });
  }

  public Host byMac(Caller c, MacAddress mac) {
    return jdbi.withHandle(h -> {
      HostDao dao = new HostDao(h);
      HostRow row = dao.byMac(mac).orElseThrow(
          () -> ApiException.notFound("mac", "no host has MAC " + mac));
      c.requireSee(row.environment);
      return Host.of(row, dao.nics(row.id));
    });
  }

  /** One page of hosts after the cursor's position, and whether there may be more. */
  public record Page(List<Host> items, Long lastSeq) {}

  public Page list(Caller c, HostDao.Filter f, long afterSeq, int limit) {
    return jdbi.withHandle(h -> {
      HostDao dao = new HostDao(h);
      Set<String> scope = c.unscoped() ? null : c.environments();
      List<HostRow> rows = dao.list(f, scope, afterSeq, limit);
      Map<String, List<Nic>> nics = dao.nics(rows.stream().map(r -> r.id).toList());
      List<Host> out = new ArrayList<>(rows.size());
      for (HostRow r : rows) {
        out.add(Host.of(r, nics.getOrDefault(r.id, List.of())));
      }
      Long last = rows.size() == limit ? rows.get(rows.size() - 1).seq : null;
      return new Page(out, last);
    });
  }

  public FactsDao.Report facts(Caller c, String id) {
    return jdbi.withHandle(h -> {
      visibleRow(h, c, id);
      return new FactsDao(h, json).current(id).orElseThrow(
          () -> ApiException.notFound("id", "host " + id + " has no hardware facts yet"));
    });
  }

  public List<FactsDao.Report> factsHistory(Caller c, String id, int limit) {
    return jdbi.withHandle(h -> {
      visibleRow(h, c, id);
      return new FactsDao(h, json).history(id, limit);
    });
  }

  /** Throws 404 or 403 unless the caller may see the host. */
  public HostRow visibleRow(Handle h, Caller c, String id) {
    HostRow row = new HostDao(h).byId(id).orElseThrow(() -> notFound(id));
    c.requireSee(row.environment);
    return row;
  }

  // ---------------------------------------------------------------- writes

  public Host create(Caller c, HostInput in) {
    if (in == null) {
      throw ApiException.invalid("body", "a JSON object is required");
    }
    return write(() -> jdbi.inTransaction(h -> {
      HostDao dao = new HostDao(h);
      Instant now = DbConventions.now();
      HostRow row = new HostRow();
      row.id = UUID.randomUUID().toString();
      row.state = HostState.DISCOVERED;
      row.version = 1;
      row.createdAt = now;
      row.updatedAt = now;
      applyFields(h, row, in, null);
      if (in.role() != null || in.environment() != null) {
        assignRole(h, row, Checks.required("environment", in.environment()),
            Checks.required("role", in.role()));
      }
      c.requireChange(row.environment);
      // A host is found by its MACs (boot services, discovery): without one it could never
      // boot, and discovery would enlist the same machine again as a second host.
      if (in.nics() == null || in.nics().isEmpty()) {
        throw ApiException.invalid("nics", "a host needs at least one NIC: its boot NIC");
      }
      List<Nic> nics = checkNics(h, row.id, in.nics());
      dao.insert(row);
      dao.addNics(row.id, nics);
      Host after = Host.of(dao.byId(row.id).orElseThrow(), dao.nics(row.id));
      event(h, now, c.actor(), "host.created", row, null, after);
      return after;
    }));
  }

  /** PATCH: only fields present in {@code body} change; {@code in} is the same body, typed. */
  public Host patch(Caller c, String id, ObjectNode body, HostInput in, Long ifMatch) {
    Set<String> present = new HashSet<>();
    body.fieldNames().forEachRemaining(present::add);
    if (present.contains("environment") || present.contains("role")) {
      String f = present.contains("role") ? "role" : "environment";
      throw ApiException.invalid(f, "is changed with PUT /api/v1/hosts/{id}/role");
    }
    return mutate(c, id, ifMatch, (h, row) -> {
      Host was = Host.of(row, new HostDao(h).nics(id));
      applyFields(h, row, in, present);
      if (present.contains("nics")) {
        List<Nic> nics = in.nics() == null ? List.of() : checkNics(h, id, in.nics());
        // A host in an environment boots from its boot NIC (checkNics makes one of a
        // non-empty list): stripped of all, it would be re-enlisted as a new host.
        if (nics.isEmpty() && row.environment != null) {
          throw ApiException.invalid("nics", "host " + id + " is in environment "
              + row.environment + "; it keeps at least one NIC, its boot NIC");
        }
        new HostDao(h).replaceNics(id, nics);
      }
      // Nothing changed (an empty or repeated PATCH): no new version, so other clients'
      // If-Match stays valid, and no event.
      return Host.of(row, new HostDao(h).nics(id)).equals(was) ? null : "host.updated";
    });
  }

  public Host assignRole(Caller c, String id, String environment, String role, Long ifMatch) {
    String env = Checks.name("environment", environment);
    String name = Checks.name("role", role);
    return mutate(c, id, ifMatch, (h, row) -> {
      c.requireChange(env);
      if (row.state == HostState.RETIRED) {
        throw ApiException.conflict("state", "host " + id + " is retired; a retired host"
            + " takes no role");
      }
      assignRole(h, row, env, name);
      return "host.role_assigned";
    });
  }

  private void assignRole(Handle h, HostRow row, String environment, String role) {
    String env = Checks.name("environment", environment);
    String name = Checks.name("role", role);
    CatalogDao catalog = new CatalogDao(h, json);
    if (catalog.environment(env).isEmpty()) {
      throw ApiException.invalid("environment", "no environment named " + env);
    }
    Role r = catalog.role(env, name).orElseThrow(() -> ApiException.invalid(
        "role", "no role named " + name + " in environment " + env));
    row.environment = env;
    row.roleId = r.id();
    if (row.state == HostState.DISCOVERED) {
      row.state = HostState.READY;
    }
  }

  /**
   * Asks for a rebuild, which starts an install attempt: ready, deployed or failed go to
   * provisioning and the requester is recorded. Asking again while the rebuild is pending and
   * its installer has not started changes nothing (and records nothing); asking again once the
   * installer used its token starts a new attempt, the way to restart an install that stopped
   * (the booting host is otherwise told to wait: its token is never shown twice).
   */
  public Host rebuild(Caller c, String id, Long ifMatch) {
    return mutate(c, id, ifMatch, (h, row) -> {
      if (row.state == HostState.PROVISIONING && row.rebuildRequestedAt != null) {
        boolean installerStarted =
            row.provisioningTokenHash != null && row.provisioningTokenPending == null;
        if (!installerStarted) {
          return null;
        }
        row.endProvisioningToken();
        row.rebuildRequestedBy = c.name();
        row.rebuildRequestedAt = DbConventions.now();
        return "host.rebuild_requested:a new install attempt; the running installer's token"
            + " is revoked";
      }
      requireTransition(row, HostState.PROVISIONING, "rebuild");
      if (row.roleId == null) {
        throw ApiException.conflict("role", "host " + id + " has no role to rebuild into;"
            + " assign one with PUT /api/v1/hosts/{id}/role");
      }
      row.state = HostState.PROVISIONING;
      row.rebuildRequestedBy = c.name();
      row.rebuildRequestedAt = DbConventions.now();
      // A new attempt: no token until its install boot issues one, and the installed system's
      // check-in credential dies, so it cannot report the old image as current (that would make
      // the rebuild look done before the machine even rebooted).
      row.endProvisioningToken();
      row.checkinTokenHash = null;
      return "host.rebuild_requested";
    });
  }

  /** Retires the host; retiring a retired host changes nothing. */
  public Host retire(Caller c, String id, Long ifMatch) {
    return mutate(c, id, ifMatch, (h, row) -> {
      if (row.state == HostState.RETIRED) {
        return null;
      }
      row.state = HostState.RETIRED;
      row.rebuildRequestedAt = null;
      row.rebuildRequestedBy = null;
      row.endProvisioningToken();
      row.checkinTokenHash = null;
      return "host.retired";
    });
  }

  /** The boot flow's transitions: provisioning to deployed or failed, discovered to ready. */
  public Host transition(Caller c, String id, String state, String reason, Long ifMatch) {
    HostState target;
    try {
      target = HostState.of(Checks.required("state", state));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("state", e.getMessage());
    }
    if (target == HostState.PROVISIONING || target == HostState.RETIRED
        || target == HostState.DISCOVERED) {
      throw ApiException.invalid("state", "use POST /rebuild or /retire for " + target
          + "; this endpoint sets ready, deployed or failed");
    }
    String why = Checks.text("reason", reason, 1000);
    return mutate(c, id, ifMatch, (h, row) -> {
      if (row.state == target) {
        return null;
      }
      requireTransition(row, target, "move to " + target);
      row.state = target;
      if (target != HostState.PROVISIONING) {
        // The rebuild is no longer pending once the host left provisioning.
        row.rebuildRequestedAt = null;
        row.rebuildRequestedBy = null;
        row.endProvisioningToken();
      }
      if (target != HostState.DEPLOYED) {
        // Only an installed system checks in; an admin's "deployed" issues no credential.
        row.checkinTokenHash = null;
      }
      return why == null ? "host.state_set" : "host.state_set:" + why;
    });
  }

  /**
   * Records the image a host runs, which drives the in-sync view. Who may say so: the host
   * itself with its check-in token (issued at install success, dead at the next rebuild), or
   * an admin or operator of its environment (an audited override); see README "The API".
   */
  public Host checkIn(Caller c, String id, String imageName, String imageVersion) {
    String name = Checks.text("imageName", Checks.required("imageName", imageName), 200);
    String version =
        Checks.text("imageVersion", Checks.required("imageVersion", imageVersion), 200);
    return mutate(c, id, null, (h, row) -> {
      if (row.state == HostState.RETIRED) {
        throw ApiException.conflict("state", "host " + id + " is retired");
      }
      row.runningImageName = name;
      row.runningImageVersion = version;
      row.checkedInAt = DbConventions.now();
      return "host.checked_in";
    });
  }

  private static void requireTransition(HostRow row, HostState target, String what) {
    if (!row.state.canMoveTo(target)) {
      throw new ApiException(409, "state", "cannot " + what + " host " + row.id + " in state "
          + row.state + "; allowed from: " + HostState.names(target.allowedFrom()));
    }
  }

  /** A change to one host: edits the row in place, returns the event type or null for none. */
  @FunctionalInterface
  public interface Mutation {
    String apply(Handle h, HostRow row);
  }

  /**
   * Runs a mutation under the host's row lock. The lock serializes concurrent writers (so none
   * is lost), the version check catches a stale If-Match (412), and the conditional UPDATE keeps
   * a second Rackboot node honest too.
   */
  public Host mutate(Caller c, String id, Long ifMatch, Mutation m) {
    return write(() -> jdbi.inTransaction(h -> {
      HostDao dao = new HostDao(h);
      HostRow row = dao.byIdForUpdate(id).orElseThrow(() -> notFound(id));
      c.requireSee(row.environment);
      c.requireChange(row.environment);
      if (ifMatch != null && ifMatch != row.version) {
        throw new ApiException(412, "If-Match", "host " + id + " is at version " + row.version
            + ", not " + ifMatch + "; read it again and retry");
      }
      Host before = Host.of(row, dao.nics(id));
      HostState stateBefore = row.state;
      String type = m.apply(h, row);
      if (type == null) {
        return before;
      }
      String detail = null;
      int colon = type.indexOf(':');
      if (colon > 0) {
        detail = type.substring(colon + 1);
        type = type.substring(0, colon);
      }
      Instant now = DbConventions.now();
      row.updatedAt = now;
      if (!dao.update(row)) {
        throw new ApiException(409, "version", "host " + id + " changed meanwhile; retry");
      }
      Host after = Host.of(dao.byId(id).orElseThrow(), dao.nics(id));
      long ev = new EventDao(h, json).insert(now, c.actor(), type, id, row.hostname, before, after,
          detail);
      if (stateBefore != row.state) {
        new EventDao(h, json).insert(now, c.actor(), "host.state_changed", id, row.hostname,
            Map.of("state", stateBefore.wire()), Map.of("state", row.state.wire()),
            type + " (event " + ev + ")");
      }
      return after;
    }));
  }

  /**
   * Runs a write, turns a unique-key race into a 409, retries a deadlock, and wakes event
   * followers after the commit.
   */
  public <T> T write(java.util.function.Supplier<T> tx) {
    for (int attempt = 0; ; attempt++) {
      try {
        T result = tx.get();
        signal.fire();
        return result;
      } catch (ApiException e) {
        throw e;
      } catch (RuntimeException e) {
        if (isDeadlock(e) && attempt < 3) {
          continue;
        }
        if (DbConventions.isConstraintViolation(e)) {
          throw new ApiException(409, conflictField(e),
              "conflicts with a concurrent change (a MAC, hostname or name was just taken);"
                  + " read again and retry");
        }
        throw e;
      }
    }
  }

  /** The field of a unique key a concurrent write took first, by the constraint's name. */
  private static String conflictField(Throwable e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (m.contains("hostname")) {
      return "hostname";
    }
    return m.contains("nics") || m.contains("mac") ? "nics" : "name";
  }

  private static boolean isDeadlock(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLException s && "40001".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  void event(Handle h, Instant at, String actor, String type, HostRow row, Object before,
      Object after) {
    new EventDao(h, json).insert(at, actor, type, row.id, row.hostname, before, after, null);
  }

  // ---------------------------------------------------------------- validation

  /** Copies the editable fields present in the input onto the row, validating each. */
  private void applyFields(Handle h, HostRow row, HostInput in, Set<String> present) {
    if (has(present, "hostname")) {
      String name = Checks.hostname("hostname", in.hostname());
      if (name != null) {
        Optional<String> other = new HostDao(h).idByHostname(name);
        if (other.isPresent() && !other.get().equals(row.id)) {
          throw new ApiException(409, "hostname", "hostname " + name + " is already used by host "
              + other.get(), other.get());
        }
      }
      row.hostname = name;
    }
    if (has(present, "serial")) {
      row.serial = Checks.text("serial", in.serial(), 128);
    }
    if (has(present, "assetTag")) {
      row.assetTag = Checks.text("assetTag", in.assetTag(), 128);
    }
    if (has(present, "vendor")) {
      row.vendor = Checks.text("vendor", in.vendor(), 128);
    }
    if (has(present, "model")) {
      row.model = Checks.text("model", in.model(), 128);
    }
    if (has(present, "systemUuid")) {
      UUID u = Checks.uuid("systemUuid", in.systemUuid());
      row.systemUuid = u == null ? null : u.toString();
    }
    if (has(present, "rack")) {
      row.rack = Checks.text("rack", in.rack(), 64);
    }
    if (has(present, "rackPosition")) {
      Integer p = in.rackPosition();
      if (p != null && (p < 0 || p > 1000)) {
        throw ApiException.invalid("rackPosition", "must be between 0 and 1000, got " + p);
      }
      row.rackPosition = p;
    }
    if (has(present, "bmcAddress")) {
      row.bmcAddress = Checks.hostOrAddress("bmcAddress", in.bmcAddress());
    }
    if (has(present, "notes")) {
      row.notes = Checks.text("notes", in.notes(), 4000, true);
    }
  }

  private static boolean has(Set<String> present, String field) {
    return present == null || present.contains(field);
  }

  /**
   * Validates a NIC list for host {@code hostId}: MACs present and distinct, none on another
   * host (409 naming it), at most one boot NIC; the first becomes the boot NIC if none is.
   */
  List<Nic> checkNics(Handle h, String hostId, List<NicInput> input) {
    if (input.size() > MAX_NICS) {
      throw ApiException.invalid("nics", "at most " + MAX_NICS + " NICs, got " + input.size());
    }
    Map<MacAddress, Integer> seen = new LinkedHashMap<>();
    int boots = 0;
    for (int i = 0; i < input.size(); i++) {
      NicInput n = input.get(i);
      String f = "nics[" + i + "]";
      if (n == null) {
        throw ApiException.invalid(f, "must be an object with a mac");
      }
      Checks.unicastMac(f + ".mac", Checks.required(f + ".mac", n.mac()));
      Checks.text(f + ".name", n.name(), 32);
      if (seen.putIfAbsent(n.mac(), i) != null) {
        throw ApiException.invalid(f + ".mac", "MAC " + n.mac() + " is listed twice (also at nics["
            + seen.get(n.mac()) + "])");
      }
      if (Boolean.TRUE.equals(n.boot())) {
        boots++;
      }
    }
    if (boots > 1) {
      throw ApiException.invalid("nics", "at most one NIC may be the boot NIC, got " + boots);
    }
    HostDao dao = new HostDao(h);
    Map<MacAddress, String> owners = dao.owners(seen.keySet());
    for (Map.Entry<MacAddress, String> e : owners.entrySet()) {
      if (!e.getValue().equals(hostId)) {
        String other = e.getValue();
        String name = dao.byId(other).map(r -> r.hostname).orElse(null);
        throw new ApiException(409, "nics[" + seen.get(e.getKey()) + "].mac",
            "MAC " + e.getKey() + " is already on host " + other
                + (name == null ? "" : " (" + name + ")"), other);
      }
    }
    List<Nic> out = new ArrayList<>();
    for (int i = 0; i < input.size(); i++) {
      NicInput n = input.get(i);
      boolean boot = boots == 0 ? i == 0 : Boolean.TRUE.equals(n.boot());
      out.add(new Nic(n.mac(), Checks.text("nics[" + i + "].name", n.name(), 32), boot));
    }
    return out;
  }

  private static ApiException notFound(String id) {
    return ApiException.notFound("id", "no host with id " + id);
  }

  static boolean same(Object a, Object b) {
    return Objects.equals(a, b);
  }
}
