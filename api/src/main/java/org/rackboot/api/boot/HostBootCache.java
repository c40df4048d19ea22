package org.rackboot.api.boot;

import org.rackboot.dhcp.wire.MacAddress;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.core.BootHost;
import org.rackboot.api.core.ImageRef;
import org.rackboot.api.core.Role;
import org.rackboot.api.db.CatalogDao;
import org.rackboot.api.db.DbConventions;
import org.rackboot.api.db.HostDao;
import org.rackboot.api.http.RateLimitedLog;
import org.rackboot.api.service.EventSignal;
import org.rackboot.images.Catalog;
import org.rackboot.images.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory in memory, as the boot decision reads it: every host by MAC and by id with its
 * state, role, environment and assigned image; the roles; the manifests of images asked for.
 * Proxy-DHCP, TFTP and the iPXE script endpoint never run SQL to read it.
 *
 * <p>A background thread refreshes it when this process writes (the inventory's event signal)
 * and, for writes made by other Rackboot nodes sharing the database, when a cheap fingerprint of
 * the hosts, roles and pins tables changes. A reader that must see this node's own last write
 * (the script after a rebuild request) calls {@link #catchUp()} first, which refreshes only when
 * such a write happened since the last refresh.
 *
 * <p>A refresh reads only the hosts whose {@code updated_at} moved since the last one (every
 * host write, NIC changes included, sets it), so a discovery storm over a large inventory does
 * not reload every NIC per write. A full reload happens at start, when hosts disappear, when a
 * role or pin changed (they change every host of a role at once), and every
 * {@link #FULL_RELOAD_EVERY_NANOS} in case another node's clock lags behind ours.
 */
public final class HostBootCache implements BootInventory, Managed {

  private static final Logger LOG = LoggerFactory.getLogger(HostBootCache.class);
  private static final RateLimitedLog REFRESH_FAILURES = new RateLimitedLog(LOG);
  static final long FULL_RELOAD_EVERY_NANOS = 10L * 60 * 1_000_000_000L;

  /**
   * Row count, newest change and the sum of row versions of the hosts table, and the same of
   * roles and pins: when it moves, something changed. The version sum moves on every committed
   * update, also on one whose timestamp (taken before its commit) is older than the newest seen.
   */
  private record Fingerprint(long hosts, Instant newest, long versions, long roles,
      Instant rolesNewest, long roleVersions, long pins, Instant pinsNewest) {

    boolean sameRolesAndPins(Fingerprint o) {
      return roles == o.roles && java.util.Objects.equals(rolesNewest, o.rolesNewest)
          && roleVersions == o.roleVersions && pins == o.pins
          && java.util.Objects.equals(pinsNewest, o.pinsNewest);
    }
  }

  /**
   * How far before the newest change seen a refresh reads again: a transaction stamps its rows
   * before it commits, so one that commits after a later-stamped one has an older timestamp.
   */
  static final Duration LATE_COMMIT_SLACK = Duration.ofSeconds(30);

  private static final Fingerprint NOTHING_SEEN =
      new Fingerprint(0, null, 0, 0, null, 0, 0, null);

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final Catalog images;
  private final EventSignal signal;
  private final long refreshMillis;
  /** Replaced whole by a reload; changed in place by a refresh (packets read it meanwhile). */
  private volatile Map<MacAddress, BootHost> byMac = new ConcurrentHashMap<>();
  private volatile Map<String, BootHost> byId = new ConcurrentHashMap<>();
  private volatile Map<String, Role> roles = Map.of();
  /** Published manifests never change, so one read per image version is enough. */
  private final Map<ImageRef, Manifest> manifests = new ConcurrentHashMap<>();
  /**
   * When each image was last looked up and not found: a provisioning host whose image is missing
   * is asked about on every DHCP packet, and must not cost a query each time.
   */
  private final Map<ImageRef, Long> misses = new ConcurrentHashMap<>();
  static final long MISS_NANOS = 1_000_000_000L;
  /** Each host's MACs as last loaded, to drop the ones it no longer has; refresh thread only. */
  private Map<String, List<MacAddress>> macsByHost = new HashMap<>();
  private Fingerprint seen = NOTHING_SEEN;
  private volatile long seenGeneration = -1;
  private long lastFullReload;
  private volatile boolean running;
  private Thread refresher;

  public HostBootCache(Jdbi jdbi, ObjectMapper json, Catalog images, EventSignal signal,
      long refreshMillis) {
    this.jdbi = jdbi;
    this.json = json;
    this.images = images;
    this.signal = signal;
    this.refreshMillis = refreshMillis;
  }

  @Override
  public BootHost byMac(MacAddress mac) {
    return byMac.get(mac);
  }

  @Override
  public BootHost byId(String id) {
    return byId.get(id);
  }

  @Override
  public Role role(String roleId) {
    return roleId == null ? null : roles.get(roleId);
  }

  @Override
  public Optional<Manifest> manifest(ImageRef image) {
    Manifest m = manifests.get(image);
    if (m != null) {
      return Optional.of(m);
    }
    // Found manifests are kept for good (published versions never change); a miss is kept for
    // a second only, so an image published later is found within a second.
    Long missed = misses.get(image);
    long now = System.nanoTime();
    if (missed != null && now - missed < MISS_NANOS) {
      return Optional.empty();
    }
    Optional<Manifest> found = images.get(image.name(), image.version());
    if (found.isPresent()) {
      manifests.put(image, found.get());
      misses.remove(image);
    } else {
      misses.put(image, now);
    }
    return found;
  }

  public int size() {
    return byMac.size();
  }

  /**
   * Brings the view up to this node's last inventory write, if one happened since the last
   * refresh; otherwise costs nothing. For readers that must see their own node's writes.
   */
  public void catchUp() {
    if (signal.inventoryGeneration() != seenGeneration) {
      refresh();
    }
  }

  /** Loads the whole view now; the boot services call it once before they answer anything. */
  public synchronized void reload() {
    long generation = signal.inventoryGeneration();
    Fingerprint before = fingerprint();
    Map<MacAddress, BootHost> nextByMac = new ConcurrentHashMap<>();
    Map<String, BootHost> nextById = new ConcurrentHashMap<>();
    Map<String, List<MacAddress>> hosts = new HashMap<>();
    Map<String, Role> nextRoles = new HashMap<>();
    jdbi.useHandle(h -> {
      for (Role r : new CatalogDao(h, json).roles(null, null)) {
        nextRoles.put(r.id(), r);
      }
      Map<String, List<HostDao.BootViewRow>> rows = new LinkedHashMap<>();
      new HostDao(h).bootView(null,
          r -> rows.computeIfAbsent(r.host().id(), k -> new ArrayList<>(2)).add(r));
      rows.forEach((id, nics) -> {
        BootHost host = withBootMac(nics);
        nextById.put(id, host);
        List<MacAddress> macs = new ArrayList<>(nics.size());
        for (HostDao.BootViewRow n : nics) {
          if (n.mac() != null) {
            nextByMac.put(n.mac(), host);
            macs.add(n.mac());
          }
        }
        hosts.put(id, macs);
      });
    });
    roles = Map.copyOf(nextRoles);
    byMac = nextByMac;
    byId = nextById;
    macsByHost = hosts;
    seen = before;
    seenGeneration = generation;
    lastFullReload = System.nanoTime();
  }

  /** The host of a boot-view row set, with the MAC of its boot NIC. */
  private static BootHost withBootMac(List<HostDao.BootViewRow> nics) {
    BootHost h = nics.get(0).host();
    MacAddress boot = nics.stream().filter(HostDao.BootViewRow::boot).map(HostDao.BootViewRow::mac)
        .findFirst().orElse(null);
    return new BootHost(h.id(), h.hostname(), h.state(), h.environment(), h.serial(), h.rack(),
        h.roleId(), h.roleName(), h.assignedImage(), boot);
  }

  /**
   * Brings the view up to date with the database: nothing when the fingerprint has not moved,
   * the changed hosts when only hosts changed, everything when hosts were removed, a role or a
   * pin changed, or a full reload is due.
   */
  public synchronized void refresh() {
    long generation = signal.inventoryGeneration();
    Fingerprint now = fingerprint();
    if (now.equals(seen)) {
      seenGeneration = generation;
      return;
    }
    if (seen.newest() == null || now.hosts() < seen.hosts() || !now.sameRolesAndPins(seen)
        || System.nanoTime() - lastFullReload > FULL_RELOAD_EVERY_NANOS) {
      reload();
      return;
    }
    // Rows changed shortly before the last refresh are read again: harmless, and a row whose
    // transaction committed after that read (stamped before a newer one) is not missed.
    Map<String, List<HostDao.BootViewRow>> changed = new LinkedHashMap<>();
    jdbi.useHandle(h -> new HostDao(h).bootView(seen.newest().minus(LATE_COMMIT_SLACK),
        r -> changed.computeIfAbsent(r.host().id(), k -> new ArrayList<>(2)).add(r)));
    Map<MacAddress, BootHost> macMap = byMac;
    Map<String, BootHost> idMap = byId;
    changed.forEach((id, rows) -> {
      BootHost host = withBootMac(rows);
      idMap.put(id, host);
      // New entries first, stale ones after: a MAC the host keeps is never missing in between.
      List<MacAddress> macs = new ArrayList<>(rows.size());
      for (HostDao.BootViewRow r : rows) {
        if (r.mac() != null) {
          macMap.put(r.mac(), host);
          macs.add(r.mac());
        }
      }
      for (MacAddress old : macsByHost.getOrDefault(id, List.of())) {
        if (!macs.contains(old)) {
          macMap.computeIfPresent(old, (k, e) -> e.id().equals(id) ? null : e);
        }
      }
      macsByHost.put(id, macs);
    });
    seen = now;
    seenGeneration = generation;
  }

  private Fingerprint fingerprint() {
    return jdbi.withHandle(h -> h.createQuery("SELECT"
            + " (SELECT COUNT(*) FROM hosts) AS hosts,"
            + " (SELECT MAX(updated_at) FROM hosts) AS newest,"
            + " (SELECT COALESCE(SUM(version), 0) FROM hosts) AS versions,"
            + " (SELECT COUNT(*) FROM roles) AS roles,"
            + " (SELECT MAX(updated_at) FROM roles) AS roles_newest,"
            + " (SELECT COALESCE(SUM(version), 0) FROM roles) AS role_versions,"
            + " (SELECT COUNT(*) FROM image_pins) AS pins,"
            + " (SELECT MAX(pinned_at) FROM image_pins) AS pins_newest")
        .map((rs, ctx) -> new Fingerprint(rs.getLong("hosts"),
            DbConventions.instant(rs, "newest"), rs.getLong("versions"), rs.getLong("roles"),
            DbConventions.instant(rs, "roles_newest"), rs.getLong("role_versions"),
            rs.getLong("pins"), DbConventions.instant(rs, "pins_newest")))
        .one());
  }

  @Override
  public void start() {
    reload();
    running = true;
    refresher = new Thread(this::refreshLoop, "host-boot-cache");
    refresher.setDaemon(true);
    refresher.start();
  }

  private void refreshLoop() {
    while (running) {
      try {
        signal.awaitInventoryChange(refreshMillis);
        if (!running) {
          return;
        }
        refresh();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The database may be away for a while: keep serving the last view, try again later,
        // and say so once per interval rather than every refreshMillis for the whole outage.
        REFRESH_FAILURES.warn("refresh", "host boot cache refresh failed, keeping " + byMac.size()
            + " entries: " + e);
        try {
          Thread.sleep(refreshMillis);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    if (refresher != null) {
      refresher.interrupt();
      refresher.join(2000);
    }
  }
}
