package org.rackboot.api.files;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.FutureCallback;

/**
 * Sends a large response body with sendfile(2): the kernel hands page-cache pages to the socket
 * and no CPU copy is made. Jetty has no such path (its writes copy every byte from memory into
 * the socket), and with clients and server on the same few cores that copy is what separates it
 * from nginx. So once Jetty has written the status line and headers, the body goes out through
 * {@link FileChannel#transferTo} on the connection's own socket.
 *
 * <p>Jetty never learns of those bytes and ends the exchange by closing the connection, so such
 * responses say {@code Connection: close}; used only for plain-socket HTTP/1.x bodies large enough
 * that a new connection for the next request costs nothing next to them.
 */
final class SendfileBody {

  /** Smaller bodies go through Jetty and keep the connection. */
  static final long MIN_LENGTH = 1L << 20;

  private final SocketChannelEndPoint endPoint;

  private SendfileBody(SocketChannelEndPoint endPoint) {
    this.endPoint = endPoint;
  }

  /** A sender for this request's connection, or null when the body must go through Jetty. */
  static SendfileBody forRequest(HttpServletRequest req, long length) {
    if (length < MIN_LENGTH || req.isSecure() || !req.getProtocol().startsWith("HTTP/1.")) {
      return null;
    }
    ServletContextRequest r = ServletContextRequest.getServletContextRequest(req);
    if (r == null) {
      return null;
    }
    EndPoint ep = r.getConnectionMetaData().getConnection().getEndPoint();
    return ep instanceof SocketChannelEndPoint s ? new SendfileBody(s) : null;
  }

  /**
   * Sends {@code length} bytes of {@code file} from {@code start}. The headers must already be on
   * the wire (the response flushed). Gives up when the client takes none of the bytes for the
   * connection's idle timeout.
   */
  void send(Path file, long start, long length) throws IOException {
    SocketChannel socket = endPoint.getChannel();
    long idleMillis = Math.max(1000, endPoint.getIdleTimeout());
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long pos = start;
      long end = start + length;
      while (pos < end) {
        long n = ch.transferTo(pos, end - pos, socket);
        if (n > 0) {
          pos += n;
          endPoint.notIdle();
          continue;
        }
        // The socket buffer is full (the channel is non-blocking and belongs to Jetty's
        // selector): let Jetty write the next byte, which parks until the client has read.
        ByteBuffer next = ByteBuffer.allocate(1);
        if (ch.read(next, pos) != 1) {
          throw new IOException("blob is shorter than its recorded size");
        }
        FutureCallback written = new FutureCallback();
        endPoint.write(written, next.flip());
        await(written, idleMillis);
        pos++;
      }
    }
  }

  private static void await(FutureCallback written, long millis) throws IOException {
    try {
      written.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("client read nothing for " + millis + " ms", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
