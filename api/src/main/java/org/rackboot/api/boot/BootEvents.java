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
import org.rackboot.api.service.EventSignal;
import org.rackboot.api.db.EventDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boot steps as events on their host (proxy-DHCP answer, TFTP file, HTTP artifact, install
 * progress), written by a background thread in batches (at most ten a second): the packet path
 * only offers to a bounded queue. When the queue is full the event is dropped and counted, never
 * waited for.
 */
public final class BootEvents implements Managed {

  private static final Logger LOG = LoggerFactory.getLogger(BootEvents.class);
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

  private record Pending(Instant at, String type, String hostId, String subject, Map<String, ?> detail) {}

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final EventSignal signal;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(10_000);
  private final LongAdder dropped = new LongAdder();
  private final LongAdder written = new LongAdder();
  private volatile boolean running;
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
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        if (running) {
          Thread.sleep(LINGER_MILLIS);
        }
        queue.drainTo(batch, MAX_BATCH - 1);
        List<EventDao.NewEvent> rows = new ArrayList<>(batch.size());
        for (Pending p : batch) {
          rows.add(new EventDao.NewEvent(p.at(), ACTOR, p.type(), p.hostId(), p.subject(), p.detail()));
        }
        // One JDBC batch per drain: one statement round trip, not one (with its key) per event.
        jdbi.useTransaction(h -> new EventDao(h, json).insertAll(rows));
        written.add(batch.size());
        // Wakes event followers (long-poll) at once, as the inventory's own writes do.
        signal.fireBootEvents();
      } catch (InterruptedException e) {
        running = false;
      } catch (RuntimeException e) {
        dropped.add(batch.size());
        LOG.warn("dropped {} boot events: {}", batch.size(), e.toString());
      } finally {
        batch.clear();
      }
    }
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    if (writer != null) {
      writer.join(3000);
    }
  }
}
