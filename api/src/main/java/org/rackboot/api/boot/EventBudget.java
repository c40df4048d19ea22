package org.rackboot.api.boot;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A token bucket for {@code boot.dhcp} events about machines the inventory does not know.
 *
 * <p>Why: known hosts are bounded by the inventory, unknown MACs are not. A segment full of
 * machines that are not ours, or a flood of spoofed MACs, would otherwise put one row per MAC
 * into the event log and keep the event writer (one H2 or MariaDB insert each) busy on the core
 * that answers DHCP. Up to {@code burst} events pass at once (a rack powering on), then
 * {@code perSecond}. A refused event is not lost for good: its MAC is not marked as recorded, so
 * the machine's next request (PXE ROMs retry) tries again. Refusals are counted.
 */
public final class EventBudget {

  private static final long SECOND = 1_000_000_000L;

  private final long perSecond;
  private final long burst;
  private final LongSupplier nanoClock;
  private final LongAdder refused = new LongAdder();
  private long tokens;
  private long refilledAt;

  /** {@code perSecond} 0 means no limit. */
  public EventBudget(long perSecond, long burst, LongSupplier nanoClock) {
    if (perSecond < 0 || burst < 1) {
      throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoClock = Objects.requireNonNull(nanoClock);
    this.tokens = burst;
    this.refilledAt = nanoClock.getAsLong();
  }

  /** The production setting: {@code perSecond}, bursts of ten seconds' worth (at least 100). */
  public static EventBudget perSecond(int perSecond) {
    return new EventBudget(perSecond, Math.max(100, 10L * perSecond), System::nanoTime);
  }

  /** True if one more event may be recorded now (and takes its token). */
  public synchronized boolean tryTake() {
    if (perSecond == 0) {
      return true;
    }
    long now = nanoClock.getAsLong();
    // Capped so that the product cannot overflow after a long quiet spell.
    long whole = Math.min(now - refilledAt, 3600 * SECOND) * perSecond / SECOND;
    if (whole > 0) {
      if (tokens + whole > burst) {
        tokens = burst;
        refilledAt = now;
      } else {
        tokens += whole;
        // Keep the fraction of a token already earned: 3/s must give 3 a second.
        refilledAt += whole * SECOND / perSecond;
      }
    }
    if (tokens == 0) {
      refused.increment();
      return false;
    }
    tokens--;
    return true;
  }

  /** Events refused so far. */
  public long refused() {
    return refused.sum();
  }
}
