package org.rackboot.tftp;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.rackboot.tftp.mina.TftpServer;
import org.rackboot.tftp.transfer.TransferLimits;

/**
 * Serves one directory by TFTP without the rest of Rackboot: for benchmarks and the loss test.
 * {@code TftpMain --root DIR [--bind ADDR] [--port N] [--timeout-ms N] [--retries N]
 * [--workers N]}.
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
        default -> usage("unknown option " + args[i]);
      }
    }
    if (root == null) {
      usage("--root is required");
    }
    TftpSettings s = TftpSettings.defaults(new InetSocketAddress(bind, port))
        .withLimits(new TransferLimits(TransferLimits.MAX_BLKSIZE, 64, timeoutMs * 1000, retries))
        .withMaxTransfers(10_000, 10_000);
    if (workers > 0) {
      s = s.withWorkerThreads(workers);
    }
    TftpServer server = new TftpServer(s, new FileSystemSource(root), new TftpStats());
    server.start();
    System.out.println("rackboot-tftp listening on " + server.localAddress() + " serving " + root);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stop.countDown();
    }));
    stop.await();
  }

  private static void usage(String why) {
    System.err.println(why + "\nusage: TftpMain --root DIR [--bind ADDR] [--port N]"
        + " [--timeout-ms N] [--retries N] [--workers N]");
    System.exit(2);
  }
}
