package org.rackboot.dhcp.pxe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.rackboot.dhcp.wire.MacAddress;

/**
 * A token bucket per MAC address, so one client in a boot loop cannot flood the decision path.
 * Memory is bounded: past {@code maxTracked} MACs, idle buckets are dropped (a dropped bucket
 * only means that MAC starts again with a full bucket).
 */
public final class MacRateLimiter {

  private static final long NANOS = 1_000_000_000L;

  private final double perSecond;
  private final double burst;
  private final int maxTracked;
  private final LongSupplier clock;
  private final boolean unlimited;
  private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param perSecond sustained requests per second per MAC
   * @param burst requests a MAC may send at once
   * @param maxTracked MACs remembered before idle ones are forgotten
   * @param clock nanosecond clock ({@code System::nanoTime}; a fake in tests)
   */
  public MacRateLimiter(double perSecond, int burst, int maxTracked, LongSupplier clock) {
    this(perSecond, burst, maxTracked, clock, false);
  }

  private MacRateLimiter(double perSecond, int burst, int maxTracked, LongSupplier clock,
      boolean unlimited) {
    if (perSecond <= 0 || burst < 1 || maxTracked < 1) {
      throw new IllegalArgumentException("rate, burst and maxTracked must be positive");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxTracked = maxTracked;
    this.clock = clock;
    this.unlimited = unlimited;
  }

  /** A limiter that allows everything (tests, benchmarks of the decision path). */
  public static MacRateLimiter unlimited() {
    return new MacRateLimiter(1, 1, 1, () -> 0L, true);
  }

  /** Takes a token for {@code mac}; false means the request must be dropped. */
  public boolean tryAcquire(MacAddress mac) {
    if (unlimited) {
      return true;
    }
    long now = clock.getAsLong();
    Bucket b = buckets.get(mac.value());
    if (b == null) {
      if (buckets.size() >= maxTracked) {
        evictIdle(now);
      }
      b = buckets.computeIfAbsent(mac.value(), k -> new Bucket(burst, now));
    }
    return b.take(now, perSecond, burst);
  }

  private void evictIdle(long now) {
    // A bucket idle long enough to be full again holds no information.
    long idle = (long) (burst / perSecond * NANOS) + NANOS;
    buckets.values().removeIf(b -> now - b.last() > idle);
    if (buckets.size() >= maxTracked) {
      buckets.clear();
    }
  }

  int tracked() {
    return buckets.size();
  }

  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }

    synchronized long last() {
      return last;
    }

    synchronized boolean take(long now, double perSecond, double burst) {
      tokens = Math.min(burst, tokens + (now - last) * perSecond / NANOS);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
