package org.rackboot.api.core;

/**
 * Wakes long-polling event readers when this process writes an event. Readers also re-query on
 * a short timer, because another Rackboot node sharing the database writes events too.
 */
public final class EventSignal {

  private long generation;

  public synchronized void fire() {
    generation++;
    notifyAll();
  }

  /** Waits until the next {@link #fire()} or at most {@code millis}. */
  public synchronized void await(long millis) throws InterruptedException {
    long start = generation;
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (generation == start) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return;
      }
      wait(left);
    }
  }
}
