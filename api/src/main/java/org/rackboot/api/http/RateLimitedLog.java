package org.rackboot.api.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * At most one WARN line per kind of failure per interval, for failures that repeat with every
 * request or packet while they last (the database away: hundreds of requests a second would
 * each log). The first occurrence is logged at once; the rest of the interval is only counted,
 * and the next line that gets through says how many were left out. No stack traces: the failure
 * is known and its one-line reason says which.
 */
public final class RateLimitedLog {

  /** Long enough that an outage of minutes logs a handful of lines, short enough to see it last. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private static final class Window {
    long lastLogged;
    long suppressed;
  }

  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  /** Kinds are constants in the code, so this map stays as small as the number of call sites. */
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public RateLimitedLog(Logger log) {
    this(log, DEFAULT_INTERVAL, System::nanoTime);
  }

  public RateLimitedLog(Logger log, Duration interval, LongSupplier nanoClock) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * Logs {@code message} as a WARN line unless a line of this {@code kind} was logged less than
   * the interval ago; then only counts it. Returns whether the line was logged.
   */
  public boolean warn(String kind, String message) {
    long now = nanoClock.getAsLong();
    long left;
    Window w = windows.computeIfAbsent(kind, k -> new Window());
    synchronized (w) {
      if (w.lastLogged != 0 && now - w.lastLogged < intervalNanos) {
        w.suppressed++;
        return false;
      }
      left = w.suppressed;
      w.suppressed = 0;
      // 0 means "never logged"; a clock that reads 0 exactly is nudged off it.
      w.lastLogged = now == 0 ? 1 : now;
    }
    if (left > 0) {
      log.warn("{} ({} more like it since the last such line, not logged)", message, left);
    } else {
      log.warn("{}", message);
    }
    return true;
  }
}
