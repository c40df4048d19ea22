package org.rackboot.api.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders over the HTTP API, and a snapshot of the whole database for "nothing changed". */
public final class Fixtures {

  private Fixtures() {}

  public static String environment(RunningApp app) {
    String name = Names.name("env");
    RunningApp.Resp r = app.post("/api/v1/environments", Map.of("name", name));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return name;
  }

  /**
   * Makes sure image NAME VERSION is published (one small disk artifact): roles may name only
   * published images.
   */
  public static void image(RunningApp app, String name, String version) {
    byte[] disk = ("disk of " + name + " " + version).getBytes(StandardCharsets.UTF_8);
    String sha;
    try {
      sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(disk));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try {
      HttpResponse<String> up = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(app.baseUri() + "/api/v1/images/_blobs/" + sha))
              .header("Authorization", "Bearer " + app.adminToken())
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofByteArray(disk)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(up.statusCode()).as(up.body()).isBetween(200, 299);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    RunningApp.Resp pub = app.post("/api/v1/images", Map.of("name", name, "version", version,
        "os", "linux", "arch", "x86_64", "artifacts", List.of(Map.of("name", "disk.img",
            "part", "disk", "sha256", sha, "size", disk.length))));
    assertThat(pub.status()).as(pub.toString()).isIn(201, 409);
  }

  public static JsonNode role(RunningApp app, String env, String image, String version) {
    if (image != null) {
      image(app, image, version);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("environment", env);
    body.put("name", Names.name("role"));
    body.put("imageName", image);
    body.put("imageVersion", version);
    body.put("kernelArgs", "console=ttyS0");
    body.put("installTemplate", "preseed.cfg");
    body.put("variables", Map.of("ntp", "pool.ntp.org", "raid", 1));
    RunningApp.Resp r = app.post("/api/v1/roles", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.body();
  }

  /** A host with the given MACs (the first is the boot NIC). */
  public static JsonNode host(RunningApp app, String... macs) {
    return namedHost(app, Names.host("h"), macs);
  }

  public static JsonNode namedHost(RunningApp app, String hostname, String... macs) {
    RunningApp.Resp r = app.post("/api/v1/hosts", hostBody(hostname, macs));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.body();
  }

  public static Map<String, Object> hostBody(String hostname, String... macs) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("hostname", hostname);
    body.put("serial", Names.name("SN"));
    body.put("vendor", "Acme");
    body.put("rack", "r1");
    body.put("rackPosition", 12);
    List<Map<String, Object>> nics = new ArrayList<>();
    for (int i = 0; i < macs.length; i++) {
      nics.add(Map.of("mac", macs[i], "name", "eth" + i, "boot", i == 0));
    }
    body.put("nics", nics);
    return body;
  }

  /** A host in an environment with a role: state ready. */
  public static JsonNode readyHost(RunningApp app, String env, String role) {
    JsonNode h = host(app, Names.mac());
    RunningApp.Resp r = app.call("PUT", "/api/v1/hosts/" + h.get("id").asText() + "/role",
        app.adminToken(), Map.of("environment", env, "role", role));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.body();
  }

  /**
   * Every row of every inventory table, rendered as text: equal snapshots mean the database did
   * not change at all (events included).
   */
  public static String snapshot(RunningApp app) {
    StringBuilder out = new StringBuilder();
    for (String sql : List.of(
        "SELECT * FROM hosts ORDER BY seq",
        "SELECT * FROM nics ORDER BY mac",
        "SELECT * FROM roles ORDER BY id",
        "SELECT * FROM environments ORDER BY name",
        "SELECT id, host_id, reported_at FROM hardware_facts ORDER BY id",
        "SELECT id, name, role, revoked_at FROM api_tokens ORDER BY id",
        "SELECT id, type, host_id FROM events ORDER BY id")) {
      out.append(sql).append('\n');
      app.jdbi().useHandle(h -> h.createQuery(sql).mapToMap().forEach(
          row -> out.append(row).append('\n')));
    }
    return out.toString();
  }
}
