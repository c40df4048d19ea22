package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.AppConfig;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/**
 * Every bad input of the issue: a clear 4xx whose body names the field and the reason, and the
 * database exactly as it was (every table, events included).
 */
@AppConfig({"api.maxBodySize=16KiB"})
class BadInputApiTest {

  /** Sends, checks status and field, and that nothing in the database changed. */
  private static JsonNode refused(RunningApp app, int status, String field, String method,
      String path, String token, Object body, String... headers) {
    String before = Fixtures.snapshot(app);
    Resp r = app.call(method, path, token, body, headers);
    assertThat(r.status()).as(method + " " + path + " -> " + r).isEqualTo(status);
    assertThat(r.body()).as(r.raw()).isNotNull();
    assertThat(r.body().get("code").asInt()).isEqualTo(status);
    if (field != null) {
      assertThat(r.body().get("field").asText()).as(r.raw()).isEqualTo(field);
    }
    assertThat(r.body().get("message").asText()).isNotBlank();
    assertThat(Fixtures.snapshot(app)).as("database unchanged").isEqualTo(before);
    return r.body();
  }

  private static JsonNode create(RunningApp app, int status, String field, Object body) {
    return refused(app, status, field, "POST", "/api/v1/hosts", app.adminToken(), body);
  }

  @ApiTest
  void malformedJson(RunningApp app) {
    create(app, 400, "body", "{\"hostname\": \"a.example\",");
    create(app, 400, "body", "{\"hostname\": \"a.example\"} trailing");
    create(app, 400, "body", "{\"hostname\": \"a\", \"hostname\": \"b\"}");
    refused(app, 400, "body", "PATCH", "/api/v1/hosts/" + Fixtures.host(app, Names.mac())
        .get("id").asText(), app.adminToken(), "{not json");
  }

  @ApiTest
  void wrongTypesAndUnknownFields(RunningApp app) {
    create(app, 422, "hostname", Map.of("hostname", 42));
    create(app, 422, "rackPosition", Map.of("hostname", Names.host("t"), "rackPosition", "12"));
    create(app, 422, "nics", Map.of("hostname", Names.host("t"), "nics", "aa:bb:cc:dd:ee:ff"));
    create(app, 422, "nics[0].boot", Map.of("hostname", Names.host("t"),
        "nics", List.of(Map.of("mac", Names.mac(), "boot", "yes"))));
    JsonNode unknown = create(app, 400, "colour", Map.of("hostname", Names.host("t"),
        "colour", "blue"));
    assertThat(unknown.get("message").asText()).contains("unknown field");
    create(app, 400, "nics[0].speed", Map.of("hostname", Names.host("t"),
        "nics", List.of(Map.of("mac", Names.mac(), "speed", 10))));
    String id = Fixtures.host(app, Names.mac()).get("id").asText();
    refused(app, 422, "notes", "PATCH", "/api/v1/hosts/" + id, app.adminToken(),
        Map.of("notes", List.of("x")));
    refused(app, 400, "state", "PATCH", "/api/v1/hosts/" + id, app.adminToken(),
        Map.of("state", "deployed"));
  }

  @ApiTest
  void badMacs(RunningApp app) {
    for (String bad : List.of("aa:bb:cc:dd:ee", "aa:bb:cc:dd:ee:gg", "aa-bb:cc-dd:ee-ff",
        "aabb.ccdd.eefg", "aabbccddeeff00", "aa:bb:cc:dd:ee:ff ", "", "１１:22:33:44:55:66")) {
      JsonNode e = create(app, 422, "nics[1].mac", Map.of("hostname", Names.host("m"),
          "nics", List.of(Map.of("mac", Names.mac()), Map.of("mac", bad))));
      assertThat(e.get("message").asText()).contains("aabb.ccdd.eeff");
    }
    create(app, 422, "nics[0].mac", Map.of("hostname", Names.host("m"),
        "nics", List.of(Map.of("name", "eth0"))));
    String m = Names.mac();
    create(app, 422, "nics[1].mac", Map.of("hostname", Names.host("m"),
        "nics", List.of(Map.of("mac", m), Map.of("mac", m.toUpperCase()))));
    create(app, 422, "nics", Map.of("hostname", Names.host("m"), "nics", List.of(
        Map.of("mac", Names.mac(), "boot", true), Map.of("mac", Names.mac(), "boot", true))));
    refused(app, 400, "mac", "GET", "/api/v1/hosts?mac=nonsense", app.adminToken(), null);
  }

  @ApiTest
  void macAlreadyOnAnotherHostNamesThatHost(RunningApp app) {
    String mac = Names.mac();
    JsonNode owner = Fixtures.host(app, mac);
    JsonNode e = create(app, 409, "nics[0].mac", Fixtures.hostBody(Names.host("dup"),
        mac.toUpperCase().replace(':', '-')));
    assertThat(e.get("host").asText()).isEqualTo(owner.get("id").asText());
    assertThat(e.get("message").asText()).contains(owner.get("id").asText())
        .contains(owner.get("hostname").asText()).contains(mac);
    String other = Fixtures.host(app, Names.mac()).get("id").asText();
    refused(app, 409, "nics[0].mac", "PATCH", "/api/v1/hosts/" + other, app.adminToken(),
        Map.of("nics", List.of(Map.of("mac", mac))));
  }

  @ApiTest
  void duplicateHostname(RunningApp app) {
    JsonNode h = Fixtures.host(app, Names.mac());
    JsonNode e = create(app, 409, "hostname", Fixtures.hostBody(
        h.get("hostname").asText().toUpperCase(), Names.mac()));
    assertThat(e.get("host").asText()).isEqualTo(h.get("id").asText());
    String other = Fixtures.host(app, Names.mac()).get("id").asText();
    refused(app, 409, "hostname", "PATCH", "/api/v1/hosts/" + other, app.adminToken(),
        Map.of("hostname", h.get("hostname").asText()));
  }

  @ApiTest
  void nonexistentRole(RunningApp app) {
    String env = Fixtures.environment(app);
    String id = Fixtures.host(app, Names.mac()).get("id").asText();
    refused(app, 422, "role", "PUT", "/api/v1/hosts/" + id + "/role", app.adminToken(),
        Map.of("environment", env, "role", "ghost"));
    refused(app, 422, "role", "PUT", "/api/v1/hosts/" + id + "/role", app.adminToken(),
        Map.of("environment", env));
  }

  @ApiTest
  void oversizedBody(RunningApp app) {
    String big = "x".repeat(20 * 1024);
    create(app, 413, "body", Map.of("hostname", Names.host("big"), "notes", big));
    refused(app, 413, "body", "POST", "/api/v1/discovery?token=" + RunningApp.DISCOVERY_TOKEN,
        null, Map.of("macs", List.of(Names.mac()), "junk", big));
    // The installer's endpoints read the body before they check the token: capped too, so an
    // unauthenticated caller cannot make the server buffer a large document.
    refused(app, 413, "body", "POST", "/api/v1/provision/nobody/progress", null,
        Map.of("phase", big, "message", big));
    refused(app, 413, "body", "PUT", "/api/v1/pins/web/dev", app.adminToken(),
        Map.of("image", big, "version", "1"));
    refused(app, 413, "body", "POST", "/api/v1/images", app.adminToken(),
        Map.of("name", "big", "version", "1", "description", big));
  }

  @ApiTest
  void oversizedChunkedBodyIsCutOffWhileStreaming(RunningApp app) throws Exception {
    // No Content-Length: the cap has to trip while the body is read.
    String before = Fixtures.snapshot(app);
    byte[] big = ("{\"hostname\":\"" + Names.host("chunk") + "\",\"notes\":\""
        + "y".repeat(40 * 1024) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.baseUri() + "/api/v1/hosts"))
            .header("Authorization", "Bearer " + app.adminToken())
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(big)))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
    assertThat(app.json().readTree(r.body()).get("field").asText()).isEqualTo("body");
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);
  }

  @ApiTest
  void tokenOfWrongEnvironmentOrRole(RunningApp app) {
    String env = Fixtures.environment(app);
    String role = Fixtures.role(app, env, "i", "1").get("name").asText();
    String id = Fixtures.readyHost(app, env, role).get("id").asText();
    String otherEnv = Fixtures.environment(app);
    refused(app, 403, "environment", "POST", "/api/v1/hosts/" + id + "/rebuild",
        app.token("operator", otherEnv), null);
    refused(app, 403, "Authorization", "POST", "/api/v1/hosts/" + id + "/rebuild",
        app.token("viewer", env), null);
    refused(app, 403, "Authorization", "POST", "/api/v1/hosts/" + id + "/retire",
        app.token("automation", env), null);
    refused(app, 401, "Authorization", "POST", "/api/v1/hosts/" + id + "/rebuild", null, null);
  }

  @ApiTest
  void controlCharactersAndLongStringsInNames(RunningApp app) {
    create(app, 422, "hostname", Map.of("hostname", "web\u0000.example"));
    create(app, 422, "hostname", Map.of("hostname", "web\n01"));
    create(app, 422, "hostname", Map.of("hostname", "a".repeat(64) + ".example"));
    create(app, 422, "hostname", Map.of("hostname", ("abc.").repeat(64) + "x"));
    create(app, 422, "hostname", Map.of("hostname", "-web.example"));
    create(app, 422, "hostname", Map.of("hostname", "web_01.example"));
    create(app, 422, "hostname", Map.of("hostname", "wéb.example"));
    create(app, 422, "serial", Map.of("hostname", Names.host("c"), "serial", "SN\u001b[31m"));
    create(app, 422, "vendor", Map.of("hostname", Names.host("c"), "vendor", "v".repeat(129)));
    create(app, 422, "nics[0].name", Map.of("hostname", Names.host("c"),
        "nics", List.of(Map.of("mac", Names.mac(), "name", "eth\u00850"))));
    refused(app, 422, "name", "POST", "/api/v1/environments", app.adminToken(),
        Map.of("name", "Prod\t"));
    refused(app, 422, "name", "POST", "/api/v1/environments", app.adminToken(),
        Map.of("name", "e".repeat(64)));
    String env = Fixtures.environment(app);
    refused(app, 422, "name", "POST", "/api/v1/roles", app.adminToken(),
        Map.of("environment", env, "name", "web\u0007"));
    refused(app, 422, "kernelArgs", "POST", "/api/v1/roles", app.adminToken(),
        Map.of("environment", env, "name", "web", "kernelArgs", "a".repeat(4001)));
    refused(app, 422, "variables", "POST", "/api/v1/roles", app.adminToken(),
        Map.of("environment", env, "name", "web", "variables", List.of(1, 2)));
    // A role names its image as the image store does: a name the store cannot hold is refused,
    // and case is the store's (lower).
    refused(app, 422, "imageName", "POST", "/api/v1/roles", app.adminToken(),
        Map.of("environment", env, "name", "web", "imageName", "my image", "imageVersion", "1"));
    refused(app, 422, "imageVersion", "POST", "/api/v1/roles", app.adminToken(),
        Map.of("environment", env, "name", "web", "imageName", "base", "imageVersion", "latest"));
    Fixtures.image(app, "base", "v1");
    Resp upper = app.call("POST", "/api/v1/roles", app.adminToken(), Map.of("environment", env,
        "name", Names.name("case"), "imageName", "Base", "imageVersion", "V1"));
    assertThat(upper.status()).as(upper.toString()).isEqualTo(201);
    assertThat(upper.body().get("imageName").asText()).isEqualTo("base");
    assertThat(upper.body().get("imageVersion").asText()).isEqualTo("v1");
    refused(app, 422, "name", "POST", "/api/v1/tokens", app.adminToken(),
        Map.of("name", "tok\r\nen", "role", "viewer"));
    // These were 500s: a missing role, a scope longer than its column.
    refused(app, 422, "role", "POST", "/api/v1/tokens", app.adminToken(),
        Map.of("name", Names.name("norole")));
    List<String> envs = new java.util.ArrayList<>();
    for (int i = 0; i < 32; i++) {
      envs.add(String.format("e%02d", i) + "x".repeat(60));
    }
    refused(app, 422, "environments", "POST", "/api/v1/tokens", app.adminToken(),
        Map.of("name", Names.name("wide"), "role", "viewer", "environments", envs));
    // A bad number in a query parameter is the caller's mistake, not a missing resource (or a
    // 500 when it overflows).
    refused(app, 422, "graceSeconds", "POST", "/api/v1/images/_gc?graceSeconds=abc",
        app.adminToken(), null);
    refused(app, 422, "graceSeconds", "POST",
        "/api/v1/images/_gc?graceSeconds=9223372036854775807", app.adminToken(), null);
  }

  @ApiTest
  void idThatIsNotAUuid(RunningApp app) {
    for (String path : List.of("/api/v1/hosts/42", "/api/v1/hosts/not-a-uuid/events",
        "/api/v1/hosts/../../etc/facts", "/api/v1/roles/x")) {
      Resp r = app.get(path);
      assertThat(r.status()).as(path + " " + r).isIn(400, 404);
    }
    refused(app, 400, "id", "GET", "/api/v1/hosts/42", app.adminToken(), null);
    refused(app, 400, "id", "POST", "/api/v1/hosts/nope/rebuild", app.adminToken(), null);
    refused(app, 400, "id", "PATCH", "/api/v1/hosts/123e4567-e89b-12d3-a456-42661417400g",
        app.adminToken(), Map.of("notes", "x"));
    refused(app, 404, "id", "GET", "/api/v1/hosts/123e4567-e89b-12d3-a456-426614174000",
        app.adminToken(), null);
  }

  @ApiTest
  void rebuildOfARetiredHost(RunningApp app) {
    String env = Fixtures.environment(app);
    String role = Fixtures.role(app, env, "i", "1").get("name").asText();
    String id = Fixtures.readyHost(app, env, role).get("id").asText();
    assertThat(app.call("POST", "/api/v1/hosts/" + id + "/retire", app.adminToken(), null)
        .status()).isEqualTo(200);
    JsonNode e = refused(app, 409, "state", "POST", "/api/v1/hosts/" + id + "/rebuild",
        app.adminToken(), null);
    assertThat(e.get("message").asText()).contains("retired")
        .contains("ready, provisioning, deployed, failed");
  }

  @ApiTest
  void staleIfMatchAndBadQueryParameters(RunningApp app) {
    String id = Fixtures.host(app, Names.mac()).get("id").asText();
    refused(app, 412, "If-Match", "PATCH", "/api/v1/hosts/" + id, app.adminToken(),
        Map.of("notes", "x"), "If-Match", "\"99\"");
    refused(app, 412, "If-Match", "POST", "/api/v1/hosts/" + id + "/retire", app.adminToken(),
        null, "If-Match", "W/\"garbage\"");
    refused(app, 400, "from", "GET", "/api/v1/events?from=yesterday", app.adminToken(), null);
    refused(app, 400, "since", "GET", "/api/v1/events?since=-4", app.adminToken(), null);
    refused(app, 400, "wait", "GET", "/api/v1/events?wait=100000", app.adminToken(), null);
  }

  @ApiTest
  void sqlInjectionAttemptsAreJustStrings(RunningApp app) {
    String evil = "x' OR '1'='1";
    Resp r = app.get("/api/v1/hosts?serial=" + java.net.URLEncoder.encode(evil,
        java.nio.charset.StandardCharsets.UTF_8) + "&hostnamePrefix=%25");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("items")).isEmpty();
    refused(app, 404, "id", "DELETE", "/api/v1/tokens/00000000-0000-0000-0000-000000000000",
        app.adminToken(), null);
  }
}
