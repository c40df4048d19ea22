package org.rackboot.api.boot;

import io.dropwizard.lifecycle.Managed;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.core.EventSignal;
import org.rackboot.api.core.HostState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the packet path needs to know about hosts, by MAC, in memory: proxy-DHCP and TFTP never
 * run SQL per packet. A background thread reloads the whole map when this process writes (the
 * inventory's event signal) and, for writes made by other Rackboot nodes sharing the database,
 * when a cheap fingerprint of the hosts table changes.
 */
public final class HostBootCache implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(HostBootCache.class);

  /** One NIC's host: enough to decide whether to answer it at all. */
  public record Entry(String hostId, HostState state, String hostname) {}

  private final Jdbi jdbi;
  private final EventSignal signal;
  private final long refreshMillis;
  private volatile Map<String, Entry> byMac = Map.of();
  private volatile String fingerprint = "";
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

  /** Loads the map now; the boot services call it once before they answer anything. */
  public void reload() {
    Map<String, Entry> next = new HashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT n.mac, h.id, h.state, h.hostname FROM nics n"
                        + " JOIN hosts h ON h.id = n.host_id")
                .map(
                    (rs, ctx) -> {
                      next.put(
                          rs.getString(1),
                          new Entry(rs.getString(2), HostState.of(rs.getString(3)), rs.getString(4)));
                      return null;
                    })
                .list());
    byMac = Map.copyOf(next);
  }

  private String currentFingerprint() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*), MAX(updated_at) FROM hosts")
                .map((rs, ctx) -> rs.getLong(1) + "/" + rs.getString(2))
                .one());
  }

  @Override
  public void start() {
    fingerprint = currentFingerprint();
    reload();
    running = true;
    refresher = new Thread(this::refreshLoop, "host-boot-cache");
    refresher.setDaemon(true);
    refresher.start();
  }

  private void refreshLoop() {
    while (running) {
      try {
        signal.await(refreshMillis);
        if (!running) {
          return;
        }
        String now = currentFingerprint();
        if (!Objects.equals(now, fingerprint)) {
          fingerprint = now;
          reload();
        }
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
