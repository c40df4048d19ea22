package org.rackboot.api.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET :8081/prometheus}: every Dropwizard metric but the JVM's, named by {@link
 * PrometheusNames}, and the JVM and process through the Prometheus client's own JVM
 * instrumentation ({@code jvm_*}, {@code process_*}: standard names, units and types that
 * dashboards expect, where Dropwizard's {@code jvm.*} gauges have neither units nor counters).
 * Types follow what a metric means rather than its Dropwizard class: the {@link CountingGauges}
 * become counters, Dropwizard Counters (levels) gauges, Meters counters, Timers summaries in
 * seconds. The Dropwizard JSON stays at {@code /metrics}.
 */
public final class PrometheusEndpoint {

  public static final String PATH = "/prometheus";

  private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);

  // Dropwizard's jvm.* gauges are left to the JVM instrumentation (see above).
  private static final String JVM = "jvm.";

  /** Dropwizard Counters, which Rackboot's libraries use for levels: exported as gauges. */
  private static final MetricFilter LEVEL_COUNTERS =
      (name, metric) -> metric instanceof Counter && !name.startsWith(JVM);

  /** The rest: exported as the bridge maps them. */
  private static final MetricFilter AS_BRIDGED = (name, metric) -> !name.startsWith(JVM)
      && !LEVEL_COUNTERS.matches(name, metric) && !CountingGauges.ONLY.matches(name, metric);

  private PrometheusEndpoint() {}

  /** Adds the servlet to the admin port; its registry is this application's own. */
  public static PrometheusRegistry register(Environment environment) {
    // Not PrometheusRegistry.defaultRegistry: an application started twice in one JVM (as tests
    // do) would register its collectors twice there and every scrape would fail on duplicates.
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricRegistry metrics = environment.metrics();
    PrometheusNameMapper names = new PrometheusNameMapper(metrics);

    // Three views of one Dropwizard registry, each metric in exactly one; the two re-typed
    // ones go through registries of their own that only the re-typing collectors scrape.
    bridge(metrics, names, AS_BRIDGED).register(registry);
    PrometheusRegistry countingGauges = new PrometheusRegistry();
    bridge(metrics, names, CountingGauges.ONLY).register(countingGauges);
    registry.register(new GaugesAsCounters(countingGauges::scrape));
    PrometheusRegistry levelCounters = new PrometheusRegistry();
    bridge(metrics, names, LEVEL_COUNTERS).register(levelCounters);
    registry.register(new CountersAsGauges(levelCounters::scrape));
    JvmMetrics.builder().register(registry);

    environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry))
        .addMapping(PATH);
    return registry;
  }

  private static DropwizardExports.Builder bridge(
      MetricRegistry metrics, PrometheusNameMapper names, MetricFilter filter) {
    return DropwizardExports.builder()
        .dropwizardRegistry(metrics)
        .metricFilter(filter)
        .customLabelMapper(names)
        // A gauge that throws leaves its metric out of this scrape, not the whole scrape; the
        // JSON /metrics shows the same gauge failing.
        .invalidMetricHandler((name, e) -> {
          LOG.debug("metric {} left out of the Prometheus scrape: {}", name, e.toString());
          return true;
        });
  }
}
