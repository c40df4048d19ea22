package org.rackboot.api.boot;

import io.dropwizard.lifecycle.Managed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.service.EventSignal;
import org.rackboot.api.core.HostState;
import org.rackboot.api.db.DbConventions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the packet path needs to know about hosts, by MAC, in memory: proxy-DHCP and TFTP never
 * run SQL per packet. A background thread refreshes the map when this process writes (the
 * inventory's event signal) and, for writes made by other Rackboot nodes sharing the database,
 * when a cheap fingerprint of the hosts table changes.
 *
 * <p>A refresh reads only the hosts whose {@code updated_at} moved since the last one (every
 * host write, NIC changes included, sets it), so a discovery storm over a large inventory does
 * not reload every NIC per write. A full reload still happens at start, when hosts disappear, and
 * every {@link #FULL_RELOAD_EVERY_NANOS} in case another node's clock lags behind ours.
 */
public final class HostBootCache implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(HostBootCache.class);
  static final long FULL_RELOAD_EVERY_NANOS = 10L * 60 * 1_000_000_000L;

  /** One NIC's host: enough to decide whether to answer it at all. */
  public record Entry(String hostId, HostState state, String hostname) {}

  /** One row of a refresh: a changed host and one of its MACs (null when it has none). */
  private record NicRow(String hostId, String mac, Entry entry) {}

  /**
   * Row count, newest change and the sum of row versions of the hosts table: when it moves,
   * something changed. The version sum moves on every committed update, also on one whose
   * timestamp (taken before its commit) is older than the newest already seen.
   */
  private record Fingerprint(long hosts, Instant newest, long versions) {}

  /**
   * How far before the newest change seen a refresh reads again: a transaction stamps its rows
   * before it commits, so one that commits after a later-stamped one has an older timestamp.
   */
  static final java.time.Duration LATE_COMMIT_SLACK = java.time.Duration.ofSeconds(30);

  private final Jdbi jdbi;
  private final EventSignal signal;
  private final long refreshMillis;
  /** Replaced whole by a reload; changed in place by a refresh (packets read it meanwhile). */
  private volatile Map<String, Entry> byMac = new ConcurrentHashMap<>();
  /** Each host's MACs as last loaded, to drop the ones it no longer has; refresh thread only. */
  private Map<String, List<String>> macsByHost = new HashMap<>();
  private Fingerprint seen = new Fingerprint(0, null, 0);
  private long lastFullReload;
  private volatile boolean running;
  private Thread refresher;

  public HostBootCache(Jdbi jdbi, EventSignal signal, long refreshMillis) {
    this.jdbi = jdbi;
    this.signal = signal;
    this.refreshMillis = refreshMillis;
  }

  /** The host that owns {@code mac} (lower-case colon form), or null when none does. */
  public Entry lookup(String mac) {
    return byMac.get(mac);
  }

  public int size() {
    return byMac.size();
  }

  /** Loads the whole map now; the boot services call it once before they answer anything. */
  public synchronized void reload() {
    Fingerprint before = fingerprint();
    Map<String, Entry> next = new ConcurrentHashMap<>();
    Map<String, List<String>> hosts = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT n.mac, h.id, h.state, h.hostname FROM nics n"
            + " JOIN hosts h ON h.id = n.host_id")
        .map((rs, ctx) -> {
          String mac = rs.getString(1);
          String id = rs.getString(2);
          next.put(mac, new Entry(id, HostState.of(rs.getString(3)), rs.getString(4)));
          hosts.computeIfAbsent(id, k -> new ArrayList<>(2)).add(mac);
          return null;
        })
        .list());
    byMac = next;
    macsByHost = hosts;
    seen = before;
    lastFullReload = System.nanoTime();
  }

  /**
   * Brings the map up to date with the database: nothing when the fingerprint has not moved, the
   * changed hosts when it has, everything when hosts were removed or a full reload is due.
   */
  public synchronized void refresh() {
    Fingerprint now = fingerprint();
    if (now.equals(seen)) {
      return;
    }
    if (seen.newest() == null || now.hosts() < seen.hosts()
        || System.nanoTime() - lastFullReload > FULL_RELOAD_EVERY_NANOS) {
      reload();
      return;
    }
    // Rows changed shortly before the last refresh are read again: harmless, and a row whose
    // transaction committed after that read (stamped before a newer one) is not missed.
    Map<String, List<NicRow>> changed = new LinkedHashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT h.id, h.state, h.hostname, n.mac FROM hosts h"
            + " LEFT JOIN nics n ON n.host_id = h.id WHERE h.updated_at >= :since")
        .bind("since", DbConventions.ts(seen.newest().minus(LATE_COMMIT_SLACK)))
        .map((rs, ctx) -> new NicRow(rs.getString(1), rs.getString(4),
            new Entry(rs.getString(1), HostState.of(rs.getString(2)), rs.getString(3))))
        .forEach(r -> changed.computeIfAbsent(r.hostId(), k -> new ArrayList<>(2)).add(r)));
    Map<String, Entry> map = byMac;
    changed.forEach((id, rows) -> {
      // New entries first, stale ones after: a MAC the host keeps is never missing in between.
      List<String> macs = new ArrayList<>(rows.size());
      for (NicRow r : rows) {
        if (r.mac() != null) {
          map.put(r.mac(), r.entry());
          macs.add(r.mac());
        }
      }
      for (String old : macsByHost.getOrDefault(id, List.of())) {
        if (!macs.contains(old)) {
          map.computeIfPresent(old, (k, e) -> e.hostId().equals(id) ? null : e);
        }
      }
      macsByHost.put(id, macs);
    });
    seen = now;
  }

  private Fingerprint fingerprint() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) AS hosts, MAX(updated_at) AS newest,"
            + " COALESCE(SUM(version), 0) AS versions FROM hosts")
        .map((rs, ctx) -> new Fingerprint(rs.getLong("hosts"), DbConventions.instant(rs, "newest"),
            rs.getLong("versions")))
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
        // The database may be away for a while: keep serving the last map, try again later.
        LOG.warn("host boot cache refresh failed, keeping {} entries: {}", byMac.size(), e.toString());
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
