package org.rackboot.api.service;

import org.rackboot.api.service.EventSignal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Boot events wake event readers, not the host cache; inventory writes wake both. */
class EventSignalTest {

  private static Thread waiter(CountDownLatch woke, EventSignal s, boolean inventoryOnly) {
    Thread t = new Thread(() -> {
      try {
        if (inventoryOnly) {
          s.awaitInventoryChange(60_000);
        } else {
          s.await(60_000);
        }
        woke.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void waitUntilWaiting(Thread t) throws InterruptedException {
    for (int i = 0; i < 500 && t.getState() != Thread.State.TIMED_WAITING; i++) {
      Thread.sleep(10);
    }
    assertThat(t.getState()).isEqualTo(Thread.State.TIMED_WAITING);
  }

  @Test
  void bootEventsWakeReadersButNotTheHostCache() throws InterruptedException {
    EventSignal s = new EventSignal();
    CountDownLatch readerWoke = new CountDownLatch(1);
    CountDownLatch cacheWoke = new CountDownLatch(1);
    Thread reader = waiter(readerWoke, s, false);
    Thread cache = waiter(cacheWoke, s, true);
    waitUntilWaiting(reader);
    waitUntilWaiting(cache);

    s.fireBootEvents();
    assertThat(readerWoke.await(30, TimeUnit.SECONDS)).isTrue();
    // Had the boot events woken the cache, it would be done well within this time.
    assertThat(cacheWoke.await(300, TimeUnit.MILLISECONDS)).isFalse();

    s.fire();
    assertThat(cacheWoke.await(30, TimeUnit.SECONDS)).isTrue();
    cache.join(5_000);
    assertThat(cache.isAlive()).isFalse();
  }

  @Test
  void anInventoryWriteWakesEventReaders() throws InterruptedException {
    EventSignal s = new EventSignal();
    CountDownLatch woke = new CountDownLatch(1);
    Thread reader = waiter(woke, s, false);
    waitUntilWaiting(reader);
    s.fire();
    assertThat(woke.await(30, TimeUnit.SECONDS)).isTrue();
  }
}
