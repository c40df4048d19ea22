package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** Every token is exactly as strong as it says: no scoped admins, expiry, attributable use. */
class TokenTrustApiTest {

  @ApiTest
  void anAdminTokenTakesNoScope(RunningApp app) {
    String before = Fixtures.snapshot(app);
    Resp r = app.post("/api/v1/tokens", Map.of("name", Names.name("t"), "role", "admin",
        "environments", List.of("dev")));
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.body().get("field").asText()).isEqualTo("environments");
    assertThat(r.body().get("message").asText()).contains("operator");
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);
  }

  @ApiTest
  void expiresAtMustBeAFutureIsoTime(RunningApp app) {
    String before = Fixtures.snapshot(app);
    for (String bad : List.of("2001-01-01T00:00:00Z", "tomorrow", "2030-01-01",
        "+10000-01-01T00:00:00Z")) {
      Resp r = app.post("/api/v1/tokens", Map.of("name", Names.name("t"), "role", "viewer",
          "expiresAt", bad));
      assertThat(r.status()).as(bad + " " + r).isEqualTo(422);
      assertThat(r.body().get("field").asText()).isEqualTo("expiresAt");
    }
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);
  }

  @ApiTest
  void anExpiredTokenIsRefusedSayingSoAndListedWithItsExpiry(RunningApp app) throws Exception {
    String name = Names.name("short");
    Instant expires = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
    Resp created = app.post("/api/v1/tokens", Map.of("name", name, "role", "viewer",
        "expiresAt", expires.toString()));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String token = created.body().get("token").asText();
    assertThat(Instant.parse(created.body().get("info").get("expiresAt").asText()))
        .isEqualTo(expires);
    // Used while valid: cached by the token cache from here on, which must not outlive expiry.
    assertThat(app.get("/api/v1/hosts?limit=1", token).status()).isEqualTo(200);

    JsonNode listed = tokenNamed(app, name);
    assertThat(Instant.parse(listed.get("expiresAt").asText())).isEqualTo(expires);

    long wait = expires.toEpochMilli() - System.currentTimeMillis() + 200;
    Thread.sleep(Math.max(0, wait));
    Resp refused = app.get("/api/v1/hosts?limit=1", token);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
    assertThat(refused.body().get("field").asText()).isEqualTo("Authorization");
    assertThat(refused.body().get("message").asText()).contains("expired");
    assertThat(refused.header("WWW-Authenticate")).hasValueSatisfying(
        v -> assertThat(v).startsWith("Bearer").contains("invalid_token"));
  }

  @ApiTest
  void everyUseIsAttributable(RunningApp app) {
    String name = Names.name("ops");
    Resp created = app.post("/api/v1/tokens", Map.of("name", name, "role", "admin"));
    String token = created.body().get("token").asText();
    String id = created.body().get("info").get("id").asText();
    assertThat(created.body().get("info").get("lastUsedAt").isNull()).isTrue();

    String env = Names.name("env");
    assertThat(app.call("POST", "/api/v1/environments", token, Map.of("name", env)).status())
        .isEqualTo(201);
    JsonNode listed = tokenNamed(app, name);
    assertThat(listed.get("lastUsedAt").isNull()).as(listed.toString()).isFalse();

    Resp events = app.get("/api/v1/events?type=environment.created&limit=1000");
    JsonNode ev = null;
    for (JsonNode e : events.body().get("items")) {
      if (("environment:" + env).equals(e.get("subject").asText())) {
        ev = e;
      }
    }
    assertThat(ev).as(events.toString()).isNotNull();
    assertThat(ev.get("actor").asText()).isEqualTo(name + " (token " + id + ")");
  }

  @ApiTest
  void tokenEventsAreForAdminsOnly(RunningApp app) {
    String name = Names.name("seen");
    assertThat(app.post("/api/v1/tokens", Map.of("name", name, "role", "viewer")).status())
        .isEqualTo(201);
    String viewer = app.token("viewer");
    String operator = app.token("operator");
    for (String t : List.of(viewer, operator)) {
      for (String q : List.of("?type=token.created&limit=1000", "?limit=1000")) {
        Resp r = app.get("/api/v1/events" + q, t);
        assertThat(r.status()).isEqualTo(200);
        assertThat(types(r)).as(q).noneMatch(type -> type.startsWith("token."));
      }
    }
    assertThat(types(app.get("/api/v1/events?type=token.created&limit=1000")))
        .contains("token.created");
  }

  private static List<String> types(Resp r) {
    List<String> out = new ArrayList<>();
    r.body().get("items").forEach(e -> out.add(e.get("type").asText()));
    return out;
  }

  private static JsonNode tokenNamed(RunningApp app, String name) {
    for (JsonNode t : app.get("/api/v1/tokens").body()) {
      if (name.equals(t.get("name").asText())) {
        return t;
      }
    }
    throw new AssertionError("no token " + name);
  }
}
