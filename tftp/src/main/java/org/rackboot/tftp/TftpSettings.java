package org.rackboot.tftp;

import java.net.InetSocketAddress;
import org.rackboot.tftp.transfer.TransferLimits;

/**
 * How the TFTP server runs.
 *
 * @param bindAddress listening address; transfer sockets bind its IP with an ephemeral port
 * @param maxTransfers concurrent transfers overall; requests beyond are refused, never queued
 * @param maxTransfersPerClient concurrent transfers per client IP address
 * @param workerThreads threads that drive the transfer sockets
 * @param segmentationOffload send a window's blocks with one UDP segmentation offload send
 *     where the JVM and kernel allow it ({@code UdpSegmentation}); false: one send per block
 */
public record TftpSettings(
    InetSocketAddress bindAddress,
    TransferLimits limits,
    int maxTransfers,
    int maxTransfersPerClient,
    int workerThreads,
    boolean segmentationOffload) {

  public TftpSettings {
    if (maxTransfers < 1 || maxTransfersPerClient < 1 || workerThreads < 1) {
      throw new IllegalArgumentException("limits and worker threads must be >= 1");
    }
  }

  public static TftpSettings defaults(InetSocketAddress bindAddress) {
    return new TftpSettings(bindAddress, TransferLimits.defaults(), 1000, 32,
        defaultWorkerThreads(Runtime.getRuntime().availableProcessors()), true);
  }

  /**
   * One worker per two cores, 1 to 4. Each datagram sent also costs kernel time (softirq
   * delivery, waking the receiver) that needs a core besides the worker's; and one selector
   * thread over more sockets finds more of them ready per wake-up. Measured on two cores
   * (bench/tftp), before connected sockets: 1 worker moved 5-15 % more at 8 and 64 clients than
   * 2, for 15-25 % less server CPU per MB. Again with connected sockets and the untimed select,
   * blksize 1468, two sessions each: 2 workers moved 4 % less at 8 clients, 12 % more at 64
   * (the two sessions disagreed: +34 % and -4 %) and 2-3 % more with windowsize 16, for 10-25 %
   * more server CPU per MB at 8 clients, which put it above dnsmasq's. Not a clear win: 1 stays.
   */
  public static int defaultWorkerThreads(int cores) {
    return Math.max(1, Math.min(4, cores / 2));
  }

  public TftpSettings withLimits(TransferLimits l) {
    return new TftpSettings(bindAddress, l, maxTransfers, maxTransfersPerClient, workerThreads,
        segmentationOffload);
  }

  public TftpSettings withMaxTransfers(int total, int perClient) {
    return new TftpSettings(bindAddress, limits, total, perClient, workerThreads,
        segmentationOffload);
  }

  public TftpSettings withWorkerThreads(int n) {
    return new TftpSettings(bindAddress, limits, maxTransfers, maxTransfersPerClient, n,
        segmentationOffload);
  }

  public TftpSettings withSegmentationOffload(boolean on) {
    return new TftpSettings(bindAddress, limits, maxTransfers, maxTransfersPerClient,
        workerThreads, on);
  }
}
