package org.rackboot.api.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import java.util.List;
import java.util.Map;

/**
 * The bridge's naming hook ({@code DropwizardExports} asks its label mapper for every metric's
 * name): first the bridge's own glob rules shorten a few long library prefixes, then {@link
 * PrometheusNames} makes the result a Rackboot name, with {@code _seconds} for timers.
 */
final class PrometheusNameMapper extends CustomLabelMapper {

  // The bridge passes a Meter's name with this suffix appended; the counter writer adds it again.
  private static final String METER_SUFFIX = "_total";

  /**
   * Dropwizard's instrumented Jetty handler names the application's HTTP metrics after its class
   * (io.dropwizard.jetty.MutableServletContextHandler.get-requests): "http." says what they are.
   */
  private static final List<MapperConfig> SHORTER_PREFIXES = List.of(
      new MapperConfig("io.dropwizard.jetty.MutableServletContextHandler.*", "http.${0}",
          Map.of()));

  private final MetricRegistry registry;

  PrometheusNameMapper(MetricRegistry registry) {
    super(SHORTER_PREFIXES);
    this.registry = registry;
  }

  @Override
  public String getName(String dropwizardName) {
    String name = dropwizardName.endsWith(METER_SUFFIX)
        ? dropwizardName.substring(0, dropwizardName.length() - METER_SUFFIX.length())
        : dropwizardName;
    String shorter = super.getName(name);
    // The bridge scales timers from nanoseconds to seconds; histograms keep their own unit.
    return registry.getMetrics().get(name) instanceof Timer
        ? PrometheusNames.ofSeconds(shorter)
        : PrometheusNames.of(shorter);
  }
}
