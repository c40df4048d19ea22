package org.rackboot.tftp.mina;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.rackboot.tftp.FileSystemSource;
import org.rackboot.tftp.RefusalReason;
import org.rackboot.tftp.TftpSettings;
import org.rackboot.tftp.TftpStats;
import org.rackboot.tftp.transfer.TransferLimits;

/**
 * Serves one directory by TFTP without the rest of Rackboot: for benchmarks and the loss test.
 * {@code TftpMain --root DIR [--bind ADDR] [--port N] [--timeout-ms N] [--retries N]
 * [--workers N] [--adaptive-timeout true|false] [--segmentation-offload true|false]}.
 */
public final class TftpMain {

  private TftpMain() {}

  public static void main(String[] args) throws Exception {
    Path root = null;
    String bind = "127.0.0.1";
    int port = 6969;
    long timeoutMs = 1000;
    int retries = 5;
    int workers = 0;
    boolean adaptive = true;
    boolean segmentation = true;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        usage("missing value for " + args[i]);
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--root" -> root = Path.of(v);
        case "--bind" -> bind = v;
        case "--port" -> port = Integer.parseInt(v);
        case "--timeout-ms" -> timeoutMs = Long.parseLong(v);
        case "--retries" -> retries = Integer.parseInt(v);
        case "--workers" -> workers = Integer.parseInt(v);
        case "--adaptive-timeout" -> adaptive = Boolean.parseBoolean(v);
        case "--segmentation-offload" -> segmentation = Boolean.parseBoolean(v);
        default -> usage("unknown option " + args[i]);
      }
    }
    if (root == null) {
      usage("--root is required");
    }
    TftpSettings s = TftpSettings.defaults(new InetSocketAddress(bind, port))
        .withLimits(new TransferLimits(TransferLimits.MAX_BLKSIZE, 64, timeoutMs * 1000, retries,
            adaptive))
        .withMaxTransfers(10_000, 10_000)
        .withSegmentationOffload(segmentation);
    if (workers > 0) {
      s = s.withWorkerThreads(workers);
    }
    TftpStats stats = new TftpStats();
    TftpServer server = new TftpServer(s, new FileSystemSource(root), stats);
    server.start();
    System.out.println("rackboot-tftp listening on " + server.localAddress() + " serving " + root);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      System.out.println(summary(stats));
      stop.countDown();
    }));
    stop.await();
  }

  /** One line of counters, printed at exit (the loss test and the benchmark read it). */
  static String summary(TftpStats s) {
    StringBuilder b = new StringBuilder("stats");
    b.append(" started=").append(s.transfersStarted())
        .append(" completed=").append(s.transfersCompleted())
        .append(" failed=").append(s.transfersFailed())
        .append(" aborted=").append(s.transfersAborted())
        .append(" unconfirmed=").append(s.transfersUnconfirmed())
        .append(" bytesSent=").append(s.bytesSent())
        .append(" retransmits=").append(s.retransmits())
        .append(" segmentedSends=").append(s.segmentedSends())
        .append(" segmentationRefusals=").append(s.segmentationRefusals())
        .append(" duplicateRequests=").append(s.duplicateRequests())
        .append(" malformed=").append(s.malformedPackets())
        .append(" wrongTid=").append(s.wrongTidPackets());
    for (RefusalReason r : RefusalReason.values()) {
      b.append(" refused.").append(r.name().toLowerCase(java.util.Locale.ROOT)).append('=')
          .append(s.refusals(r));
    }
    return b.toString();
  }

  private static void usage(String why) {
    System.err.println(why + "\nusage: TftpMain --root DIR [--bind ADDR] [--port N]"
        + " [--timeout-ms N] [--retries N] [--workers N] [--adaptive-timeout true|false]"
        + " [--segmentation-offload true|false]");
    System.exit(2);
  }
}
