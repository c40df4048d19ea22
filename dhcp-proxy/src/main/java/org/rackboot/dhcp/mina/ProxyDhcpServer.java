package org.rackboot.dhcp.mina;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.mina.core.buffer.CachedBufferAllocator;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.buffer.SimpleBufferAllocator;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.ExpiringSessionRecycler;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.core.write.WriteToClosedSessionException;
import org.apache.mina.transport.socket.DatagramSessionConfig;
import org.apache.mina.transport.socket.nio.NioDatagramAcceptor;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.pxe.ProxyDhcpEngine;
import org.rackboot.dhcp.pxe.ProxyDhcpEngine.Outbound;
import org.rackboot.dhcp.pxe.ServedInterface;
import org.rackboot.dhcp.wire.DhcpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy-DHCP listener on Apache MINA: UDP 67 and 4011, each on one socket per served address
 * plus one wildcard socket.
 *
 * <p>Why so many sockets: broadcasts from clients without an address only reach a socket bound
 * to 0.0.0.0, but a socket bound to 0.0.0.0 cannot send to 255.255.255.255 on a host without a
 * default route (ENETUNREACH), and when it can, the broadcast leaves by the default route's
 * interface, not the client's. Linux sends a limited broadcast from a socket bound to an
 * interface's own address out of that interface, route or not (the "special hack" in
 * ip_route_output_key), so every reply is sent from the socket of the served address it is
 * about. Unicasts to a served address (relays, port 4011) land on that address's socket, which
 * tells the engine exactly which address received them. Each socket has its own acceptor and
 * its own session recycler: MINA keys datagram sessions by remote address and local port, not
 * local address, so sharing either between local addresses would mix them up.
 */
public final class ProxyDhcpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyDhcpServer.class);

  /** Kernel receive buffer asked for, to ride out bursts (capped by net.core.rmem_max). */
  private static final int SOCKET_RECEIVE_BUFFER = 4 << 20;

  private final ProxyDhcpEngine engine;
  private final ProxyDhcpEngine.Ports ports;
  private final boolean wildcard;
  /** SCHED_FIFO priority of the packet threads; 0 leaves them at the normal policy. */
  private final int realtimePriority;
  private final List<NioDatagramAcceptor> acceptors = new ArrayList<>();
  /**
   * Our own executor for the acceptors' threads: MINA interrupts an executor it created on
   * dispose, which its acceptor thread reports as a WARN stack trace; ours is shut down gently.
   */
  private ExecutorService executor;
  /** Sending acceptor per served address: index 0 for the server port, 1 for the boot server. */
  private final Map<Inet4Address, ProxyAcceptor[]> senders = new HashMap<>();
  /** How long MINA keeps an idle per-source session (no state of ours lives in it). */
  private static final int SESSION_SECONDS = 5;

  /**
   * @param wildcard also bind 0.0.0.0 (needed for broadcasts from clients without an address;
   *     tests on loopback can do without)
   */
  public ProxyDhcpServer(ProxyDhcpEngine engine, ProxyDhcpEngine.Ports ports, boolean wildcard) {
    this(engine, ports, wildcard, 0);
  }

  /**
   * @param realtimePriority 1-99: the threads that receive and answer run under SCHED_FIFO at
   *     this priority where the process may (see {@link RealtimeScheduling}); 0: they do not
   */
  public ProxyDhcpServer(ProxyDhcpEngine engine, ProxyDhcpEngine.Ports ports, boolean wildcard,
      int realtimePriority) {
    if (realtimePriority < 0 || realtimePriority > 99) {
      throw new IllegalArgumentException(
          "realtimePriority must be 0 (off) or 1-99, not " + realtimePriority);
    }
    this.engine = engine;
    this.ports = ports;
    this.wildcard = wildcard;
    this.realtimePriority = realtimePriority;
  }

  /** Binds every socket; throws {@link java.net.BindException} (and binds none) on failure. */
  public synchronized void start() throws IOException {
    if (!acceptors.isEmpty()) {
      return;
    }
    recycleReadBuffers();
    AtomicInteger n = new AtomicInteger();
    AtomicBoolean reported = new AtomicBoolean();
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(() -> {
        schedule(reported);
        r.run();
      }, "proxy-dhcp-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      if (wildcard) {
        bindReceiveOnly(ports.server(), false);
        bindReceiveOnly(ports.bootServer(), true);
      }
      for (ServedInterface i : engine.interfaces()) {
        ProxyAcceptor[] pair = senders.computeIfAbsent(i.address(), a -> new ProxyAcceptor[2]);
        pair[0] = bind(i.address(), ports.server(), false);
        pair[1] = bind(i.address(), ports.bootServer(), true);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("proxy-DHCP listening on UDP {} and {} for {}", ports.server(), ports.bootServer(),
        engine.interfaces());
  }

  /** Applies the real-time priority to the calling packet thread; says how once per start. */
  private void schedule(AtomicBoolean reported) {
    if (realtimePriority == 0) {
      return;
    }
    Optional<String> failure = RealtimeScheduling.applyToCurrentThread(realtimePriority);
    if (reported.compareAndSet(false, true)) {
      if (failure.isEmpty()) {
        LOG.info("proxy-DHCP packet threads run at real-time priority {} (SCHED_FIFO)",
            realtimePriority);
      } else {
        LOG.warn("proxy-DHCP packet threads stay at normal priority (replies can then wait "
            + "milliseconds behind JIT compilation on a busy core): {}", failure.get());
      }
    }
  }

  /**
   * MINA allocates a fresh read buffer for every datagram (1.5 KiB here): at 20,000 requests a
   * second that alone is 30 MB/s of garbage, a young collection (a pause for every request in
   * flight) about every second. With the caching allocator a buffer the handler frees is
   * reused by the next read on the same thread. The allocator is process-wide; it changes
   * nothing for MINA users that never free their buffers (the TFTP listener), and a choice
   * someone else made is left alone.
   */
  private static void recycleReadBuffers() {
    synchronized (IoBuffer.class) {
      if (IoBuffer.getAllocator() instanceof SimpleBufferAllocator) {
        IoBuffer.setAllocator(new CachedBufferAllocator());
      }
    }
  }

  /** The wildcard sockets only receive: a send from 0.0.0.0 would take the default route. */
  private void bindReceiveOnly(int port, boolean bootServer) throws IOException {
    bind(null, port, bootServer);
  }

  private ProxyAcceptor bind(Inet4Address address, int port, boolean bootServer)
      throws IOException {
    ProxyAcceptor pa = new ProxyAcceptor(executor);
    NioDatagramAcceptor a = pa.acceptor;
    DatagramSessionConfig c = a.getSessionConfig();
    c.setReuseAddress(true);
    c.setBroadcast(true);
    c.setReceiveBufferSize(SOCKET_RECEIVE_BUFFER);
    // One byte more than the decoder accepts: a longer datagram is cut to this size by the
    // kernel and then refused as too long, instead of passing as a shorter, valid-looking one.
    c.setReadBufferSize(DhcpMessage.MAX_LENGTH + 1);
    c.setMinReadBufferSize(DhcpMessage.MAX_LENGTH + 1);
    c.setMaxReadBufferSize(DhcpMessage.MAX_LENGTH + 1);
    c.setCloseOnPortUnreachable(false);
    // MINA's default session recycler is one static map keyed by remote address and local port
    // for every acceptor in the JVM: a session made by one socket would be handed to another
    // (the wildcard socket and a served address's share the port). One each,
    // kept 5 s instead of MINA's 60: MINA makes a session per source address before our decoder
    // sees a byte, so a flood from forged sources holds rate x lifetime of them.
    a.setSessionRecycler(new ExpiringSessionRecycler(SESSION_SECONDS));
    a.setHandler(new Handler(address, bootServer));
    acceptors.add(a);
    InetSocketAddress at = new InetSocketAddress(
        address == null ? Inet4Address.getByName("0.0.0.0") : address, port);
    try {
      a.bind(at);
    } catch (IOException e) {
      // MINA wraps the JDK's BindException in a two-line IOException; report the cause plainly.
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      BindException b = new BindException(at.getAddress().getHostAddress() + ":" + port + ": "
          + root.getMessage());
      b.initCause(e);
      throw b;
    }
    if (address != null) {
      pa.bound(new InetSocketAddress(Ipv4.BROADCAST, ports.client()));
    }
    return pa;
  }

  public synchronized boolean isBound() {
    return !acceptors.isEmpty() && acceptors.stream().allMatch(NioDatagramAcceptor::isActive);
  }

  /** Every bound socket address. */
  public synchronized List<InetSocketAddress> localAddresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (NioDatagramAcceptor a : acceptors) {
      if (a.getLocalAddress() != null) {
        out.add(a.getLocalAddress());
      }
    }
    return out;
  }

  @Override
  public synchronized void close() {
    for (NioDatagramAcceptor a : acceptors) {
      try {
        // unbind() closes the socket before it returns, so the port is free at once; waiting
        // for the acceptor's thread as well (dispose(true)) costs MINA 2.2 about 2 s each.
        a.unbind();
      } finally {
        a.dispose(false);
      }
    }
    acceptors.clear();
    senders.clear();
    if (executor != null) {
      executor.shutdown();
      executor = null;
    }
  }

  private void send(Outbound out) {
    ProxyAcceptor[] pair;
    synchronized (this) {
      pair = senders.get(out.from());
    }
    if (pair == null) {
      engine.stats().sendError();
      return;
    }
    try {
      if (!pair[out.bootServerSocket() ? 1 : 0].sendNow(out.payload(), out.to())) {
        engine.stats().sendError();
      }
    } catch (Exception e) {
      engine.stats().sendError();
      if (LOG.isDebugEnabled()) {
        LOG.debug("cannot send to {} from {}: {}", out.to(), out.from(), e.toString());
      }
    }
  }

  /**
   * An acceptor that also sends, at once and from the calling thread. MINA's datagram acceptor
   * writes a datagram straight to its socket from the thread that calls {@code session.write()}
   * (its I/O thread only takes over what the kernel would not accept yet); replies usually leave
   * by another socket than the one the request came in on, so a hand-off to that socket's own
   * thread would cost latency on a loaded host.
   *
   * <p>A reply goes through the session MINA keeps for its destination on this socket, looked
   * up (or made) for each send rather than held: the session recycler closes a session after
   * {@link #SESSION_SECONDS} idle, and a closed session refuses every write.
   */
  private static final class ProxyAcceptor {
    final NioDatagramAcceptor acceptor;
    private InetSocketAddress local;

    ProxyAcceptor(ExecutorService executor) {
      acceptor = new NioDatagramAcceptor(executor);
    }

    void bound(InetSocketAddress anyRemote) throws IOException {
      local = acceptor.getLocalAddress();
      // Never send from any other socket than this acceptor's own (a wildcard socket would
      // send broadcasts out of the default route's interface).
      InetSocketAddress sendsFrom =
          (InetSocketAddress) acceptor.newSession(anyRemote, local).getLocalAddress();
      if (!local.equals(sendsFrom)) {
        throw new IOException("socket mix-up: " + sendsFrom + " is not " + local);
      }
    }

    /**
     * Writes the datagram to this acceptor's socket. A send the socket fails (unreachable
     * network, say) reaches the handler's {@code exceptionCaught}, which counts it; a datagram
     * the kernel has no room for yet is queued by MINA and sent by the socket's I/O thread.
     *
     * @return false if the datagram was refused outright
     */
    boolean sendNow(byte[] payload, InetSocketAddress to) {
      WriteFuture written = write(payload, to);
      if (written.getException() instanceof WriteToClosedSessionException) {
        // The recycler closed that session between the look-up and the write; it has
        // forgotten it already, so the next look-up makes a new one.
        written = write(payload, to);
      }
      return written.getException() == null;
    }

    private WriteFuture write(byte[] payload, InetSocketAddress to) {
      return acceptor.newSession(to, local).write(IoBuffer.wrap(payload));
    }
  }

  /** Hands each datagram to the engine; errors are counted, the session is never closed. */
  private final class Handler extends IoHandlerAdapter {
    private final Inet4Address receivedOn;
    private final boolean bootServer;

    Handler(Inet4Address receivedOn, boolean bootServer) {
      this.receivedOn = receivedOn;
      this.bootServer = bootServer;
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
      IoBuffer buf = (IoBuffer) message;
      List<Outbound> replies;
      try {
        // The decoder copies what it keeps, so the buffer can go back to the allocator now.
        replies = engine.handle(buf.buf(), (InetSocketAddress) session.getRemoteAddress(),
            receivedOn, bootServer);
      } finally {
        buf.free();
      }
      for (Outbound o : replies) {
        send(o);
      }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
      if (cause instanceof IOException) {
        engine.stats().sendError();
      }
      LOG.debug("proxy-DHCP socket error with {}: {}", session.getRemoteAddress(),
          cause.toString());
    }
  }
}
