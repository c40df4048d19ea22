package org.rackboot.api.service;

/**
 * Wakes long-polling event readers when this process writes an event, and the boot services'
 * host cache when an event changed the inventory. Readers also re-query on a short timer,
 * because another Rackboot node sharing the database writes events too.
 */
public final class EventSignal {

  private long events;
  private long inventoryChanges;

  /** An inventory write (with its audit event): wakes every waiter. */
  public synchronized void fire() {
    events++;
    inventoryChanges++;
    notifyAll();
  }

  /**
   * Boot events were written (DHCP answers, TFTP files): wakes event readers only. Why: they
   * come many times a second while machines boot, change no host, and a host cache refresh
   * for each batch would be one more database round trip on the core that answers DHCP.
   */
  public synchronized void fireBootEvents() {
    events++;
    notifyAll();
  }

  /** How many inventory writes this process has made: readers compare it to what they saw. */
  public synchronized long inventoryGeneration() {
    return inventoryChanges;
  }

  /** Waits until the next event of any kind or at most {@code millis}. */
  public synchronized void await(long millis) throws InterruptedException {
    awaitChange(millis, false);
  }

  /** Waits until the next inventory write or at most {@code millis}. */
  public synchronized void awaitInventoryChange(long millis) throws InterruptedException {
    awaitChange(millis, true);
  }

  private void awaitChange(long millis, boolean inventoryOnly) throws InterruptedException {
    long start = inventoryOnly ? inventoryChanges : events;
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while ((inventoryOnly ? inventoryChanges : events) == start) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return;
      }
      wait(left);
    }
  }
}
