package org.rackboot.api.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.rackboot.api.core.BootHost;
import org.rackboot.api.core.HostRow;
import org.rackboot.api.core.ImageRef;
import org.rackboot.api.core.HostState;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.api.core.Nic;

/** Hosts and their NICs. Every statement binds its values; no input is ever spliced into SQL. */
public final class HostDao {

  /**
   * The image a host should run: its role's pin in its environment (promotion and rollback move
   * pins), else the image named on the role. This is the only place the rule is written: the host
   * record, the {@code inSync} filter, the drift list and the boot services' view all read it
   * through these two expressions, so they never disagree.
   */
  private static final String ASSIGNED_NAME =
      "CASE WHEN p.role IS NULL THEN r.image_name ELSE p.image_name END";
  private static final String ASSIGNED_VERSION =
      "CASE WHEN p.role IS NULL THEN r.image_version ELSE p.image_version END";

  private static final String WITH_ROLE_AND_PIN =
      " FROM hosts h LEFT JOIN roles r ON r.id = h.role_id"
          + " LEFT JOIN image_pins p ON p.role = r.name AND p.environment = h.environment";

  private static final String SELECT =
      "SELECT h.*, r.name AS role_name, " + ASSIGNED_NAME + " AS assigned_image_name, "
          + ASSIGNED_VERSION + " AS assigned_image_version" + WITH_ROLE_AND_PIN;

  /** What the boot services' view holds of a host, one row per NIC (or one without a NIC). */
  private static final String BOOT_VIEW =
      "SELECT h.id, h.hostname, h.state, h.environment, h.serial, h.rack, h.role_id,"
          + " r.name AS role_name, " + ASSIGNED_NAME + " AS assigned_image_name, "
          + ASSIGNED_VERSION + " AS assigned_image_version, n.mac, n.boot"
          + WITH_ROLE_AND_PIN + " LEFT JOIN nics n ON n.host_id = h.id";

  private final Handle h;

  public HostDao(Handle h) {
    this.h = h;
  }

  /** What a host list may be narrowed by; null fields do not narrow. */
  public record Filter(
      HostState state,
      String role,
      String environment,
      String rack,
      MacAddress mac,
      String serial,
      String hostnamePrefix,
      Boolean inSync) {}

  public Optional<HostRow> byId(String id) {
    return h.createQuery(SELECT + " WHERE h.id = :id").bind("id", id).map(HostDao::row).findOne();
  }

  /** Reads the row and locks it until the transaction ends (SELECT ... FOR UPDATE). */
  public Optional<HostRow> byIdForUpdate(String id) {
    // The lock is taken on hosts only: H2 refuses FOR UPDATE over an outer join.
    if (h.createQuery("SELECT id FROM hosts WHERE id = :id FOR UPDATE").bind("id", id)
        .mapTo(String.class).findOne().isEmpty()) {
      return Optional.empty();
    }
    return byId(id);
  }

  /** The host that has this MAC, in one indexed join (the boot path's hot lookup). */
  public Optional<HostRow> byMac(MacAddress mac) {
    return h.createQuery(SELECT + " JOIN nics n ON n.host_id = h.id WHERE n.mac = :mac")
        .bind("mac", mac).map(HostDao::row).findOne();
  }

  /** One NIC of a host in the boot view; {@code mac} is null for a host without NICs. */
  public record BootViewRow(MacAddress mac, boolean boot, BootHost host) {}

  /**
   * The boot view of every host changed at or after {@code since} (all hosts when null): the
   * host, its role, its assigned image and its NICs, in one query.
   */
  public void bootView(Instant since, java.util.function.Consumer<BootViewRow> each) {
    Query q = h.createQuery(BOOT_VIEW + (since == null ? "" : " WHERE h.updated_at >= :since"));
    if (since != null) {
      q.bind("since", DbConventions.ts(since));
    }
    q.map((rs, ctx) -> new BootViewRow(
            rs.getString("mac") == null ? null : MacAddress.parse(rs.getString("mac")),
            rs.getBoolean("boot"),
            new BootHost(rs.getString("id"), rs.getString("hostname"),
                HostState.of(rs.getString("state")), rs.getString("environment"),
                rs.getString("serial"), rs.getString("rack"), rs.getString("role_id"),
                rs.getString("role_name"),
                ImageRef.ofNullable(rs.getString("assigned_image_name"),
                    rs.getString("assigned_image_version")),
                null)))
        .forEach(each);
  }

  public Optional<String> idByMac(MacAddress mac) {
    return h.createQuery("SELECT host_id FROM nics WHERE mac = :mac").bind("mac", mac)
        .mapTo(String.class).findOne();
  }

  public Optional<String> idByHostname(String hostname) {
    return h.createQuery("SELECT id FROM hosts WHERE hostname = :n").bind("n", hostname)
        .mapTo(String.class).findOne();
  }

  public List<String> idsBySystemUuid(String uuid) {
    return h.createQuery("SELECT id FROM hosts WHERE system_uuid = :u ORDER BY seq")
        .bind("u", uuid).mapTo(String.class).list();
  }

  public List<String> idsBySerial(String serial) {
    return h.createQuery("SELECT id FROM hosts WHERE serial = :s ORDER BY seq")
        .bind("s", serial).mapTo(String.class).list();
  }

  /** For each of the MACs that some host has: which host. */
  public Map<MacAddress, String> owners(Collection<MacAddress> macs) {
    Map<MacAddress, String> out = new LinkedHashMap<>();
    if (macs.isEmpty()) {
      return out;
    }
    h.createQuery("SELECT mac, host_id FROM nics WHERE mac IN (<macs>)")
        .bindList("macs", List.copyOf(macs))
        .map((rs, ctx) -> Map.entry(MacAddress.parse(rs.getString("mac")), rs.getString("host_id")))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  public List<Nic> nics(String hostId) {
    return h.createQuery("SELECT * FROM nics WHERE host_id = :id ORDER BY mac")
        .bind("id", hostId).map(HostDao::nic).list();
  }

  /** NICs of many hosts at once, so a page of hosts costs two queries, not n+1. */
  public Map<String, List<Nic>> nics(Collection<String> hostIds) {
    Map<String, List<Nic>> out = new LinkedHashMap<>();
    if (hostIds.isEmpty()) {
      return out;
    }
    h.createQuery("SELECT * FROM nics WHERE host_id IN (<ids>) ORDER BY mac")
        .bindList("ids", List.copyOf(hostIds))
        .map((rs, ctx) -> Map.entry(rs.getString("host_id"), nic(rs, ctx)))
        .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return out;
  }

  /**
   * One page of hosts in insertion order after {@code afterSeq}. {@code scope} null means every
   * environment; otherwise only hosts of those environments (never unassigned ones).
   */
  public List<HostRow> list(Filter f, Set<String> scope, long afterSeq, int limit) {
    StringBuilder sql = new StringBuilder(SELECT).append(" WHERE h.seq > :after");
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("after", afterSeq);
    if (f.state() != null) {
      sql.append(" AND h.state = :state");
      binds.put("state", f.state().wire());
    }
    if (f.environment() != null) {
      sql.append(" AND h.environment = :env");
      binds.put("env", f.environment());
    }
    if (f.role() != null) {
      sql.append(" AND r.name = :role");
      binds.put("role", f.role());
    }
    if (f.rack() != null) {
      sql.append(" AND h.rack = :rack");
      binds.put("rack", f.rack());
    }
    if (f.serial() != null) {
      sql.append(" AND h.serial = :serial");
      binds.put("serial", f.serial());
    }
    if (f.mac() != null) {
      sql.append(" AND h.id IN (SELECT n.host_id FROM nics n WHERE n.mac = :mac)");
      binds.put("mac", f.mac());
    }
    if (f.hostnamePrefix() != null) {
      sql.append(" AND h.hostname LIKE :prefix ESCAPE '!'");
      binds.put("prefix", likePrefix(f.hostnamePrefix().toLowerCase(Locale.ROOT)));
    }
    if (f.inSync() != null) {
      // In sync: an assigned image, and the host last reported running exactly that image.
      String same = "(h.running_image_name IS NOT NULL AND h.running_image_name = "
          + ASSIGNED_NAME + " AND h.running_image_version = " + ASSIGNED_VERSION + ")";
      sql.append(" AND ").append(ASSIGNED_NAME).append(" IS NOT NULL AND ")
          .append(f.inSync() ? same : "NOT " + same);
    }
    if (scope != null) {
      if (scope.isEmpty()) {
        return List.of();
      }
      sql.append(" AND h.environment IN (<scope>)");
    }
    sql.append(" ORDER BY h.seq LIMIT :limit");
    binds.put("limit", limit);
    Query q = h.createQuery(sql.toString()).bindMap(binds);
    if (scope != null) {
      q.bindList("scope", List.copyOf(scope));
    }
    return q.map(HostDao::row).list();
  }

  private static String likePrefix(String p) {
    return p.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }

  public void insert(HostRow r) {
    h.createUpdate("INSERT INTO hosts (id, hostname, state, environment, role_id, serial,"
            + " asset_tag, vendor, model, system_uuid, rack, rack_position, bmc_address, notes,"
            + " running_image_name, running_image_version, checked_in_at, provisioning_token_hash,"
            + " provisioning_token_pending, provisioning_token_mac, checkin_token_hash,"
            + " rebuild_requested_by, rebuild_requested_at, version, created_at, updated_at)"
            + " VALUES (:id, :hostname, :state, :environment, :roleId, :serial, :assetTag,"
            + " :vendor, :model, :systemUuid, :rack, :rackPosition, :bmcAddress, :notes,"
            + " :runningImageName, :runningImageVersion, :checkedInAt, :provisioningTokenHash,"
            + " :provisioningTokenPending, :provisioningTokenMac, :checkinTokenHash,"
            + " :rebuildRequestedBy, :rebuildRequestedAt, :version, :createdAt, :updatedAt)")
        .bindMap(values(r))
        .execute();
  }

  /**
   * Stores every column of the row if nobody changed it since {@code r.version} was read, and
   * bumps the version. False when the version moved on: the caller retries or answers 412.
   */
  public boolean update(HostRow r) {
    Map<String, Object> v = values(r);
    v.put("expected", r.version);
    int n = h.createUpdate("UPDATE hosts SET hostname = :hostname, state = :state,"
            + " environment = :environment, role_id = :roleId, serial = :serial,"
            + " asset_tag = :assetTag, vendor = :vendor, model = :model,"
            + " system_uuid = :systemUuid, rack = :rack, rack_position = :rackPosition,"
            + " bmc_address = :bmcAddress, notes = :notes,"
            + " running_image_name = :runningImageName,"
            + " running_image_version = :runningImageVersion, checked_in_at = :checkedInAt,"
            + " provisioning_token_hash = :provisioningTokenHash,"
            + " provisioning_token_pending = :provisioningTokenPending,"
            + " provisioning_token_mac = :provisioningTokenMac,"
            + " checkin_token_hash = :checkinTokenHash,"
            + " rebuild_requested_by = :rebuildRequestedBy,"
            + " rebuild_requested_at = :rebuildRequestedAt, version = version + 1,"
            + " updated_at = :updatedAt"
            + " WHERE id = :id AND version = :expected")
        .bindMap(v)
        .execute();
    if (n == 1) {
      r.version++;
    }
    return n == 1;
  }

  private static Map<String, Object> values(HostRow r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id);
    m.put("hostname", r.hostname);
    m.put("state", r.state.wire());
    m.put("environment", r.environment);
    m.put("roleId", r.roleId);
    m.put("serial", r.serial);
    m.put("assetTag", r.assetTag);
    m.put("vendor", r.vendor);
    m.put("model", r.model);
    m.put("systemUuid", r.systemUuid);
    m.put("rack", r.rack);
    m.put("rackPosition", r.rackPosition);
    m.put("bmcAddress", r.bmcAddress);
    m.put("notes", r.notes);
    m.put("runningImageName", r.runningImageName);
    m.put("runningImageVersion", r.runningImageVersion);
    m.put("checkedInAt", DbConventions.ts(r.checkedInAt));
    m.put("provisioningTokenHash", r.provisioningTokenHash);
    m.put("provisioningTokenPending", r.provisioningTokenPending);
    m.put("provisioningTokenMac", r.provisioningTokenMac);
    m.put("checkinTokenHash", r.checkinTokenHash);
    m.put("rebuildRequestedBy", r.rebuildRequestedBy);
    m.put("rebuildRequestedAt", DbConventions.ts(r.rebuildRequestedAt));
    m.put("version", r.version);
    m.put("createdAt", DbConventions.ts(r.createdAt));
    m.put("updatedAt", DbConventions.ts(r.updatedAt));
    return m;
  }

  /** Replaces the host's NICs with {@code nics}. */
  public void replaceNics(String hostId, List<Nic> nics) {
    h.createUpdate("DELETE FROM nics WHERE host_id = :id").bind("id", hostId).execute();
    addNics(hostId, nics);
  }

  public void addNics(String hostId, List<Nic> nics) {
    for (Nic n : nics) {
      h.createUpdate("INSERT INTO nics (mac, host_id, name, boot) VALUES (:mac, :host, :name, :boot)")
          .bind("mac", n.mac()).bind("host", hostId).bind("name", n.name()).bind("boot", n.boot())
          .execute();
    }
  }

  /**
   * Marks the attempt's provisioning token as used: its re-sendable copy is erased, so no later
   * script fetch (by anyone, the boot NIC included) is shown it again. Only when {@code hash}
   * is still the host's token: a rebuild meanwhile started another attempt. No version bump:
   * nothing an API client reads changes.
   */
  public void claimProvisioningToken(String hostId, String hash) {
    h.createUpdate("UPDATE hosts SET provisioning_token_pending = NULL WHERE id = :id"
            + " AND provisioning_token_hash = :hash AND provisioning_token_pending IS NOT NULL")
        .bind("id", hostId).bind("hash", hash).execute();
  }

  public long count() {
    return h.createQuery("SELECT COUNT(*) FROM hosts").mapTo(Long.class).one();
  }

  static HostRow row(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws SQLException {
    HostRow r = new HostRow();
    r.seq = rs.getLong("seq");
    r.id = rs.getString("id");
    r.hostname = rs.getString("hostname");
    r.state = HostState.of(rs.getString("state"));
    r.environment = rs.getString("environment");
    r.roleId = rs.getString("role_id");
    r.serial = rs.getString("serial");
    r.assetTag = rs.getString("asset_tag");
    r.vendor = rs.getString("vendor");
    r.model = rs.getString("model");
    r.systemUuid = rs.getString("system_uuid");
    r.rack = rs.getString("rack");
    r.rackPosition = DbConventions.intOrNull(rs, "rack_position");
    r.bmcAddress = rs.getString("bmc_address");
    r.notes = rs.getString("notes");
    r.runningImageName = rs.getString("running_image_name");
    r.runningImageVersion = rs.getString("running_image_version");
    r.checkedInAt = DbConventions.instant(rs, "checked_in_at");
    r.provisioningTokenHash = rs.getString("provisioning_token_hash");
    r.provisioningTokenPending = rs.getString("provisioning_token_pending");
    r.provisioningTokenMac = rs.getString("provisioning_token_mac");
    r.checkinTokenHash = rs.getString("checkin_token_hash");
    r.rebuildRequestedBy = rs.getString("rebuild_requested_by");
    r.rebuildRequestedAt = DbConventions.instant(rs, "rebuild_requested_at");
    r.version = rs.getLong("version");
    r.createdAt = DbConventions.instant(rs, "created_at");
    r.updatedAt = DbConventions.instant(rs, "updated_at");
    r.roleName = rs.getString("role_name");
    r.assignedImage = ImageRef.ofNullable(rs.getString("assigned_image_name"),
        rs.getString("assigned_image_version"));
    return r;
  }

  static Nic nic(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws SQLException {
    return new Nic(MacAddress.parse(rs.getString("mac")), rs.getString("name"), rs.getBoolean("boot"));
  }
}
