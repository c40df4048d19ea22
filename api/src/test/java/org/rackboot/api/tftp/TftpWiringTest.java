package org.rackboot.api.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.lifecycle.JettyManaged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rackboot.api.TftpWiring;
import org.rackboot.api.config.TftpFactory;
import org.rackboot.api.UdpService;
import org.rackboot.tftp.Lookup;
import org.rackboot.tftp.TftpContent;
import org.rackboot.tftp.mina.TftpServer;

/** The TFTP service as the application wires it: managed, health-checked, with gauges. */
class TftpWiringTest {

  @TempDir Path root;
  @TempDir Path out;

  private TftpFactory factory(String extra) throws Exception {
    String json = "{\"bindAddress\":\"127.0.0.1\",\"port\":0,\"root\":\""
        + root.toString().replace("\\", "\\\\") + "\"" + extra + "}";
    return Jackson.newObjectMapper().readValue(json, TftpFactory.class);
  }

  /** The UDP services among the managed objects (a fresh Environment manages others too). */
  private static List<LifeCycle> udpServices(Environment env) {
    return env.lifecycle().getManagedObjects().stream()
        .filter(l -> l instanceof JettyManaged jm && jm.getManaged() instanceof UdpService)
        .toList();
  }

  private static long gauge(Environment env, String name) {
    return (Long) ((Gauge<?>) env.metrics().getGauges().get(name)).getValue();
  }

  private static int curl(int port, String file, Path dest) throws Exception {
    Process p = new ProcessBuilder("curl", "-sS", "--max-time", "30", "-o", dest.toString(),
        "tftp://127.0.0.1:" + port + "/" + file).redirectErrorStream(true).start();
    assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void servesTheRootAndReportsMetricsAndHealth() throws Exception {
    Files.write(root.resolve("undionly.kpxe"), new byte[70_000]);
    Environment env = new Environment("test");
    TftpServer server = TftpWiring.register(factory(""), env).orElseThrow();
    List<LifeCycle> managed = udpServices(env);
    assertThat(managed).hasSize(1);
    managed.get(0).start();
    try {
      assertThat(env.healthChecks().runHealthCheck("tftp").isHealthy()).isTrue();
      int port = server.localAddress().getPort();
      assertThat(curl(port, "undionly.kpxe", out.resolve("a"))).isZero();
      assertThat(Files.size(out.resolve("a"))).isEqualTo(70_000);
      assertThat(curl(port, "missing", out.resolve("b"))).isNotZero();
      long end = System.nanoTime() + 5_000_000_000L;
      while (gauge(env, "tftp.transfers.completed") < 1 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertThat(gauge(env, "tftp.transfers.completed")).isEqualTo(1);
      assertThat(gauge(env, "tftp.bytesSent")).isEqualTo(70_000);
      assertThat(gauge(env, "tftp.refusals.not_found")).isEqualTo(1);
      assertThat(gauge(env, "tftp.active")).isZero();
      // curl is lock-step: no window, nothing to segment.
      assertThat(gauge(env, "tftp.sends.segmented")).isZero();
    } finally {
      managed.get(0).stop();
    }
    assertThat(env.healthChecks().runHealthCheck("tftp").isHealthy()).isFalse();
  }

  @Test
  void segmentationOffloadIsOnUnlessTurnedOff() throws Exception {
    assertThat(factory("").settings().segmentationOffload()).isTrue();
    assertThat(factory(",\"segmentationOffload\":false").settings().segmentationOffload())
        .isFalse();
  }

  @Test
  void aFrontSourceAnswersBeforeTheRoot() throws Exception {
    Environment env = new Environment("test");
    TftpServer server = TftpWiring.register(factory(",\"maxBlockSize\":1468"), env,
        (path, client) -> path.equals("boot.ipxe")
            ? Lookup.found(TftpContent.of("#!ipxe\nchain http://x/\n"))
            : Lookup.notFound()).orElseThrow();
    LifeCycle svc = udpServices(env).get(0);
    svc.start();
    try {
      int port = server.localAddress().getPort();
      assertThat(curl(port, "boot.ipxe", out.resolve("s"))).isZero();
      assertThat(Files.readString(out.resolve("s"))).isEqualTo("#!ipxe\nchain http://x/\n");
    } finally {
      svc.stop();
    }
  }

  @Test
  void disabledRegistersNothing() throws Exception {
    Environment env = new Environment("test");
    assertThat(TftpWiring.register(factory(",\"enabled\":false"), env)).isEmpty();
    assertThat(udpServices(env)).isEmpty();
  }
}
