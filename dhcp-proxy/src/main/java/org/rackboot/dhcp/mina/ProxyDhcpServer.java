package org.rackboot.dhcp.mina;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.transport.socket.nio.NioDatagramAcceptor;

/**
 * The proxy-DHCP listener on UDP 67 and 4011. Skeleton: binds the well-known port; the protocol engine is
 * built in the proxy-DHCP issue.
 */
public final class ProxyDhcpServer implements AutoCloseable {

  private final InetSocketAddress bindAddress;
  private NioDatagramAcceptor acceptor;

  public ProxyDhcpServer(InetSocketAddress bindAddress) {
    this.bindAddress = bindAddress;
  }

  /** Binds the listening socket; throws {@link java.net.BindException} if the port is taken. */
  public synchronized void start() throws IOException {
    NioDatagramAcceptor a = new NioDatagramAcceptor();
    a.setHandler(new IoHandlerAdapter());
    a.getSessionConfig().setReuseAddress(true);
    try {
      a.bind(bindAddress);
    } catch (IOException e) {
      a.dispose();
      throw e;
    }
    acceptor = a;
  }

  public synchronized boolean isBound() {
    return acceptor != null && acceptor.isActive();
  }

  /** The bound address (with the real port when 0 was asked for), or null before start. */
  public synchronized InetSocketAddress localAddress() {
    return acceptor == null ? null : (InetSocketAddress) acceptor.getLocalAddress();
  }

  @Override
  public synchronized void close() {
    if (acceptor != null) {
      // dispose() unbinds too; unbind() first makes MINA's acceptor thread wait out an interrupt.
      acceptor.dispose(false);
      acceptor = null;
    }
  }
}
