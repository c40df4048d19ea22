package org.rackboot.api.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** Every error body has the documented shape, Jetty's own refusals included. */
class ErrorShapeApiTest {

  /** Sends one raw request line (no client normalizes it) and returns status line and body. */
  private static String[] raw(String base, String target) throws Exception {
    URI u = URI.create(base);
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      return new String[] {text.substring(0, text.indexOf("\r\n")),
          end < 0 ? "" : text.substring(end + 4), text.substring(0, Math.max(0, end))};
    }
  }

  private static void jsonError(String what, String[] r) throws Exception {
    assertThat(r[0]).as(what).matches("HTTP/1\\.1 4\\d\\d .*");
    assertThat(r[2].toLowerCase()).as(what + " headers").contains("content-type: application/json");
    String body = r[1];
    if (r[2].toLowerCase().contains("transfer-encoding: chunked")) {
      body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("}") + 1);
    }
    JsonNode j = new ObjectMapper().readTree(body);
    assertThat(j.get("code").asInt()).as(what).isEqualTo(Integer.parseInt(r[0].split(" ")[1]));
    assertThat(j.get("field").asText()).as(what + " " + body).isNotEmpty();
    assertThat(j.get("message").asText()).as(what).isNotEmpty();
  }

  @ApiTest
  void jettyRefusalsAreJsonOnBothPorts(RunningApp app) throws Exception {
    for (String base : List.of(app.baseUri(), app.adminUri())) {
      for (String target : List.of("/files/blobs/..%2f..", "//", "/api/v1/hosts/..%2f..%2fx",
          "/" + "a".repeat(10_000), "/%")) {
        jsonError(base + target.substring(0, Math.min(40, target.length())), raw(base, target));
      }
    }
  }

  @ApiTest
  void conflictsAndUnknownPathsNameAField(RunningApp app) {
    String env = Names.name("env");
    assertThat(app.post("/api/v1/environments", Map.of("name", env)).status()).isEqualTo(201);
    Resp dup = app.post("/api/v1/environments", Map.of("name", env));
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.body().get("field").asText()).isEqualTo("name");
    Resp none = app.get("/api/v1/no-such-thing");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.body().get("field").asText()).isEqualTo("path");
    Resp method = app.call("PATCH", "/api/v1/environments", app.adminToken(), Map.of());
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.body().get("field").asText()).isEqualTo("method");
    org.rackboot.api.testsupport.Fixtures.image(app, "dupimg", "1");
    Resp republish = app.post("/api/v1/images", Map.of("name", "dupimg", "version", "1",
        "os", "linux", "arch", "x86_64", "artifacts", List.of()));
    assertThat(republish.status()).as(republish.toString()).isIn(409, 422);
    assertThat(republish.body().get("field").asText()).isNotEmpty();
  }
}
