package org.rackboot.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.MetricType;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.api.RackbootApplication;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.testdb.TestDatabase;

/**
 * {@code GET :8081/prometheus} on the whole application in-process (H2; the metrics do not
 * depend on the database), with TFTP on loopback and proxy-DHCP on private ports so their
 * metrics exist, after one TFTP transfer and one HTTP request so they have moved.
 *
 * <p>The Prometheus Java client 1.x writes the text format but has no parser for it; it also
 * serves the protobuf format, and its own generated protobuf classes parse that. So the
 * families, their types and their values are read from protobuf, and the text format is only
 * checked to be served with the same names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusEndpointTest {

  private static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
          + " encoding=delimited";
  private static final int FILE_SIZE = 3000;

  @TempDir static Path work;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TestDatabase db;
  private DropwizardTestSupport<RackbootConfiguration> app;
  private int tftpPort;

  @BeforeAll
  void start() throws Exception {
    db = TestDatabase.freshH2();
    tftpPort = freeUdpPort();
    Files.createDirectories(work.resolve("tftp"));
    Files.write(work.resolve("tftp").resolve("undionly.kpxe"), new byte[FILE_SIZE]);
    List<ConfigOverride> o = new ArrayList<>();
    o.add(ConfigOverride.config("server.applicationConnectors[0].port", "0"));
    o.add(ConfigOverride.config("server.applicationConnectors[0].bindHost", "127.0.0.1"));
    o.add(ConfigOverride.config("server.adminConnectors[0].port", "0"));
    o.add(ConfigOverride.config("server.adminConnectors[0].bindHost", "127.0.0.1"));
    o.add(ConfigOverride.config("tftp.bindAddress", "127.0.0.1"));
    o.add(ConfigOverride.config("tftp.port", String.valueOf(tftpPort)));
    o.add(ConfigOverride.config("tftp.root", work.resolve("tftp").toString()));
    o.add(ConfigOverride.config("dhcpProxy.interfaces", "lo"));
    // Replies to clients and relays go to these ports too: keep them all private to the test.
    o.add(ConfigOverride.config("dhcpProxy.port", String.valueOf(freeUdpPort())));
    o.add(ConfigOverride.config("dhcpProxy.bootServerPort", String.valueOf(freeUdpPort())));
    o.add(ConfigOverride.config("dhcpProxy.clientPort", String.valueOf(freeUdpPort())));
    o.add(ConfigOverride.config("dhcpProxy.relayPort", String.valueOf(freeUdpPort())));
    o.add(ConfigOverride.config("images.storeDir", work.resolve("images").toString()));
    o.add(ConfigOverride.config("images.minFreeSpace", "1MiB"));
    o.add(ConfigOverride.config("database.driverClass", db.driverClass()));
    o.add(ConfigOverride.config("database.url", db.url()));
    o.add(ConfigOverride.config("database.user", db.user()));
    o.add(ConfigOverride.config("database.password", db.password()));
    o.add(ConfigOverride.config("logging.level", "WARN"));
    app = new DropwizardTestSupport<>(RackbootApplication.class, configFile(),
        o.toArray(ConfigOverride[]::new));
    app.before();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (app != null) {
        app.after();
      }
    } finally {
      db.close();
    }
  }

  @Test
  void everyFamilyIsNamedAndTypedForPrometheus() throws Exception {
    tftpGet("undionly.kpxe");
    send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + app.getLocalPort() + "/no-such-page")).build());

    Map<String, MetricFamily> families = awaitFamilies(f -> counter(f,
        "rackboot_tftp_bytes_sent_total") >= FILE_SIZE);

    assertThat(families.get("rackboot_tftp_bytes_sent_total").getType())
        .isEqualTo(MetricType.COUNTER);
    assertThat(counter(families, "rackboot_tftp_bytes_sent_total")).isEqualTo(FILE_SIZE);
    assertThat(counter(families, "rackboot_tftp_transfers_completed_total")).isEqualTo(1);
    // A level, not a running total: stays a gauge.
    assertThat(families.get("rackboot_tftp_active").getType()).isEqualTo(MetricType.GAUGE);
    assertThat(families.get("rackboot_dhcp_proxy_offers_total").getType())
        .isEqualTo(MetricType.COUNTER);
    assertThat(families.get("rackboot_dhcp_proxy_ignored_not_pxe_total").getType())
        .isEqualTo(MetricType.COUNTER);
    assertThat(families.get("rackboot_boot_events_written_total").getType())
        .isEqualTo(MetricType.COUNTER);
    assertThat(families.get("rackboot_boot_cache_macs").getType()).isEqualTo(MetricType.GAUGE);

    // Jetty's request timer, in seconds, as a summary with at least the request above.
    MetricFamily requests = families.get("rackboot_http_requests_seconds");
    assertThat(requests.getType()).isEqualTo(MetricType.SUMMARY);
    assertThat(requests.getMetric(0).getSummary().getSampleCount()).isPositive();
    assertThat(families.get("rackboot_http_4xx_responses_total").getType())
        .isEqualTo(MetricType.COUNTER);
    // A Dropwizard Counter that goes down again: a gauge, without _total.
    assertThat(families.get("rackboot_http_active_requests").getType())
        .isEqualTo(MetricType.GAUGE);

    // The JVM through the client's JVM instrumentation, with its standard names.
    assertThat(families.get("jvm_memory_used_bytes").getType()).isEqualTo(MetricType.GAUGE);
    assertThat(families.get("process_cpu_seconds_total").getType())
        .isEqualTo(MetricType.COUNTER);

    assertThat(families.keySet()).allSatisfy(name ->
        assertThat(name).matches("rackboot_[a-z0-9_]+|jvm_[a-z0-9_]+|process_[a-z0-9_]+"));
    assertThat(families.keySet()).noneMatch(name -> name.startsWith("rackboot_jvm"));
  }

  @Test
  void theTextFormatIsServedWithTheSameNamesAndTheJsonStays() throws Exception {
    HttpResponse<String> text = send(admin("/prometheus").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain"));
    assertThat(text.body())
        .contains("# TYPE rackboot_tftp_bytes_sent_total counter\n")
        .contains("# TYPE rackboot_http_requests_seconds summary\n")
        .contains("# TYPE jvm_memory_used_bytes gauge\n");

    HttpResponse<String> json = send(admin("/metrics").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.body()).contains("\"tftp.bytesSent\"");
  }

  /** Scrapes the protobuf format until {@code ready} holds or 30 s have passed. */
  private Map<String, MetricFamily> awaitFamilies(
      Predicate<Map<String, MetricFamily>> ready) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Map<String, MetricFamily> families = scrapeProtobuf();
    while (!ready.test(families) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      families = scrapeProtobuf();
    }
    return families;
  }

  private Map<String, MetricFamily> scrapeProtobuf() throws Exception {
    HttpResponse<InputStream> r = send(admin("/prometheus").header("Accept", PROTOBUF).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/vnd.google.protobuf"));
    Map<String, MetricFamily> families = new LinkedHashMap<>();
    try (InputStream in = r.body()) {
      MetricFamily f;
      while ((f = MetricFamily.parseDelimitedFrom(in)) != null) {
        assertThat(families.put(f.getName(), f)).as("family %s twice", f.getName()).isNull();
      }
    }
    return families;
  }

  private static double counter(Map<String, MetricFamily> families, String name) {
    MetricFamily f = families.get(name);
    return f == null ? -1 : f.getMetric(0).getCounter().getValue();
  }

  private HttpRequest.Builder admin(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getAdminPort() + path))
        .timeout(Duration.ofSeconds(10));
  }

  private void send(HttpRequest request) throws Exception {
    send(request, HttpResponse.BodyHandlers.discarding());
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws Exception {
    return http.send(request, body);
  }

  /** One TFTP read over loopback with curl, as the TFTP wiring test does. */
  private void tftpGet(String file) throws Exception {
    Process p = new ProcessBuilder("curl", "-sS", "--max-time", "30",
        "-o", work.resolve("download").toString(),
        "tftp://127.0.0.1:" + tftpPort + "/" + file).redirectErrorStream(true).start();
    assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
  }

  private static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The committed configuration file, so the test runs the file operators use. */
  private static String configFile() {
    Path inModule = Path.of("..", "rackboot.yml");
    return (inModule.toFile().exists() ? inModule : Path.of("rackboot.yml")).toAbsolutePath()
        .normalize().toString();
  }
}
