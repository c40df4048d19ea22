package org.rackboot.api.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.db.DatabaseOutage;
import org.rackboot.api.db.EventDao;
import org.rackboot.api.http.RateLimitedLog;
import org.rackboot.api.service.EventSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boot steps as events on their host (proxy-DHCP answer, TFTP file, HTTP artifact, install
 * progress), written by a background thread in batches (at most ten a second): the packet path
 * only offers to a bounded queue. When the queue is full the event is dropped and counted, never
 * waited for.
 *
 * <p>While the database is away the batch in hand is kept and tried again every
 * {@link #RETRY_MILLIS}; new events wait in the queue meanwhile, so an outage loses events only
 * once queue and batch are full (about {@code 10,000 + 5,000}: minutes of a busy segment). On
 * stop the writer gets {@link #DRAIN_MILLIS} to write what it holds, before the pool closes
 * (Dropwizard stops managed objects in reverse order, and the pool was registered first).
 */
public final class BootEvents implements Managed {

  private static final String ACTOR = "boot";
  /**
   * How long the writer waits after the first event of a batch for more: at most one
   * transaction a second, whatever the event rate. Each transaction (pool, statement, commit)
   * costs milliseconds of CPU that the proxy-DHCP thread waits out when both share a core; at
   * 100 ms, 20 events a second already meant a 1-3 ms stall every 150 ms and 1-2 % of DHCP
   * answers delayed by a millisecond or more (bench/dhcp). Event readers (long-poll) see a boot
   * event within about a second.
   */
  private static final long LINGER_MILLIS = 1000;
  private static final int MAX_BATCH = 5_000;
  private static final int QUEUE_SIZE = 10_000;
  /** How often a held batch is tried again while the database is away. */
  static final long RETRY_MILLIS = 1000;
  /** How long stop() lets the writer finish: held events are written if the database answers. */
  static final long DRAIN_MILLIS = 5000;
  private static final Logger LOG = LoggerFactory.getLogger(BootEvents.class);

  private record Pending(Instant at, String type, String hostId, String subject, Map<String, ?> detail) {}

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final EventSignal signal;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
  private final RateLimitedLog limited = new RateLimitedLog(LOG);
  private final LongAdder dropped = new LongAdder();
  private final LongAdder written = new LongAdder();
  private volatile boolean running;
  /** When stop() gives up on events the database does not take (System.nanoTime). */
  private volatile long drainDeadline;
  private Thread writer;

  public BootEvents(Jdbi jdbi, ObjectMapper json, EventSignal signal) {
    this.jdbi = jdbi;
    this.json = json;
    this.signal = signal;
  }

  /** Records {@code type} (for example boot.dhcp) for a host, or for no host when null. */
  public void record(String type, String hostId, String subject, Map<String, ?> detail) {
    if (!queue.offer(new Pending(Instant.now(), type, hostId, subject, detail))) {
      dropped.increment();
    }
  }

  public long dropped() {
    return dropped.sum();
  }

  public long written() {
    return written.sum();
  }

  @Override
  public void start() {
    running = true;
    writer = new Thread(this::writeLoop, "boot-events");
    writer.setDaemon(true);
    writer.start();
  }

  private void writeLoop() {
    // Events taken from the queue and not yet written; kept across attempts while the
    // database is away, so nothing is dropped until the queue behind it is full too.
    List<Pending> batch = new ArrayList<>();
    boolean held = false;
    while (running || !queue.isEmpty() || !batch.isEmpty()) {
      if (!running && System.nanoTime() - drainDeadline > 0) {
        int lost = batch.size() + queue.size();
        dropped.add(lost);
        LOG.warn("dropped {} boot events at stop: the database did not take them within {} ms",
            lost, DRAIN_MILLIS);
        return;
      }
      try {
        if (batch.isEmpty()) {
          Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          if (running) {
            Thread.sleep(LINGER_MILLIS);
          }
        }
        queue.drainTo(batch, MAX_BATCH - batch.size());
        List<EventDao.NewEvent> rows = new ArrayList<>(batch.size());
        for (Pending p : batch) {
          rows.add(new EventDao.NewEvent(p.at(), ACTOR, p.type(), p.hostId(), p.subject(), p.detail()));
        }
        // One JDBC batch per drain: one statement round trip, not one (with its key) per event.
        jdbi.useTransaction(h -> new EventDao(h, json).insertAll(rows));
        written.add(batch.size());
        if (held) {
          LOG.info("database back: wrote {} held boot events", batch.size());
          held = false;
        }
        batch.clear();
        // Wakes event followers (long-poll) at once, as the inventory's own writes do.
        signal.fireBootEvents();
      } catch (InterruptedException e) {
        beginDrain();
      } catch (RuntimeException e) {
        if (DatabaseOutage.is(e)) {
          held = true;
          limited.warn("held", "database unavailable: holding " + (batch.size() + queue.size())
              + " boot events, writing them when it answers (" + DatabaseOutage.reason(e) + ")");
          pause(running ? RETRY_MILLIS : 200);
        } else {
          // Not the database being away: these rows would fail again, do not block the rest.
          dropped.add(batch.size());
          limited.warn("failed", "dropped " + batch.size() + " boot events: " + e);
          batch.clear();
        }
      }
    }
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      beginDrain();
    }
  }

  /** Stops taking time between batches; what is held gets {@link #DRAIN_MILLIS} to be written. */
  private void beginDrain() {
    if (running) {
      drainDeadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
      running = false;
    }
  }

  @Override
  public void stop() throws InterruptedException {
    beginDrain();
    if (writer != null) {
      // The writer ends by itself: queue and batch written, or the drain deadline passed.
      writer.join(DRAIN_MILLIS + 2000);
    }
  }
}
