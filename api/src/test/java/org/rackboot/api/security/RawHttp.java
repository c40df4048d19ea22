package org.rackboot.api.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client over one kept-alive socket that sends request bytes exactly as given:
 * the JDK's client refuses or normalizes the malformed paths a fuzz must send. Reads a response
 * by its Content-Length, its chunks, or to the end when the server closes.
 */
final class RawHttp implements AutoCloseable {

  /** A response's status and body; {@code closed} when the server ended the connection. */
  record Response(int status, byte[] body, boolean closed) {}

  private final InetSocketAddress server;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawHttp(InetSocketAddress server) {
    this.server = server;
  }

  /**
   * Sends one request (head and body bytes as they are) and reads its response. A kept-alive
   * connection the server closed before this request (HTTP/1.1 lets it) is opened again and the
   * request sent once more, as any client does; a fresh connection closed unanswered is -1.
   */
  Response exchange(byte[] head, byte[] body) throws IOException {
    boolean reused = socket != null;
    Response r;
    try {
      r = send(head, body);
    } catch (IOException e) {
      if (!reused) {
        throw e;
      }
      close();
      return send(head, body);
    }
    if (r.status() < 0 && reused) {
      return send(head, body);
    }
    return r;
  }

  private Response send(byte[] head, byte[] body) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.connect(server, 5_000);
      // A server that hangs on a request fails the fuzz instead of stalling it.
      socket.setSoTimeout(20_000);
      socket.setTcpNoDelay(true);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    }
    out.write(head);
    out.write(body);
    out.flush();
    Response r = read();
    if (r.closed()) {
      close();
    }
    return r;
  }

  private Response read() throws IOException {
    String status = line();
    if (status == null) {
      return new Response(-1, new byte[0], true);
    }
    String[] parts = status.split(" ", 3);
    int code = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h = line(); h != null && !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> { }
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (long n = Long.parseLong(line().split(";")[0].trim(), 16); n > 0;
          n = Long.parseLong(line().split(";")[0].trim(), 16)) {
        copy(n, body);
        line();
      }
      for (String t = line(); t != null && !t.isEmpty(); t = line()) {
        // trailers: none expected
      }
    } else if (length >= 0) {
      copy(length, body);
    } else if (code != 204 && code != 304) {
      in.transferTo(body);
      close = true;
    }
    return new Response(code, body.toByteArray(), close);
  }

  private void copy(long n, ByteArrayOutputStream to) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new IOException("connection ended inside a body");
      }
      // Bodies are counted, not kept past 64 KiB: blobs can be large.
      if (to.size() < 65_536) {
        to.write(buf, 0, r);
      }
      n -= r;
    }
  }

  /** One CRLF-terminated line as ISO-8859-1 text, or null at the end of the stream. */
  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        byte[] bytes = b.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}
