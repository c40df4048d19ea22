package org.rackboot.api.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricFilter;

/**
 * The Dropwizard gauges that are really counters. TFTP, proxy-DHCP and the boot event writer
 * keep their own LongAdders and show them as {@code Gauge<Long>}s; the bridge would export them
 * as Prometheus gauges, on which {@code rate()} is wrong. A new level (not a running total)
 * under these prefixes must be listed in {@link #LEVELS}.
 */
final class CountingGauges {

  private static final String[] COUNTING_PREFIXES = {"tftp.", "dhcpProxy.", "boot.events."};

  /** Gauges under those prefixes that go down as well as up. */
  private static final String[] LEVELS = {"tftp.active"};

  /** The running totals, to export as counters. */
  static final MetricFilter ONLY = (name, metric) -> metric instanceof Gauge && isCount(name);

  private CountingGauges() {}

  static boolean isCount(String dropwizardName) {
    for (String level : LEVELS) {
      if (dropwizardName.equals(level)) {
        return false;
      }
    }
    for (String prefix : COUNTING_PREFIXES) {
      if (dropwizardName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
