package org.rackboot.api;

import org.rackboot.api.core.StartupFailure;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.setup.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.rackboot.api.config.TftpFactory;
import org.rackboot.tftp.FileSystemSource;
import org.rackboot.tftp.RefusalReason;
import org.rackboot.tftp.TftpSource;
import org.rackboot.tftp.TftpStats;
import org.rackboot.tftp.mina.TftpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the TFTP service from {@code tftp:} and hands it to Dropwizard's lifecycle. */
public final class TftpWiring {

  private static final Logger LOG = LoggerFactory.getLogger(TftpWiring.class);

  private TftpWiring() {}

  /** The TFTP service serving {@code tftp.root} and {@code tftp.bootLoaderDirs} only. */
  public static Optional<TftpServer> register(TftpFactory config, Environment environment) {
    return register(config, environment, null);
  }

  /**
   * The TFTP service; {@code front} (per-host generated files, image artifacts), when given, is
   * asked first; tftp.root, then the boot loaders of tftp.bootLoaderDirs, answer what it does
   * not find.
   */
  public static Optional<TftpServer> register(
      TftpFactory config, Environment environment, TftpSource front) {
    if (!config.isEnabled()) {
      return Optional.empty();
    }
    // tftp.root first, then the read-only boot-loader directories that exist (Debian's ipxe).
    List<TftpSource> sources = new ArrayList<>();
    if (front != null) {
      sources.add(front);
    }
    FileSystemSource files;
    try {
      files = new FileSystemSource(config.getRoot());
    } catch (IOException e) {
      throw new StartupFailure("cannot open tftp.root " + config.getRoot() + ": " + e, e);
    }
    sources.add(files);
    List<Path> served = new ArrayList<>(List.of(config.getRoot()));
    for (Path dir : config.getBootLoaderDirs()) {
      if (Files.isDirectory(dir)) {
        sources.add(new BootLoaderDirSource(dir));
        served.add(dir);
      }
    }
    TftpSource source = TftpSource.chain(sources.toArray(TftpSource[]::new));
    TftpStats stats = new TftpStats();
    TftpServer server = new TftpServer(config.settings(), source, stats);
    UdpService service = new UdpService("TFTP", "tftp.port", config.socketAddress(),
        UdpService.Listener.of(() -> {
          server.start();
          LOG.info("TFTP listening on UDP {}:{}, serving {}", config.getBindAddress(),
              config.getPort(), served);
        }, server::isBound, server::close));
    service.register(environment, "tftp");
    registerMetrics(environment.metrics(), stats);
    return Optional.of(server);
  }

  static void registerMetrics(MetricRegistry metrics, TftpStats s) {
    gauge(metrics, "active", s::activeTransfers);
    gauge(metrics, "transfers.started", s::transfersStarted);
    gauge(metrics, "transfers.completed", s::transfersCompleted);
    gauge(metrics, "transfers.failed", s::transfersFailed);
    gauge(metrics, "transfers.aborted", s::transfersAborted);
    gauge(metrics, "transfers.unconfirmed", s::transfersUnconfirmed);
    gauge(metrics, "bytesSent", s::bytesSent);
    gauge(metrics, "retransmits", s::retransmits);
    gauge(metrics, "sends.segmented", s::segmentedSends);
    gauge(metrics, "sends.segmentationRefused", s::segmentationRefusals);
    gauge(metrics, "packets.malformed", s::malformedPackets);
    gauge(metrics, "packets.wrongTid", s::wrongTidPackets);
    gauge(metrics, "requests.duplicate", s::duplicateRequests);
    for (RefusalReason r : RefusalReason.values()) {
      gauge(metrics, "refusals." + r.name().toLowerCase(java.util.Locale.ROOT),
          () -> s.refusals(r));
    }
  }

  private static void gauge(MetricRegistry metrics, String name, LongSupplier value) {
    metrics.register(MetricRegistry.name("tftp", name), (Gauge<Long>) value::getAsLong);
  }
}
