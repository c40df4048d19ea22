package org.rackboot.dhcp.pxe;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.rackboot.dhcp.wire.MessageType;

/**
 * Counters of the proxy-DHCP service. Plain {@link LongAdder}s so this module needs no metrics
 * library; the application publishes them (Dropwizard gauges) by name from {@link #snapshot()}.
 */
public final class ProxyDhcpStats {

  /** Architectures counted individually; higher codes go to "other". */
  static final int ARCH_SLOTS = 32;

  private final LongAdder received = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder offers = new LongAdder();
  private final LongAdder acks = new LongAdder();
  private final LongAdder sendErrors = new LongAdder();
  private final EnumMap<MessageType, LongAdder> byType = new EnumMap<>(MessageType.class);
  private final LongAdder[] byArch = new LongAdder[ARCH_SLOTS];
  private final LongAdder archOther = new LongAdder();
  private final LongAdder archNone = new LongAdder();
  private final EnumMap<IgnoreReason, LongAdder> ignored = new EnumMap<>(IgnoreReason.class);

  public ProxyDhcpStats() {
    for (MessageType t : MessageType.values()) {
      byType.put(t, new LongAdder());
    }
    for (int i = 0; i < ARCH_SLOTS; i++) {
      byArch[i] = new LongAdder();
    }
    for (IgnoreReason r : IgnoreReason.values()) {
      ignored.put(r, new LongAdder());
    }
  }

  void countReceived() {
    received.increment();
  }

  void countMalformed() {
    malformed.increment();
  }

  void request(MessageType type, int arch) {
    byType.get(type).increment();
    if (arch < 0) {
      archNone.increment();
    } else if (arch < ARCH_SLOTS) {
      byArch[arch].increment();
    } else {
      archOther.increment();
    }
  }

  void ignored(IgnoreReason reason) {
    ignored.get(reason).increment();
  }

  void offer() {
    offers.increment();
  }

  void ack() {
    acks.increment();
  }

  /** A reply the transport could not send (ENETUNREACH and the like). */
  public void sendError() {
    sendErrors.increment();
  }

  public long received() {
    return received.sum();
  }

  public long malformedCount() {
    return malformed.sum();
  }

  public long offers() {
    return offers.sum();
  }

  public long acks() {
    return acks.sum();
  }

  public long sendErrors() {
    return sendErrors.sum();
  }

  public long requests(MessageType type) {
    return byType.get(type).sum();
  }

  public long requestsByArch(int arch) {
    return arch >= 0 && arch < ARCH_SLOTS ? byArch[arch].sum() : archOther.sum();
  }

  public long ignoredCount(IgnoreReason reason) {
    return ignored.get(reason).sum();
  }

  /**
   * Every counter by a stable name ("requests.discover", "requests.arch.7", "ignored.not-pxe",
   * "malformed", ...). The key set is the same on every call, so gauges can be registered once.
   */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("received", received.sum());
    m.put("malformed", malformed.sum());
    m.put("offers", offers.sum());
    m.put("acks", acks.sum());
    m.put("send-errors", sendErrors.sum());
    byType.forEach((t, n) -> m.put("requests." + t.name().toLowerCase(), n.sum()));
    for (int i = 0; i < ARCH_SLOTS; i++) {
      m.put("requests.arch." + i, byArch[i].sum());
    }
    m.put("requests.arch.other", archOther.sum());
    m.put("requests.arch.none", archNone.sum());
    ignored.forEach((r, n) -> m.put("ignored." + r.metricName(), n.sum()));
    return m;
  }
}
