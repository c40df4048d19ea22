package org.rackboot.api.service;

import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.Host;
import org.rackboot.api.core.HostRow;
import org.rackboot.api.core.HostState;
import org.rackboot.api.core.Checks;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.api.core.Nic;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.rackboot.api.db.DbConventions;
import org.rackboot.api.db.EventDao;
import org.rackboot.api.db.FactsDao;
import org.rackboot.api.db.HostDao;

/**
 * The discovery agent's report (lab/README.md: macs, interfaces, cpu, memory, disks, dmi) turned
 * into a host. A machine is known when any of its MACs, its SMBIOS UUID or its serial matches a
 * host; otherwise it becomes a new host in state discovered. Either way its hardware facts are
 * replaced by this report and the previous set stays in the history.
 *
 * <p>Hardware-reported strings are cleaned (control characters dropped, trimmed, cut), not
 * refused: a board with garbage in its DMI must still enlist. MACs are strict.
 *
 * <p>Discovery can't take a host. Whoever reports is on the provisioning network, so a report
 * may create an unknown machine or refresh a {@code discovered} host that has no role; it never
 * adds or moves a MAC of, nor changes the identity (serial, SMBIOS UUID) or BMC address of, a
 * host in an environment or with a role. Such a report is refused (409 naming the field,
 * nothing changed) and the refusal is recorded as a {@code discovery.refused} event on the
 * host. A report that matches such a host exactly (only its own MACs, the same serial and
 * UUID) stores its hardware facts in the history and changes nothing of the host record.
 */
public final class Discovery {

  /** What a report matched, and the resulting host. */
  public record Outcome(boolean created, Host host) {}

  /** Placeholders firmware ships instead of a real serial or UUID; they identify nothing. */
  private static final Set<String> JUNK = Set.of("", "0", "none", "n/a", "na", "default string",
      "to be filled by o.e.m.", "system serial number", "not specified", "not applicable",
      "0123456789", "123456789", "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff", "03000200-0400-0500-0006-000700080009");

  private static final String ACTOR = "discovery";

  private final Inventory inv;

  public Discovery(Inventory inventory) {
    this.inv = inventory;
  }

  /** The facts as they are stored and returned: the report's shape, normalized. */
  record Report(List<MacAddress> macs, MacAddress bootMac, String serial, String systemUuid,
      String vendor, String model, String bmcAddress, ObjectNode facts) {}

  /**
   * @param bootedFrom the MAC a per-boot discovery token was issued to (it booted the agent,
   *     so it is a new host's boot NIC); null for a report made with the shared secret
   * @param client the reporter's address, for the record of a refused report
   */
  public Outcome report(JsonNode body, MacAddress bootedFrom, String client) {
    Report parsed = parse(body);
    Report r = bootedFrom == null || !parsed.macs().contains(bootedFrom) ? parsed
        : new Report(parsed.macs(), bootedFrom, parsed.serial(), parsed.systemUuid(),
            parsed.vendor(), parsed.model(), parsed.bmcAddress(), parsed.facts());
    // A repeated report racing with itself (agents retry) loses the insert race once, then
    // finds the host the other request made.
    for (int attempt = 0; ; attempt++) {
      try {
        return inv.write(() -> inv.jdbi().inTransaction(h -> apply(h, r)));
      } catch (ApiException e) {
        if (e.status() == 409 && e.field() == null && attempt < 2) {
          continue;
        }
        if (e.status() == 409 && e.hostId() != null) {
          refused(e, r, bootedFrom, client);
        }
        throw e;
      }
    }
  }

  /**
   * Records a refused report on the host it was about, in a transaction of its own (the
   * report's was rolled back): an operator sees that someone tried, from where, with what.
   */
  private void refused(ApiException e, Report r, MacAddress bootedFrom, String client) {
    Map<String, Object> detail = new java.util.LinkedHashMap<>();
    detail.put("field", e.field());
    detail.put("reason", e.getMessage());
    detail.put("macs", r.macs().stream().map(MacAddress::toString).toList());
    detail.put("serial", r.serial());
    detail.put("systemUuid", r.systemUuid());
    detail.put("bootedFrom", bootedFrom == null ? null : bootedFrom.toString());
    detail.put("client", client);
    String id = e.hostId();
    inv.jdbi().useTransaction(h -> {
      String hostname = new HostDao(h).byId(id).map(row -> row.hostname).orElse(null);
      new EventDao(h, inv.json()).insert(DbConventions.now(), ACTOR, "discovery.refused", id,
          hostname, null, detail, e.field());
    });
    inv.signal().fire();
  }

  private Outcome apply(org.jdbi.v3.core.Handle h, Report r) {
    HostDao dao = new HostDao(h);
    Set<String> matches = new LinkedHashSet<>(dao.owners(r.macs()).values());
    if (r.systemUuid() != null) {
      matches.addAll(dao.idsBySystemUuid(r.systemUuid()));
    }
    if (r.serial() != null) {
      matches.addAll(dao.idsBySerial(r.serial()));
    }
    Instant now = DbConventions.now();
    if (matches.size() > 1) {
      throw new ApiException(409, "macs", "the report matches several hosts (" + String.join(", ",
          matches) + ") by MAC, SMBIOS UUID or serial; merge or retire them first",
          matches.iterator().next());
    }
    if (matches.isEmpty()) {
      HostRow row = new HostRow();
      row.id = UUID.randomUUID().toString();
      row.state = HostState.DISCOVERED;
      row.version = 1;
      row.createdAt = now;
      row.updatedAt = now;
      fill(row, r);
      dao.insert(row);
      List<Nic> nics = new ArrayList<>();
      for (MacAddress m : r.macs()) {
        nics.add(new Nic(m, interfaceName(r.facts(), m), m.equals(r.bootMac())));
      }
      dao.addNics(row.id, nics);
      new FactsDao(h, inv.json()).insert(row.id, now, r.facts());
      Host after = Host.of(dao.byId(row.id).orElseThrow(), dao.nics(row.id));
      new EventDao(h, inv.json()).insert(now, ACTOR, "host.discovered", row.id, null, null, after,
          null);
      return new Outcome(true, after);
    }
    String id = matches.iterator().next();
    HostRow row = dao.byIdForUpdate(id).orElseThrow();
    if (row.state != HostState.DISCOVERED && row.state != HostState.READY) {
      // Only unknown, discovered and ready machines are given the agent (BootResource): a report
      // about a provisioning, deployed, failed or retired host did not come from it, and must
      // not rewrite that host's identity, BMC address or NICs (the discovery token is on every
      // discovery boot's command line, so it is no secret on the provisioning network).
      throw new ApiException(409, "macs", "the report matches host " + id + ", which is "
          + row.state + ": only discovered and ready hosts report their hardware", id);
    }
    if (row.roleId != null || row.environment != null) {
      return refreshOnly(h, dao, row, r, now);
    }
    Host before = Host.of(row, dao.nics(id));
    fill(row, r);
    row.updatedAt = now;
    if (!dao.update(row)) {
      throw new ApiException(409, null, "host " + id + " changed meanwhile");
    }
    // New MACs join the host; known ones stay as they are (name and boot flag may be curated).
    Set<MacAddress> known = new LinkedHashSet<>();
    dao.nics(id).forEach(n -> known.add(n.mac()));
    List<Nic> added = new ArrayList<>();
    for (MacAddress m : r.macs()) {
      if (!known.contains(m)) {
        added.add(new Nic(m, interfaceName(r.facts(), m), known.isEmpty() && added.isEmpty()));
      }
    }
    dao.addNics(id, added);
    FactsDao facts = new FactsDao(h, inv.json());
    JsonNode previous = facts.current(id).map(FactsDao.Report::facts).orElse(null);
    facts.insert(id, now, r.facts());
    Host after = Host.of(dao.byId(id).orElseThrow(), dao.nics(id));
    new EventDao(h, inv.json()).insert(now, ACTOR, "host.facts_reported", id, row.hostname,
        Map.of("host", before, "facts", previous == null ? inv.json().nullNode() : previous),
        Map.of("host", after, "facts", r.facts()), null);
    return new Outcome(false, after);
  }

  /**
   * A report about a host in an environment or with a role: refused unless it matches the host
   * exactly, and then only its facts are kept. The shared discovery secret is no credential for
   * a host (it is configured on every node and was long printed in every discovery script), and
   * a per-boot token only proves which MAC booted the agent, which anyone can ask a script for.
   */
  private Outcome refreshOnly(org.jdbi.v3.core.Handle h, HostDao dao, HostRow row, Report r,
      Instant now) {
    String id = row.id;
    String owner = "host " + id + (row.hostname == null ? "" : " (" + row.hostname + ")")
        + " is in environment " + row.environment + " with role " + row.roleName
        + "; discovery never changes such a host (edit it through the API)";
    Set<MacAddress> known = new LinkedHashSet<>();
    dao.nics(id).forEach(n -> known.add(n.mac()));
    for (int i = 0; i < r.macs().size(); i++) {
      MacAddress m = r.macs().get(i);
      if (!known.contains(m)) {
        throw new ApiException(409, "macs", "the report would add MAC " + m + " to " + owner, id);
      }
    }
    if (r.serial() != null && !r.serial().equals(row.serial)) {
      throw new ApiException(409, "serial", "the report would change the serial of " + owner, id);
    }
    if (r.systemUuid() != null && !r.systemUuid().equals(row.systemUuid)) {
      throw new ApiException(409, "systemUuid",
          "the report would change the SMBIOS UUID of " + owner, id);
    }
    FactsDao facts = new FactsDao(h, inv.json());
    JsonNode previous = facts.current(id).map(FactsDao.Report::facts).orElse(null);
    facts.insert(id, now, r.facts());
    Host host = Host.of(row, dao.nics(id));
    new EventDao(h, inv.json()).insert(now, ACTOR, "host.facts_reported", id, row.hostname,
        Map.of("facts", previous == null ? inv.json().nullNode() : previous),
        Map.of("facts", r.facts()), "facts only: the host is in an environment");
    return new Outcome(false, host);
  }

  /** Identity and hardware fields come from the hardware; reported values replace stored ones. */
  private static void fill(HostRow row, Report r) {
    if (r.serial() != null) {
      row.serial = r.serial();
    }
    if (r.systemUuid() != null) {
      row.systemUuid = r.systemUuid();
    }
    if (r.vendor() != null) {
      row.vendor = r.vendor();
    }
    if (r.model() != null) {
      row.model = r.model();
    }
    if (r.bmcAddress() != null) {
      row.bmcAddress = r.bmcAddress();
    }
  }

  private static String interfaceName(ObjectNode facts, MacAddress mac) {
    for (JsonNode n : facts.path("nics")) {
      if (mac.toString().equals(n.path("mac").asText())) {
        return n.path("name").isTextual() ? n.path("name").asText() : null;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- parsing

  Report parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.invalid("body", "must be a JSON object of hardware facts");
    }
    ObjectNode facts = inv.json().createObjectNode();
    Set<MacAddress> macs = new LinkedHashSet<>();
    JsonNode macList = body.path("macs");
    if (!macList.isMissingNode() && !macList.isArray()) {
      throw ApiException.invalid("macs", "must be an array of MAC addresses");
    }
    for (int i = 0; i < macList.size(); i++) {
      macs.add(mac("macs[" + i + "]", macList.get(i)));
    }
    ArrayNode nics = facts.putArray("nics");
    MacAddress boot = null;
    JsonNode ifaces = body.path("interfaces");
    if (!ifaces.isMissingNode() && !ifaces.isArray()) {
      throw ApiException.invalid("interfaces", "must be an array");
    }
    for (int i = 0; i < ifaces.size(); i++) {
      JsonNode n = ifaces.get(i);
      String f = "interfaces[" + i + "]";
      if (!n.isObject()) {
        throw ApiException.invalid(f, "must be an object");
      }
      MacAddress m = mac(f + ".mac", n.path("mac"));
      macs.add(m);
      ObjectNode o = nics.addObject();
      o.put("name", clean(n.path("name"), 32));
      o.put("mac", m.toString());
      o.put("driver", clean(n.path("driver"), 64));
      o.put("ipv4", clean(n.path("ipv4"), 64));
      Long speed = number(n.path("speed_mbps").isMissingNode() ? n.path("speedMbps")
          : n.path("speed_mbps"));
      if (speed != null) {
        o.put("speedMbps", speed);
      } else {
        o.putNull("speedMbps");
      }
      // The interface that got an address is the one the machine booted from.
      if (boot == null && !o.path("ipv4").isNull()) {
        boot = m;
      }
    }
    if (macs.isEmpty()) {
      throw ApiException.invalid("macs", "the report names no MAC address");
    }
    if (macs.size() > Inventory.MAX_NICS) {
      throw ApiException.invalid("macs", "at most " + Inventory.MAX_NICS + " MACs");
    }
    if (boot == null) {
      boot = macs.iterator().next();
    }
    JsonNode dmi = body.path("dmi");
    ObjectNode dmiOut = facts.putObject("dmi");
    dmi.fields().forEachRemaining(e -> {
      if (dmiOut.size() < 64 && e.getKey().length() <= 64) {
        dmiOut.put(e.getKey(), clean(e.getValue(), 256));
      }
    });
    JsonNode cpu = body.path("cpu");
    ObjectNode cpuOut = facts.putObject("cpu");
    putNumber(cpuOut, "count", cpu.path("count"));
    putNumber(cpuOut, "cores", cpu.path("cores"));
    cpuOut.put("model", clean(cpu.path("model"), 256));
    JsonNode mem = body.path("memory");
    Long kb = number(mem.path("total_kb"));
    Long bytes = number(mem.path("total_bytes"));
    if (bytes == null && kb != null) {
      bytes = kb * 1024;
    }
    if (bytes != null) {
      facts.put("memoryBytes", bytes);
    } else {
      facts.putNull("memoryBytes");
    }
    ArrayNode disks = facts.putArray("disks");
    JsonNode dl = body.path("disks");
    for (int i = 0; i < Math.min(dl.size(), 64); i++) {
      JsonNode d = dl.get(i);
      ObjectNode o = disks.addObject();
      o.put("name", clean(d.path("name"), 64));
      putNumber(o, "sizeBytes", d.path("size_bytes").isMissingNode() ? d.path("sizeBytes")
          : d.path("size_bytes"));
      o.put("model", clean(d.path("model"), 128));
      o.put("serial", clean(d.path("serial"), 128));
      String rot = clean(d.path("rotational"), 8);
      if (rot != null) {
        o.put("rotational", rot.equals("1") || rot.equals("true"));
      }
    }
    for (String k : List.of("agent", "firmware", "kernel")) {
      facts.put(k, clean(body.path(k), 256));
    }
    String serial = identity(first(body, dmi, "serial", "product_serial", 128));
    String uuid = identity(first(body, dmi, "system_uuid", "product_uuid", 64));
    if (uuid != null) {
      try {
        uuid = UUID.fromString(uuid).toString();
      } catch (IllegalArgumentException e) {
        uuid = null; // not a UUID: keep it in the facts, do not match on it
      }
    }
    String vendor = first(body, dmi, "vendor", "sys_vendor", 128);
    String model = first(body, dmi, "model", "product_name", 128);
    String bmc = clean(body.path("bmc").isObject() ? body.path("bmc").path("address")
        : body.path("bmc_address"), 255);
    return new Report(List.copyOf(macs), boot, serial, uuid, vendor, model, bmc, facts);
  }

  private static MacAddress mac(String field, JsonNode n) {
    if (!n.isTextual()) {
      throw ApiException.invalid(field, "must be a MAC address string");
    }
    try {
      return Checks.unicastMac(field, MacAddress.parse(n.asText()));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field, e.getMessage());
    }
  }

  private static String first(JsonNode body, JsonNode dmi, String top, String dmiKey, int max) {
    String v = clean(body.path(top), max);
    return v != null ? v : clean(dmi.path(dmiKey), max);
  }

  private static String identity(String v) {
    return v == null || JUNK.contains(v.toLowerCase(Locale.ROOT)) ? null : v;
  }

  /** A scalar as clean text: control characters dropped, trimmed, cut; empty is null. */
  static String clean(JsonNode n, int max) {
    if (n == null || !n.isValueNode() || n.isNull()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    String s = n.asText();
    for (int i = 0; i < s.length() && out.length() < max; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && !(c >= 0x7f && c <= 0x9f)) {
        out.append(c);
      }
    }
    String t = out.toString().strip();
    return t.isEmpty() ? null : t;
  }

  private static Long number(JsonNode n) {
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isTextual()) {
      try {
        return Long.parseLong(n.asText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static void putNumber(ObjectNode o, String key, JsonNode n) {
    Long v = number(n);
    if (v != null) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }
}
