package org.rackboot.api.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * Re-types every counter another collector produces as a gauge, keeping name, help and labels.
 * A Dropwizard {@code Counter} goes down as well as up (Jetty's active-requests, an executor's
 * running tasks), but the bridge exports it as a Prometheus counter, which promises never to
 * go down; the running totals in Dropwizard are Meters, which stay counters.
 */
final class CountersAsGauges implements MultiCollector {

  private final MultiCollector source;

  CountersAsGauges(MultiCollector source) {
    this.source = source;
  }

  @Override
  public MetricSnapshots collect() {
    MetricSnapshots.Builder out = MetricSnapshots.builder();
    for (MetricSnapshot snapshot : source.collect()) {
      out.metricSnapshot(snapshot instanceof CounterSnapshot c ? gauge(c) : snapshot);
    }
    return out.build();
  }

  private static GaugeSnapshot gauge(CounterSnapshot counter) {
    MetricMetadata m = counter.getMetadata();
    GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(m.getName());
    if (m.getHelp() != null) {
      gauge.help(m.getHelp());
    }
    if (m.getUnit() != null) {
      gauge.unit(m.getUnit());
    }
    for (CounterDataPointSnapshot point : counter.getDataPoints()) {
      gauge.dataPoint(GaugeDataPointSnapshot.builder()
          .value(point.getValue())
          .labels(point.getLabels())
          .build());
    }
    return gauge.build();
  }
}
