package org.rackboot.api.service;

/**
 * A token bucket: {@code ratePerSecond} refill, {@code burst} capacity. Bounds the discovery
 * endpoint, which anything on the provisioning network can reach with the shared token.
 */
public final class RateLimiter {

  private final double ratePerSecond;
  private final double burst;
  private double tokens;
  private long last;

  public RateLimiter(double ratePerSecond, int burst) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.tokens = burst;
    this.last = System.nanoTime();
  }

  /** Takes one token; when none is left returns the seconds until one is (at least 1). */
  public synchronized long tryAcquire() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) / 1e9 * ratePerSecond);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerSecond));
  }
}
