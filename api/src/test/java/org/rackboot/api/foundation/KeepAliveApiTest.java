package org.rackboot.api.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.RunningApp;

/**
 * A request refused before its body is read (401, 403) must not cost the client its
 * keep-alive connection: a client that sends the headers and the body in two writes used to
 * find the connection closed under its next request ("header parser received no bytes").
 */
class KeepAliveApiTest {

  @ApiTest
  void aRefusedPostLeavesTheConnectionUsable(RunningApp app) throws Exception {
    URI base = URI.create(app.baseUri());
    String viewer = app.token("viewer");
    byte[] body = "{\"name\":\"refused-env\"}".getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();

      out.write(("POST /api/v1/environments HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + viewer + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String first = readResponse(in);
      assertThat(first).startsWith("HTTP/1.1 403");
      out.write(body);
      out.flush();

      out.write(("GET /api/v1/environments HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + viewer + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
    }
  }

  @ApiTest
  void anOversizedBodyIsRefusedWithConnectionClose(RunningApp app) throws Exception {
    // The body is never read, so Jetty closes the connection after the answer: the answer has
    // to say so, or a client may send its next request into a closing connection.
    URI base = URI.create(app.baseUri());
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("POST /api/v1/hosts HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: Bearer " + app.adminToken() + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + (64 << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = readResponse(s.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("Connection: close");
    }
  }

  /** Reads one response with a Content-Length body; an EOF before it is an empty string. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        break;
      }
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    assertThat(headers).doesNotContainIgnoringCase("transfer-encoding: chunked");
    in.readNBytes(length);
    return headers;
  }
}
