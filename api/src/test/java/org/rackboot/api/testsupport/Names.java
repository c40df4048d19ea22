package org.rackboot.api.testsupport;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Unique hostnames, MACs and serials, so tests sharing one app never collide. */
public final class Names {

  private static final AtomicLong SEQ = new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));

  private Names() {}

  public static String host(String prefix) {
    return prefix + "-" + SEQ.incrementAndGet() + ".example.net";
  }

  /** A locally administered unicast MAC (02:...) never seen before in this JVM. */
  public static String mac() {
    long v = SEQ.incrementAndGet() * 7919 + ThreadLocalRandom.current().nextInt(1 << 16);
    return String.format(Locale.ROOT, "02:%02x:%02x:%02x:%02x:%02x", (v >> 32) & 0xff,
        (v >> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
  }

  public static String name(String prefix) {
    return prefix + SEQ.incrementAndGet();
  }
}
