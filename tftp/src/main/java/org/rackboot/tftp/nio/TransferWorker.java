package org.rackboot.tftp.nio;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.rackboot.tftp.TftpStats;
import org.rackboot.tftp.transfer.Transfer;
import org.rackboot.tftp.wire.Data;
import org.rackboot.tftp.wire.ErrorCode;
import org.rackboot.tftp.wire.ErrorPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread driving many transfer sockets through a selector. Each transfer has its own port
 * (its TID, RFC 1350 section 4) with two sockets: one connected to the client, which carries
 * the transfer, and an unconnected sibling that receives packets from any other TID, answered
 * with error 5. The packet path reuses two direct buffers and reads file regions straight into
 * the send buffer; it neither allocates nor logs.
 */
final class TransferWorker implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(TransferWorker.class);
  /** Datagrams read behind a port-unreachable error: the ACKs of the largest window. */
  private static final int QUEUED_AFTER_ERROR = 64;
  /** Pending errors skipped in one read (the kernel keeps one; a later ICMP may add another). */
  private static final int ERRORS_SKIPPED = 4;
  /**
   * Blocks between two checks that a transfer's file is still whole (one fstat for a mapped
   * file, free for others): a file truncated under a transfer fails it within this many blocks.
   */
  static final int INTACT_CHECK_BLOCKS = 32;

  private final TransferEngine engine;
  private final TftpStats stats;
  private final Selector selector;
  private final Queue<ActiveTransfer> incoming = new ConcurrentLinkedQueue<>();
  private final ArrayList<ActiveTransfer> transfers = new ArrayList<>();
  private final ByteBuffer out = ByteBuffer.allocateDirect(Data.HEADER_SIZE + 65464);
  private final ByteBuffer in = ByteBuffer.allocateDirect(65536);
  private final ByteBuffer tidError;
  private final DeadlineTimer timer;
  private final UdpSegmentation segmentation;
  private long nextScanMicros = Long.MAX_VALUE;
  /** nextScanMicros as last shown to the timer thread. */
  private volatile long published = Long.MAX_VALUE;
  private volatile boolean running = true;
  /** False once run() has returned: the engine then hands this worker nothing more. */
  private volatile boolean alive = true;
  private long now;

  TransferWorker(TransferEngine engine, TftpStats stats, DeadlineTimer timer,
      UdpSegmentation segmentation) throws IOException {
    this.engine = engine;
    this.stats = stats;
    this.timer = timer;
    this.segmentation = segmentation;
    this.selector = Selector.open();
    ByteBuffer e = ByteBuffer.allocate(64);
    new ErrorPacket(ErrorCode.UNKNOWN_TID, "Unknown transfer ID").encode(e);
    e.flip();
    this.tidError = e.asReadOnlyBuffer();
  }

  static long micros() {
    return System.nanoTime() / 1000;
  }

  boolean alive() {
    return alive;
  }

  void submit(ActiveTransfer t) {
    incoming.add(t);
    selector.wakeup();
  }

  /** The earliest retransmission deadline of this worker's transfers, for the timer thread. */
  long deadline() {
    return published;
  }

  /** Called by the timer thread once deadline() has passed. */
  void wakeup() {
    selector.wakeup();
  }

  void shutdown() {
    running = false;
    selector.wakeup();
  }

  @Override
  public void run() {
    try {
      while (running) {
        try {
          step();
        } catch (InternalError e) {
          onMappingFault(e);
        }
      }
    } catch (IOException | ClosedSelectorException e) {
      LOG.error("TFTP transfer worker stopped", e);
    } catch (RuntimeException | Error e) {
      LOG.error("TFTP transfer worker died; its transfers are aborted, new ones go elsewhere", e);
      throw e;
    } finally {
      alive = false;
      for (ActiveTransfer t : transfers) {
        abort(t);
      }
      ActiveTransfer t;
      while ((t = incoming.poll()) != null) {
        abort(t);
      }
      try {
        selector.close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }

  private void step() throws IOException {
    publishDeadline();
    // Untimed: the timer thread wakes the selector when a deadline passes (DeadlineTimer).
    selector.select(this::onReadable);
    now = micros();
    ActiveTransfer t;
    while ((t = incoming.poll()) != null) {
      begin(t);
    }
    if (now >= nextScanMicros) {
      scanTimeouts();
    }
  }

  /**
   * An {@link InternalError} on this thread. Reading a mapped file that was truncated under its
   * transfer (cp over it, rsync --inplace) raises SIGBUS, which the JVM reports as this error,
   * not from the read but at a later native call of its choosing (a send, a close, even the
   * shutdown). Such a fault costs the transfers whose content is no longer intact (they may
   * have sent a damaged block; their error packet follows) and nothing else; sendData also
   * checks {@link org.rackboot.tftp.TftpContent#intact()} every {@link #INTACT_CHECK_BLOCKS}
   * blocks, so a transfer does not depend on when the JVM speaks up. Any other InternalError is
   * the JVM's own and is thrown on.
   */
  private void onMappingFault(InternalError e) {
    String m = e.getMessage();
    if (m == null || !m.startsWith("a fault occurred in")) {
      throw e;
    }
    LOG.warn("TFTP: a memory-mapped file shrank while it was served ({})", m);
    for (ActiveTransfer t : List.copyOf(transfers)) {
      try {
        if (!t.closed && !t.content.intact()) {
          failChanged(t);
        }
      } catch (InternalError again) {
        // The same fault, reported now: this transfer was already being failed.
      }
    }
  }

  private void failChanged(ActiveTransfer t) {
    LOG.warn("TFTP transfer of {} to {} failed: the file shrank while it was served", t.path,
        t.client);
    sendError(t, ErrorCode.NOT_DEFINED, "File changed on the server");
    finish(t, Outcome.FAILED);
  }

  /** At shutdown: a pending mapping fault must not stop the others from being released. */
  private void abort(ActiveTransfer t) {
    try {
      finish(t, Outcome.ABORTED);
    } catch (InternalError e) {
      LOG.warn("TFTP transfer of {} to {}: {}", t.path, t.client, e.getMessage());
    }
  }

  /**
   * Shows the timer thread a changed deadline. It changes when a transfer starts and when the
   * worker scans (about once per timeout), not per block: the wake-up here is cheap.
   */
  private void publishDeadline() {
    long next = nextScanMicros;
    if (next != published) {
      published = next;
      timer.changed();
    }
  }

  private void begin(ActiveTransfer t) {
    try {
      t.key = t.channel.register(selector, SelectionKey.OP_READ, t);
      t.strangerKey = t.strangers.register(selector, SelectionKey.OP_READ, t);
    } catch (IOException e) {
      finish(t, Outcome.FAILED);
      return;
    }
    transfers.add(t);
    act(t, t.transfer.start(now), false);
    nextScanMicros = Math.min(nextScanMicros, t.transfer.deadline());
  }

  private void onReadable(SelectionKey key) {
    ActiveTransfer t = (ActiveTransfer) key.attachment();
    now = micros();
    if (key == t.strangerKey) {
      answerStranger(t);
      return;
    }
    try {
      // One datagram per readiness event: a client sends one ACK per window, so a second
      // receive would almost always be a wasted system call; the selector is level-triggered
      // and reports the socket again if more is queued. The socket is connected: the kernel
      // delivers only the client's datagrams here.
      in.clear();
      if (t.channel.read(in) <= 0) {
        return;
      }
      in.flip();
      onPacket(t);
    } catch (PortUnreachableException e) {
      clientUnreachable(t);
    } catch (IOException e) {
      giveUp(t);
    }
  }

  /**
   * ICMP port unreachable came back from the client's port: the client has exited. Linux reports
   * such an error before the datagrams already queued on the socket, and a client exits right
   * after its last ACK, which a retransmission of ours may have crossed: read what is queued
   * (at most a window's ACKs) before calling the transfer lost, so that ACK still completes it.
   */
  private void clientUnreachable(ActiveTransfer t) {
    for (int i = 0; i < QUEUED_AFTER_ERROR && !t.closed; i++) {
      in.clear();
      try {
        if (readPastErrors(t.channel, in) <= 0) {
          break;
        }
      } catch (IOException e) {
        break;
      }
      in.flip();
      onPacket(t);
    }
    if (!t.closed) {
      giveUp(t);
    }
  }

  /**
   * Reads the next queued datagram of a connected, non-blocking socket past any pending ICMP
   * errors (each retransmission to a closed port leaves one); 0 when none is queued.
   */
  static int readPastErrors(DatagramChannel channel, ByteBuffer dst) throws IOException {
    for (int i = 0; ; i++) {
      try {
        return Math.max(0, channel.read(dst));
      } catch (PortUnreachableException e) {
        if (i == ERRORS_SKIPPED) {
          throw e;
        }
      }
    }
  }

  /** RFC 1350 section 4: answer a packet from another TID with error 5, leave the transfer be. */
  private void answerStranger(ActiveTransfer t) {
    try {
      in.clear();
      SocketAddress from = t.strangers.receive(in);
      if (from == null) {
        return;
      }
      if (from.equals(t.client)) {
        // Kernels without "udp: correct reuseport selection with connected sockets" (2019) may
        // hash the client's own datagram to this socket: it is the transfer's, not a stranger's.
        in.flip();
        onPacket(t);
        return;
      }
      stats.wrongTid();
      t.strangers.send(tidError.duplicate(), from);
    } catch (IOException e) {
      LOG.debug("TFTP cannot answer a stranger on the TID of {}", t.client, e);
    }
  }

  private void onPacket(ActiveTransfer t) {
    if (in.remaining() < 4) {
      stats.malformed();
      return;
    }
    int opcode = in.getShort() & 0xFFFF;
    if (opcode == 4) {
      act(t, t.transfer.onAck(in.getShort() & 0xFFFF, now), false);
    } else if (opcode == 5) {
      // The client gave up (EDK2 sends error 8 after reading tsize): free the transfer now.
      finish(t, Outcome.ABORTED);
    } else {
      // Anything else on a read transfer's TID is noise: drop it, keep the transfer.
      stats.malformed();
    }
  }

  private void scanTimeouts() {
    long next = Long.MAX_VALUE;
    for (int i = transfers.size() - 1; i >= 0; i--) {
      ActiveTransfer t = transfers.get(i);
      if (!t.closed && now >= t.transfer.deadline()) {
        act(t, t.transfer.onTimeout(now), true);
      }
      if (t.closed) {
        int last = transfers.size() - 1;
        transfers.set(i, transfers.get(last));
        transfers.remove(last);
      } else {
        next = Math.min(next, t.transfer.deadline());
      }
    }
    nextScanMicros = next;
  }

  private void act(ActiveTransfer t, Transfer.Action action, boolean retransmit) {
    try {
      switch (action) {
        case NONE -> {}
        case SEND_OACK -> {
          t.channel.write(ByteBuffer.wrap(t.oack));
          if (retransmit) {
            stats.retransmitted(1);
          }
        }
        case SEND_DATA -> sendData(t, retransmit);
        case DONE -> finish(t, Outcome.COMPLETED);
        case GIVE_UP -> giveUp(t);
      }
    } catch (PortUnreachableException e) {
      clientUnreachable(t);
    } catch (IOException e) {
      LOG.warn("TFTP transfer of {} to {} failed: {}", t.path, t.client, e.getMessage());
      sendError(t, ErrorCode.NOT_DEFINED, "Read error");
      finish(t, Outcome.FAILED);
    } catch (InternalError e) {
      onMappingFault(e);
    } catch (RuntimeException e) {
      // A content implementation's bug (the application serves generated files and image-store
      // artifacts through TftpContent): it costs this transfer, not the worker's others.
      LOG.error("TFTP transfer of {} to {} failed", t.path, t.client, e);
      sendError(t, ErrorCode.NOT_DEFINED, "Server error");
      finish(t, Outcome.FAILED);
    }
  }

  private void sendData(ActiveTransfer t, boolean retransmit) throws IOException {
    Transfer tr = t.transfer;
    long from = tr.sendFrom();
    int count = tr.sendCount();
    t.sentSinceIntactCheck += count;
    if (t.sentSinceIntactCheck >= INTACT_CHECK_BLOCKS || retransmit) {
      t.sentSinceIntactCheck = 0;
      if (!t.content.intact()) {
        failChanged(t);
        return;
      }
    }
    long bytes = 0;
    long block = from;
    long end = from + count;
    while (block < end) {
      int n = t.segmentSize > 0
          ? (int) Math.min(end - block, UdpSegmentation.segmentsPerSend(t.segmentSize)) : 1;
      out.clear();
      int batchBytes = 0;
      for (int i = 0; i < n; i++) {
        batchBytes += putBlock(t, block + i);
      }
      out.flip();
      if (n == 1) {
        // A full socket buffer drops the datagram (write returns 0); the timer resends it.
        t.channel.write(out);
      } else if (!sendSegmented(t)) {
        // The path refused segmentation: from here on one block per send, this batch too.
        continue;
      }
      bytes += batchBytes;
      block += n;
    }
    stats.bytesSent(bytes);
    if (retransmit) {
      stats.retransmitted(count);
    }
    nextScanMicros = Math.min(nextScanMicros, tr.deadline());
  }

  /** Appends one block's datagram (header and payload) to {@code out}; returns its payload size. */
  private int putBlock(ActiveTransfer t, long block) throws IOException {
    Transfer tr = t.transfer;
    int len = tr.lengthOf(block);
    Data.putHeader(out, Transfer.wireBlock(block));
    int end = out.position() + len;
    out.limit(end);
    if (len > 0 && t.content.read(out, tr.offsetOf(block)) != len) {
      throw new IOException("short read at block " + block);
    }
    out.limit(out.capacity());
    return len;
  }

  /**
   * Sends {@code out}, several blocks' datagrams end to end, as one UDP segmentation offload
   * send: the kernel cuts it into datagrams of {@code segmentSize} (the last block may be
   * shorter). Returns false, with segmentation off for the transfer, when the path refuses it
   * (EMSGSIZE: blocks larger than the path MTU, which unsegmented sends fragment; EIO: IPsec);
   * the caller then resends block by block.
   */
  private boolean sendSegmented(ActiveTransfer t) throws IOException {
    try {
      // As a single datagram: a full socket buffer drops the whole batch; the timer resends it.
      t.channel.write(out);
      stats.segmentedSend();
      return true;
    } catch (PortUnreachableException e) {
      throw e;
    } catch (IOException e) {
      LOG.debug("TFTP to {}: segmentation offload refused ({}), one datagram per send", t.client,
          e.getMessage());
      t.segmentSize = 0;
      segmentation.disable(t.channel);
      stats.segmentationRefused();
      return false;
    }
  }

  private void sendError(ActiveTransfer t, ErrorCode code, String message) {
    try {
      ByteBuffer b = ByteBuffer.allocate(4 + message.length() * 3 + 1);
      new ErrorPacket(code, message).encode(b);
      b.flip();
      t.channel.write(b);
    } catch (IOException ignored) {
      // best effort: the transfer is being torn down anyway
    }
  }

  enum Outcome {
    COMPLETED,
    FAILED,
    ABORTED,
    UNCONFIRMED
  }

  private void finish(ActiveTransfer t, Outcome outcome) {
    if (t.closed) {
      return;
    }
    t.closed = true;
    if (t.key != null) {
      t.key.cancel();
    }
    if (t.strangerKey != null) {
      t.strangerKey.cancel();
    }
    closeQuietly(t.channel);
    closeQuietly(t.strangers);
    try {
      t.content.close();
    } catch (IOException ignored) {
      // a read-only file
    }
    engine.release(t, outcome);
    // Drop it from the timeout list soon, so its content (a file mapping) can be collected.
    nextScanMicros = 0;
  }

  /** Retries exhausted, or the client's port closed with nothing of it left to read. */
  private void giveUp(ActiveTransfer t) {
    finish(t, t.transfer.onlyLastAckMissing() ? Outcome.UNCONFIRMED : Outcome.FAILED);
  }

  private static void closeQuietly(DatagramChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing a UDP socket cannot fail in a way we could act on
    }
  }
}
