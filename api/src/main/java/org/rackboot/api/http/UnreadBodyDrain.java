package org.rackboot.api.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Reads what is left of a small request body that the application answered without reading
 * (a 401 or 403 is decided from the headers alone). Jetty keeps a connection open only if the
 * body was consumed when the exchange completes; otherwise it closes the connection after the
 * response, and a client that already reused it for its next request sees that request fail.
 * Bodies over the limit are not read here: their answers say {@code Connection: close} up front,
 * so that the client does not reuse a connection that Jetty may close.
 */
public final class UnreadBodyDrain implements Filter {

  private final long limit;

  public UnreadBodyDrain(long limit) {
    this.limit = limit;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    long length = request.getContentLengthLong();
    if (length > limit && response instanceof HttpServletResponse http) {
      http.setHeader("Connection", "close");
    }
    chain.doFilter(request, response);
    if (length <= 0 || length > limit || request.isAsyncStarted()
        || !(request instanceof HttpServletRequest)) {
      return;
    }
    try {
      ServletInputStream in = request.getInputStream();
      byte[] sink = new byte[8192];
      long left = length;
      int n;
      while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException | IllegalStateException e) {
      // The client went away or the body was read as characters: Jetty decides as before.
    }
  }
}
