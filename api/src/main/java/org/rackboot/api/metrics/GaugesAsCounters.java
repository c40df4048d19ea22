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
 * Re-types every gauge another collector produces as a counter, keeping name, help and labels:
 * for the {@link CountingGauges}, which the Dropwizard bridge can only see as gauges. Other
 * snapshots pass unchanged.
 */
final class GaugesAsCounters implements MultiCollector {

  private final MultiCollector source;

  GaugesAsCounters(MultiCollector source) {
    this.source = source;
  }

  @Override
  public MetricSnapshots collect() {
    MetricSnapshots.Builder out = MetricSnapshots.builder();
    for (MetricSnapshot snapshot : source.collect()) {
      out.metricSnapshot(snapshot instanceof GaugeSnapshot g ? counter(g) : snapshot);
    }
    return out.build();
  }

  private static CounterSnapshot counter(GaugeSnapshot gauge) {
    MetricMetadata m = gauge.getMetadata();
    CounterSnapshot.Builder counter = CounterSnapshot.builder().name(m.getName());
    if (m.getHelp() != null) {
      counter.help(m.getHelp());
    }
    if (m.getUnit() != null) {
      counter.unit(m.getUnit());
    }
    for (GaugeDataPointSnapshot point : gauge.getDataPoints()) {
      counter.dataPoint(CounterDataPointSnapshot.builder()
          .value(point.getValue())
          .labels(point.getLabels())
          .build());
    }
    return counter.build();
  }
}
