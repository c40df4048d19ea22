package org.rackboot.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.rackboot.tftp.TftpSettings;
import org.rackboot.tftp.transfer.TransferLimits;

/** The {@code tftp:} section of rackboot.yml. */
public class TftpFactory {

  @JsonProperty private boolean enabled = true;

  @NotEmpty @JsonProperty private String bindAddress = "0.0.0.0";

  @Min(0) @Max(65535) @JsonProperty private int port = 69;

  /** Directory of static boot files (iPXE binaries and the like). */
  @NotEmpty @JsonProperty private String root = "./var/tftp";

  /**
   * Read-only fallbacks for boot loaders tftp.root does not have, asked in this order by TFTP
   * and by HTTP boot (/boot/ipxe.efi): Debian's ipxe package puts undionly.kpxe, ipxe.efi and
   * snponly.efi in /usr/lib/ipxe, so nothing has to be copied. A directory that does not exist
   * is skipped.
   */
  @NotNull @JsonProperty private List<@NotEmpty String> bootLoaderDirs = List.of("/usr/lib/ipxe");

  /** Largest blksize granted (RFC 2348 allows up to 65464). */
  @Min(512) @Max(65464) @JsonProperty private int maxBlockSize = 65464;

  /** Largest windowsize granted (RFC 7440). */
  @Min(1) @Max(32767) @JsonProperty private int maxWindowSize = 64;

  /** Retransmit timeout when the client sends no timeout option. */
  @NotNull @JsonProperty private Duration retransmitTimeout = Duration.seconds(1);

  /**
   * Follow the measured round trip when the client sets no timeout option (RFC 1123 4.2.3.2);
   * retransmitTimeout is then the initial and largest timeout.
   */
  @JsonProperty private boolean adaptiveTimeout = true;

  /** Retransmissions of one window before a transfer is abandoned. */
  @Min(0) @Max(100) @JsonProperty private int maxRetries = 5;

  /** Concurrent transfers overall. */
  @Min(1) @JsonProperty private int maxTransfers = 1000;

  /** Concurrent transfers per client IP address. */
  @Min(1) @JsonProperty private int maxTransfersPerClient = 32;

  /** Threads driving the transfer sockets; 0: one per two cores, 1 to 4. */
  @Min(0) @Max(64) @JsonProperty private int workerThreads = 0;

  /**
   * Windows (RFC 7440) go out as one UDP segmentation offload send each where the kernel and
   * JVM allow it (start-up logs which); false: one send per block.
   */
  @JsonProperty private boolean segmentationOffload = true;

  public boolean isEnabled() {
    return enabled;
  }

  public String getBindAddress() {
    return bindAddress;
  }

  public int getPort() {
    return port;
  }

  public Path getRoot() {
    return Path.of(root);
  }

  public List<Path> getBootLoaderDirs() {
    return bootLoaderDirs.stream().map(Path::of).toList();
  }

  /** tftp.root, then each of tftp.bootLoaderDirs: where boot loaders are looked up, in order. */
  public List<Path> bootLoaderSearchPath() {
    List<Path> all = new java.util.ArrayList<>();
    all.add(getRoot());
    all.addAll(getBootLoaderDirs());
    return List.copyOf(all);
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(bindAddress, port);
  }

  public TftpSettings settings() {
    long timeoutMicros = Math.max(1000, retransmitTimeout.toMicroseconds());
    return new TftpSettings(socketAddress(),
        new TransferLimits(maxBlockSize, maxWindowSize, timeoutMicros, maxRetries,
            adaptiveTimeout),
        maxTransfers, maxTransfersPerClient, workerThreads > 0 ? workerThreads
            : TftpSettings.defaultWorkerThreads(Runtime.getRuntime().availableProcessors()),
        segmentationOffload);
  }
}
