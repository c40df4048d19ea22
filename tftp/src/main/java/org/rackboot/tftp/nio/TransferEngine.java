package org.rackboot.tftp.nio;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rackboot.tftp.Lookup;
import org.rackboot.tftp.Netascii;
import org.rackboot.tftp.RefusalReason;
import org.rackboot.tftp.TftpContent;
import org.rackboot.tftp.TftpPaths;
import org.rackboot.tftp.TftpSettings;
import org.rackboot.tftp.TftpSource;
import org.rackboot.tftp.TftpStats;
import org.rackboot.tftp.transfer.Negotiation;
import org.rackboot.tftp.transfer.Transfer;
import org.rackboot.tftp.wire.Data;
import org.rackboot.tftp.wire.ErrorCode;
import org.rackboot.tftp.wire.ErrorPacket;
import org.rackboot.tftp.wire.Mode;
import org.rackboot.tftp.wire.OptionAck;
import org.rackboot.tftp.wire.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns read requests into running transfers: filter (repeat, limits) then normalize the path,
 * ask the source, negotiate, open the transfer's own socket and hand it to a worker. Plain NIO:
 * whatever listens on the well-known port (the MINA adapter) hands its requests here.
 */
public final class TransferEngine implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TransferEngine.class);

  private final TftpSettings settings;
  private final TftpSource source;
  private final TftpStats stats;
  private final TransferWorker[] workers;
  private final Thread[] threads;
  private final DeadlineTimer timer = new DeadlineTimer();
  private final UdpSegmentation segmentation;
  /** The send buffer each transfer socket asks for (the kernel may grant less). */
  private static final int SEND_BUFFER = 1 << 20;
  /** Largest window (bytes on the wire) a transfer's send buffer holds: see windowBytes(). */
  private final long maxWindowBytes;
  private int nextWorker;
  /** Running transfers by client TID: a repeated RRQ from one of them is ignored. */
  private final Map<InetSocketAddress, ActiveTransfer> active = new ConcurrentHashMap<>();
  private final Map<InetAddress, Integer> perClient = new HashMap<>();
  private int total;
  private final ScheduledExecutorService recheck =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tftp-recheck");
        t.setDaemon(true);
        return t;
      });

  public TransferEngine(TftpSettings settings, TftpSource source, TftpStats stats)
      throws IOException {
    this.settings = settings;
    this.source = source;
    this.stats = stats;
    this.segmentation = settings.segmentationOffload()
        ? UdpSegmentation.probe() : UdpSegmentation.off("tftp.segmentationOffload is false");
    // One line either way, at INFO: without the offload TFTP works the same, only slower.
    if (segmentation.available()) {
      LOG.info("TFTP segmentation offload is on: each window goes out in one UDP_SEGMENT send");
    } else {
      LOG.info("TFTP segmentation offload is off, because {}: windows go out one datagram per"
          + " send", segmentation.unavailableReason());
    }
    this.maxWindowBytes = windowBytes();
    if (maxWindowBytes < (long) settings.limits().maxWindowSize()
        * (settings.limits().maxBlockSize() + Negotiation.DATAGRAM_OVERHEAD)) {
      LOG.info("TFTP windows are held to {} bytes: the kernel grants a {}-byte send buffer"
          + " (net.core.wmem_max)", maxWindowBytes, 2 * maxWindowBytes);
    }
    int n = settings.workerThreads();
    workers = new TransferWorker[n];
    threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      workers[i] = new TransferWorker(this, stats, timer, segmentation);
      threads[i] = new Thread(workers[i], "tftp-transfer-" + i);
      threads[i].setDaemon(true);
      threads[i].start();
    }
    timer.start(workers);
  }

  /** A write request: refused, Rackboot's TFTP is read-only. */
  public void onWriteRequest(Request req, InetSocketAddress client) {
    refuse(client, req.filename(), RefusalReason.WRITE_REQUEST, ErrorCode.ACCESS_VIOLATION,
        "Write not permitted", "write request");
  }

  public void onReadRequest(Request req, InetSocketAddress client) {
    if (active.containsKey(client)) {
      // Either a repeat (the client has not seen our first answer yet) or a new request from a
      // client that reuses its port (tftp-hpa's interactive client) racing the final ACK of
      // its previous transfer. Look again shortly: if the transfer still runs it was a repeat.
      recheck.schedule(() -> onRepeatedReadRequest(req, client), 50, TimeUnit.MILLISECONDS);
      return;
    }
    startRead(req, client);
  }

  private void onRepeatedReadRequest(Request req, InetSocketAddress client) {
    if (active.containsKey(client)) {
      // A repeated RRQ: starting a second transfer would confuse the client (curl follows the
      // second OACK and stalls). The running transfer's own retransmission answers it.
      stats.duplicateRequest();
      return;
    }
    startRead(req, client);
  }

  private void startRead(Request req, InetSocketAddress client) {
    if (req.mode() == Mode.MAIL) {
      refuse(client, req.filename(), RefusalReason.BAD_MODE, ErrorCode.ILLEGAL_OPERATION,
          "Mail mode not supported", "mail mode");
      return;
    }
    Optional<String> path = TftpPaths.normalize(req.filename());
    if (path.isEmpty()) {
      refuse(client, req.filename(), RefusalReason.ACCESS_VIOLATION, ErrorCode.ACCESS_VIOLATION,
          "Access violation", "illegal path");
      return;
    }
    if (!reserve(client)) {
      return;
    }
    boolean handedOver = false;
    try {
      handedOver = start(req, path.get(), client);
    } finally {
      if (!handedOver) {
        unreserve(client.getAddress());
      }
    }
  }

  private boolean start(Request req, String path, InetSocketAddress client) {
    Lookup lookup;
    try {
      lookup = source.open(path, client);
    } catch (IOException | RuntimeException e) {
      LOG.warn("TFTP source failed for {} from {}", path, client, e);
      refuse(client, req.filename(), RefusalReason.SOURCE_ERROR, ErrorCode.NOT_DEFINED,
          "Server error", "source failed: " + e);
      return false;
    }
    if (lookup instanceof Lookup.NotFound) {
      refuse(client, req.filename(), RefusalReason.NOT_FOUND, ErrorCode.FILE_NOT_FOUND,
          "File not found", "not found");
      return false;
    }
    if (lookup instanceof Lookup.Refused r) {
      RefusalReason reason = r.code() == ErrorCode.FILE_NOT_FOUND
          ? RefusalReason.NOT_FOUND : RefusalReason.ACCESS_VIOLATION;
      refuse(client, req.filename(), reason, r.code(), r.message(), r.reason());
      return false;
    }
    TftpContent content = ((Lookup.Found) lookup).content();
    DatagramChannel ch = null;
    DatagramChannel strangers = null;
    try {
      if (req.mode() == Mode.NETASCII) {
        content = Netascii.convert(content);
        if (content == null) {
          refuse(client, req.filename(), RefusalReason.BAD_MODE, ErrorCode.NOT_DEFINED,
              "File too large for netascii", "netascii of a large file");
          return false;
        }
      }
      Negotiation n =
          Negotiation.negotiate(req.options(), content.size(), settings.limits(), maxWindowBytes);
      Transfer transfer = new Transfer(content.size(), n, settings.limits().maxRetries());
      byte[] oack = null;
      if (!n.oack().isEmpty()) {
        ByteBuffer b = ByteBuffer.allocate(1024);
        new OptionAck(n.oack()).encode(b);
        oack = java.util.Arrays.copyOf(b.array(), b.position());
      }
      TransferWorker w = nextLiveWorker();
      if (w == null) {
        throw new IOException("no TFTP transfer worker is running");
      }
      ch = openTid(client, true);
      strangers = openStrangers(ch);
      ch.connect(client);
      ActiveTransfer t = new ActiveTransfer(client, path, ch, strangers, content, transfer, oack);
      int segment = Data.HEADER_SIZE + n.blockSize();
      if (n.windowSize() > 1 && transfer.lastBlock() > 1 && segmentation.enable(ch, segment)) {
        t.segmentSize = segment;
      }
      active.put(client, t);
      stats.transferStarted();
      LOG.debug("TFTP {} to {} ({} bytes, options {})", path, client, content.size(), n.oack());
      w.submit(t);
      return true;
    } catch (IOException e) {
      LOG.warn("TFTP cannot start {} for {}", path, client, e);
      closeQuietly(content);
      if (ch != null) {
        closeQuietly(ch);
      }
      if (strangers != null) {
        closeQuietly(strangers);
      }
      refuse(client, req.filename(), RefusalReason.SOURCE_ERROR, ErrorCode.NOT_DEFINED,
          "Server error", "cannot start: " + e);
      return false;
    }
  }

  /**
   * Half the send buffer the kernel grants a transfer socket asking for {@link #SEND_BUFFER}
   * (Linux reports twice what was granted, the other half being its own bookkeeping, and caps it
   * at net.core.wmem_max): a window larger than that would be partly dropped before it leaves.
   */
  private static long windowBytes() throws IOException {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
      return Math.max(1, probe.getOption(StandardSocketOptions.SO_SNDBUF) / 2);
    }
  }

  /** Round robin over the workers still running; null if none is. */
  private synchronized TransferWorker nextLiveWorker() {
    for (int i = 0; i < workers.length; i++) {
      TransferWorker w = workers[nextWorker];
      nextWorker = (nextWorker + 1) % workers.length;
      if (w.alive()) {
        return w;
      }
    }
    return null;
  }

  /**
   * A new socket on an ephemeral port of the listening address: the transfer's TID. A transfer's
   * socket is then connected to the client: sends and receives carry no address and the kernel
   * keeps the route on the socket instead of looking it up per datagram (bench/tftp/README.md).
   * It shares its port ({@code SO_REUSEPORT}) with an unconnected sibling that the kernel hands
   * every datagram the connected socket does not match, so a stranger still gets error 5.
   */
  private DatagramChannel openTid(InetSocketAddress client, boolean shared) throws IOException {
    InetAddress local = settings.bindAddress().getAddress();
    // Listening on a wildcard: the TID socket is a wildcard too (the kernel picks the source
    // address by route; Java has no IP_PKTINFO) and of the default, dual-stack family.
    DatagramChannel ch = local.isAnyLocalAddress()
        ? DatagramChannel.open()
        : DatagramChannel.open(local instanceof java.net.Inet6Address
            ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
    try {
      ch.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
      if (shared) {
        ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      }
      ch.bind(local.isAnyLocalAddress() ? null : new InetSocketAddress(local, 0));
      ch.configureBlocking(false);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * The unconnected sibling of a transfer socket, bound before that one connects. Linux delivers
   * a datagram to the connected socket of a port when it matches the peer and to the unconnected
   * one otherwise (for a reuseport group since "udp: correct reuseport selection with connected
   * sockets", 2019; the worker copes with older kernels). Only the same user can join the port.
   */
  private static DatagramChannel openStrangers(DatagramChannel tid) throws IOException {
    InetSocketAddress at = (InetSocketAddress) tid.getLocalAddress();
    DatagramChannel ch = at.getAddress() instanceof java.net.Inet6Address
        ? DatagramChannel.open(java.net.StandardProtocolFamily.INET6)
        : DatagramChannel.open(java.net.StandardProtocolFamily.INET);
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      ch.bind(at);
      ch.configureBlocking(false);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private synchronized boolean reserve(InetSocketAddress client) {
    if (total >= settings.maxTransfers()) {
      refuse(client, "", RefusalReason.LIMIT_TOTAL, ErrorCode.NOT_DEFINED,
          "Too many transfers, try later", "server transfer limit");
      return false;
    }
    int mine = perClient.getOrDefault(client.getAddress(), 0);
    if (mine >= settings.maxTransfersPerClient()) {
      refuse(client, "", RefusalReason.LIMIT_PER_CLIENT, ErrorCode.NOT_DEFINED,
          "Too many transfers from this address", "per-client transfer limit");
      return false;
    }
    perClient.put(client.getAddress(), mine + 1);
    total++;
    return true;
  }

  private synchronized void unreserve(InetAddress address) {
    total--;
    perClient.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  /** Called by a worker when a transfer has ended and its socket is closed. */
  void release(ActiveTransfer t, TransferWorker.Outcome outcome) {
    active.remove(t.client, t);
    unreserve(t.client.getAddress());
    switch (outcome) {
      case COMPLETED -> stats.transferCompleted();
      case FAILED -> stats.transferFailed();
      case ABORTED -> stats.transferAborted();
      case UNCONFIRMED -> stats.transferUnconfirmed();
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("TFTP {} to {} {} after {} ms", t.path, t.client, outcome,
          (System.nanoTime() - t.startNanos) / 1_000_000);
    }
  }

  /**
   * Logs the refusal with the client's address and sends the error from a fresh port, as a
   * transfer's first answer would come (RFC 1350 section 4).
   */
  private void refuse(InetSocketAddress client, String filename, RefusalReason reason,
      ErrorCode code, String message, String why) {
    stats.refused(reason);
    LOG.info("TFTP refused '{}' to {}: {}", filename, client, why);
    try (DatagramChannel ch = openTid(client, false)) {
      ByteBuffer b = ByteBuffer.allocate(512);
      new ErrorPacket(code, message).encode(b);
      b.flip();
      ch.send(b, client);
    } catch (IOException e) {
      LOG.debug("TFTP cannot send error to {}", client, e);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // releasing after a failure; the first error is the one reported
    }
  }

  @Override
  public void close() {
    recheck.shutdownNow();
    timer.shutdown();
    for (TransferWorker w : workers) {
      w.shutdown();
    }
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
