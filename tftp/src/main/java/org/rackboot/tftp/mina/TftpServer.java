package org.rackboot.tftp.mina;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.mina.core.session.ExpiringSessionRecycler;
import org.apache.mina.transport.socket.nio.NioDatagramAcceptor;
import org.rackboot.tftp.TftpSettings;
import org.rackboot.tftp.TftpSource;
import org.rackboot.tftp.TftpStats;
import org.rackboot.tftp.nio.TransferEngine;

/**
 * The TFTP server (RFC 1350, read-only): MINA listens on the well-known port for requests; each
 * transfer then runs on its own ephemeral socket, in the plain-NIO {@link TransferEngine}.
 */
public final class TftpServer implements AutoCloseable {

  private final TftpSettings settings;
  private final TftpSource source;
  private final TftpStats stats;
  private NioDatagramAcceptor acceptor;
  private TransferEngine engine;
  private ExecutorService executor;

  public TftpServer(TftpSettings settings, TftpSource source, TftpStats stats) {
    this.settings = settings;
    this.source = source;
    this.stats = stats;
  }

  /** Binds the listening socket; throws {@link java.net.BindException} if the port is taken. */
  public synchronized void start() throws IOException {
    TransferEngine e = new TransferEngine(settings, source, stats);
    // MINA's own executor is shut down with shutdownNow() on dispose, which interrupts the
    // acceptor thread and logs "Unexpected exception" at every stop; with ours it ends quietly.
    ExecutorService ex = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "tftp-listener");
      t.setDaemon(true);
      return t;
    });
    NioDatagramAcceptor a = new NioDatagramAcceptor(ex);
    // Handler before bind (MINA): no packet may arrive without one.
    a.setHandler(new RequestHandler(e, stats));
    a.getSessionConfig().setReuseAddress(true);
    // MINA keeps a session per request's source address (60 s and one JVM-wide map by default);
    // nothing of ours lives in it, and forged sources would otherwise pile up for a minute each.
    a.setSessionRecycler(new ExpiringSessionRecycler(5));
    // RFC 2347 keeps requests within 512 bytes; room for clients that exceed it a little.
    a.getSessionConfig().setReadBufferSize(2048);
    try {
      a.bind(settings.bindAddress());
    } catch (IOException bindFailure) {
      a.dispose();
      ex.shutdown();
      e.close();
      throw bindFailure;
    }
    acceptor = a;
    executor = ex;
    engine = e;
  }

  public synchronized boolean isBound() {
    return acceptor != null && acceptor.isActive();
  }

  /** The bound address (with the real port when 0 was asked for), or null before start. */
  public synchronized InetSocketAddress localAddress() {
    return acceptor == null ? null : (InetSocketAddress) acceptor.getLocalAddress();
  }

  public TftpStats stats() {
    return stats;
  }

  @Override
  public synchronized void close() {
    if (acceptor != null) {
      acceptor.unbind();
      // dispose(true) waits ~2 s in NioDatagramAcceptor for its selector thread; not needed.
      acceptor.dispose(false);
      acceptor = null;
      executor.shutdown();
      executor = null;
    }
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }
}
