package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** Bearer tokens, roles and environment scopes. */
class AuthApiTest {

  @ApiTest
  void noTokenIs401AndABadTokenToo(RunningApp app) {
    Resp none = app.get("/api/v1/hosts", null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body().get("field").asText()).isEqualTo("Authorization");
    assertThat(none.header("WWW-Authenticate")).hasValueSatisfying(
        v -> assertThat(v).startsWith("Bearer"));
    assertThat(app.get("/api/v1/hosts", "rb_not-a-token").status()).isEqualTo(401);
    assertThat(app.call("GET", "/api/v1/hosts", null, null, "Authorization", "Basic YTpi")
        .status()).isEqualTo(401);
  }

  @ApiTest
  void rolesDecideWhatATokenMayDo(RunningApp app) {
    String env = Fixtures.environment(app);
    String role = Fixtures.role(app, env, "img", "1").get("name").asText();
    String hostId = Fixtures.readyHost(app, env, role).get("id").asText();
    String viewer = app.token("viewer");
    String automation = app.token("automation");
    String operator = app.token("operator");

    String before = Fixtures.snapshot(app);
    assertThat(app.get("/api/v1/hosts/" + hostId, viewer).status()).isEqualTo(200);
    Resp viewerPatch = app.call("PATCH", "/api/v1/hosts/" + hostId, viewer,
        Map.of("notes", "x"));
    assertThat(viewerPatch.status()).isEqualTo(403);
    assertThat(viewerPatch.body().get("field").asText()).isEqualTo("Authorization");
    assertThat(app.call("POST", "/api/v1/hosts/" + hostId + "/rebuild", viewer, null).status())
        .isEqualTo(403);
    assertThat(app.call("PATCH", "/api/v1/hosts/" + hostId, automation, Map.of("notes", "x"))
        .status()).isEqualTo(403);
    assertThat(app.call("POST", "/api/v1/hosts", automation,
        Fixtures.hostBody(Names.host("a"), Names.mac())).status()).isEqualTo(403);
    assertThat(app.call("POST", "/api/v1/environments", operator, Map.of("name", "nope"))
        .status()).isEqualTo(403);
    assertThat(app.call("GET", "/api/v1/tokens", operator, null).status()).isEqualTo(403);
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);

    assertThat(app.call("PATCH", "/api/v1/hosts/" + hostId, operator, Map.of("notes", "ok"))
        .status()).isEqualTo(200);
    assertThat(app.call("POST", "/api/v1/hosts/" + hostId + "/rebuild", automation, null)
        .status()).isEqualTo(200);
  }

  @ApiTest
  void scopedTokensNeitherSeeNorChangeOtherEnvironments(RunningApp app) {
    String dev = Fixtures.environment(app);
    String prod = Fixtures.environment(app);
    String devRole = Fixtures.role(app, dev, "img", "1").get("name").asText();
    String prodRole = Fixtures.role(app, prod, "img", "1").get("name").asText();
    JsonNode devHost = Fixtures.readyHost(app, dev, devRole);
    JsonNode prodHost = Fixtures.readyHost(app, prod, prodRole);
    String devOperator = app.token("operator", dev);
    String devViewer = app.token("viewer", dev);

    // Lists show only the token's environments.
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Resp page = app.get("/api/v1/hosts?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor),
          devViewer);
      page.body().get("items").forEach(h -> seen.add(h.get("environment").asText()));
      cursor = page.body().get("next").isNull() ? null : page.body().get("next").asText();
    } while (cursor != null && ++pages < 100);
    assertThat(seen).isNotEmpty().containsOnly(dev);
    assertThat(app.get("/api/v1/environments", devViewer).body().findValuesAsText("name"))
        .containsExactly(dev);
    assertThat(app.get("/api/v1/roles", devViewer).body().findValuesAsText("environment"))
        .containsOnly(dev);
    assertThat(app.get("/api/v1/events", devViewer).body().get("items").findValuesAsText("hostId"))
        .doesNotContain(prodHost.get("id").asText()).contains(devHost.get("id").asText());

    String before = Fixtures.snapshot(app);
    String prodPath = "/api/v1/hosts/" + prodHost.get("id").asText();
    Resp read = app.get(prodPath, devOperator);
    assertThat(read.status()).isEqualTo(403);
    assertThat(read.body().get("field").asText()).isEqualTo("environment");
    assertThat(app.get(prodPath + "/events", devOperator).status()).isEqualTo(403);
    assertThat(app.get("/api/v1/hosts/by-mac/"
        + prodHost.get("nics").get(0).get("mac").asText(), devOperator).status()).isEqualTo(403);
    assertThat(app.call("PATCH", prodPath, devOperator, Map.of("notes", "x")).status())
        .isEqualTo(403);
    assertThat(app.call("POST", prodPath + "/rebuild", devOperator, null).status())
        .isEqualTo(403);
    // Moving its own host into prod is a change to prod: refused too.
    assertThat(app.call("PUT", "/api/v1/hosts/" + devHost.get("id").asText() + "/role",
        devOperator, Map.of("environment", prod, "role", prodRole)).status()).isEqualTo(403);
    assertThat(app.call("POST", "/api/v1/roles", devOperator,
        Map.of("environment", prod, "name", "sneaky")).status()).isEqualTo(403);
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);

    assertThat(app.call("POST", "/api/v1/hosts/" + devHost.get("id").asText() + "/rebuild",
        devOperator, null).status()).isEqualTo(200);
  }

  @ApiTest
  void adminManagesTokensAndRevokedTokensStopWorking(RunningApp app) {
    Resp created = app.post("/api/v1/tokens",
        Map.of("name", Names.name("ci"), "role", "viewer", "environments", List.of("dev")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String token = created.body().get("token").asText();
    String id = created.body().get("info").get("id").asText();
    assertThat(token).startsWith("rb_");
    assertThat(app.get("/api/v1/environments", token).status()).isEqualTo(200);

    Resp list = app.get("/api/v1/tokens");
    assertThat(list.body().findValuesAsText("id")).contains(id);
    assertThat(list.raw()).doesNotContain(token);
    // Only the hash is stored.
    int plain = app.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM api_tokens WHERE token_hash = :t").bind("t", token)
        .mapTo(Integer.class).one());
    assertThat(plain).isZero();

    Resp badRole = app.post("/api/v1/tokens", Map.of("name", Names.name("x"), "role", "root"));
    assertThat(badRole.status()).isEqualTo(422);
    assertThat(badRole.body().get("field").asText()).isEqualTo("role");

    Resp revoked = app.call("DELETE", "/api/v1/tokens/" + id, app.adminToken(), null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.body().get("revokedAt").isNull()).isFalse();
    assertThat(app.get("/api/v1/environments", token).status()).isEqualTo(401);
  }
}
