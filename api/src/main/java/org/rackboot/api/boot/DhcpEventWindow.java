package org.rackboot.api.boot;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.rackboot.api.core.HostState;

/**
 * Which proxy-DHCP answers are worth a {@code boot.dhcp} event: the first answer of a boot
 * attempt, not every packet of it. A PXE ROM retries DISCOVER (4, 8, 16, 32 s apart), EDK2 asks
 * again on port 4011 and a boot loop asks many times a second; one event per attempt is what
 * the host's history needs, and one insert per packet is what would overload the event writer.
 *
 * <p>An answer is recorded when its MAC was last recorded more than {@code window} ago, or with
 * another {@link Signature} (another architecture, boot file, host or host state: a new boot
 * stage, such as iPXE after the ROM, or the next boot of a host whose state changed). Repeats
 * inside the window are only counted. A window of zero records every answer.
 *
 * <p>Memory is bounded: above {@code maxMacs} remembered MACs the expired ones are dropped, and
 * if that is not enough the memory is cleared (a few extra events, never unbounded growth).
 */
public final class DhcpEventWindow {

  /** What makes two answers to one MAC the same boot step. */
  public record Signature(int arch, String bootFile, String hostId, HostState hostState) {}

  private record Seen(Signature signature, long atNanos) {}

  private static final BooleanSupplier ALWAYS = () -> true;

  private final long windowNanos;
  private final int maxMacs;
  private final LongSupplier nanoClock;
  private final Map<String, Seen> lastRecorded = new ConcurrentHashMap<>();
  private final LongAdder suppressed = new LongAdder();

  public DhcpEventWindow(long windowMillis, int maxMacs, LongSupplier nanoClock) {
    if (windowMillis < 0 || maxMacs < 1) {
      throw new IllegalArgumentException("window " + windowMillis + " ms, max " + maxMacs);
    }
    this.windowNanos = windowMillis * 1_000_000L;
    this.maxMacs = maxMacs;
    this.nanoClock = Objects.requireNonNull(nanoClock);
  }

  /** The production setting: {@code windowSeconds}, up to 100,000 MACs, System.nanoTime. */
  public static DhcpEventWindow ofSeconds(int windowSeconds) {
    return new DhcpEventWindow(windowSeconds * 1000L, 100_000, System::nanoTime);
  }

  /**
   * True when this answer should be recorded as an event (and it is remembered as recorded);
   * false when it repeats one recorded inside the window (it is counted as suppressed).
   */
  public boolean shouldRecord(String mac, Signature signature) {
    return shouldRecord(mac, signature, ALWAYS);
  }

  /**
   * As {@link #shouldRecord(String, Signature)}, but an answer that would be recorded is first
   * put to {@code admit} (an {@link EventBudget}); when it says no, the answer is neither
   * recorded nor remembered, so the MAC's next answer is a first answer again.
   */
  public boolean shouldRecord(String mac, Signature signature, BooleanSupplier admit) {
    if (windowNanos == 0) {
      return admit.getAsBoolean();
    }
    long now = nanoClock.getAsLong();
    Seen prev = lastRecorded.get(mac);
    if (prev != null && prev.signature.equals(signature) && now - prev.atNanos < windowNanos) {
      suppressed.increment();
      return false;
    }
    if (!admit.getAsBoolean()) {
      return false;
    }
    Seen next = new Seen(signature, now);
    // Two threads answering the same MAC at once (ports 67 and 4011): only one records.
    boolean mine = prev == null
        ? lastRecorded.putIfAbsent(mac, next) == null
        : lastRecorded.replace(mac, prev, next);
    if (!mine) {
      suppressed.increment();
      return false;
    }
    if (prev == null && lastRecorded.size() > maxMacs) {
      evict(now);
    }
    return true;
  }

  private void evict(long now) {
    lastRecorded.values().removeIf(s -> now - s.atNanos >= windowNanos);
    if (lastRecorded.size() > maxMacs) {
      lastRecorded.clear();
    }
  }

  /** Answers not recorded because they repeated a recorded one. */
  public long suppressed() {
    return suppressed.sum();
  }

  /** MACs remembered now (for tests and the gauge). */
  public int size() {
    return lastRecorded.size();
  }
}
