package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/**
 * Dev and QA own their environments: a token scoped to dev and staging pins and promotes up to
 * staging, while prod stays with the people allowed to change it.
 */
class PinScopeApiTest {

  @ApiTest
  void aScopedOperatorPinsAndPromotesOnlyWithinItsEnvironments(RunningApp app) throws Exception {
    String role = Names.name("app");
    BootFlowApiTest.publishImage(app, role, "1", ("image of " + role).getBytes(StandardCharsets.UTF_8));
    // Pins belong to a role of that name in each environment of the promotion order.
    for (String env : java.util.List.of("dev", "staging", "prod")) {
      app.post("/api/v1/environments", Map.of("name", env));
      assertThat(app.post("/api/v1/roles", Map.of("environment", env, "name", role,
          "imageName", role, "imageVersion", "1")).status()).isEqualTo(201);
    }
    String devTeam = app.token("operator", "dev", "staging");
    String base = "/api/v1/pins/" + role;
    Map<String, String> v1 = Map.of("image", role, "version", "1");

    assertThat(app.call("PUT", base + "/dev", devTeam, v1).status()).isEqualTo(200);
    Resp toStaging = app.call("POST", base + "/dev/promote", devTeam, null);
    assertThat(toStaging.status()).as(toStaging.toString()).isEqualTo(200);
    assertThat(toStaging.body().get("environment").asText()).isEqualTo("staging");

    // Staging to prod, or prod directly: not this token's environment. Nothing changes.
    Resp toProd = app.call("POST", base + "/staging/promote", devTeam, null);
    assertThat(toProd.status()).as(toProd.toString()).isEqualTo(403);
    assertThat(toProd.body().get("field").asText()).isEqualTo("environment");
    assertThat(app.call("PUT", base + "/prod", devTeam, v1).status()).isEqualTo(403);
    assertThat(app.call("POST", base + "/prod/rollback", devTeam, null).status()).isEqualTo(403);
    assertThat(app.get(base + "/prod").status()).isEqualTo(404);

    // The people allowed to change prod can; the dev team does not even see it.
    assertThat(app.call("POST", base + "/staging/promote", app.adminToken(), null).status())
        .isEqualTo(200);
    assertThat(app.call("GET", base + "/prod", devTeam, null).status()).isEqualTo(403);
    Resp seen = app.call("GET", "/api/v1/pins", devTeam, null);
    assertThat(seen.body().findValues("environment")).extracting(n -> n.asText())
        .contains("dev", "staging").doesNotContain("prod");
    // A viewer reads but never changes.
    assertThat(app.call("PUT", base + "/dev", app.token("viewer", "dev"), v1).status()).isEqualTo(403);
  }

  /** Pins go by role name: a pinned role cannot be renamed out from under its pin. */
  @ApiTest
  void aPinnedRoleKeepsItsName(RunningApp app) throws Exception {
    String env = org.rackboot.api.testsupport.Fixtures.environment(app);
    String name = Names.name("pinned");
    BootFlowApiTest.publishImage(app, name, "1", ("image of " + name).getBytes(StandardCharsets.UTF_8));
    Resp role = app.call("POST", "/api/v1/roles", app.adminToken(),
        Map.of("environment", env, "name", name, "imageName", name, "imageVersion", "1"));
    assertThat(role.status()).as(role.toString()).isEqualTo(201);
    String id = role.body().get("id").asText();
    Map<String, Object> renamed = Map.of("name", name + "-2", "imageName", name, "imageVersion", "1");
    // Unpinned, a rename is fine (and back again).
    assertThat(app.call("PUT", "/api/v1/roles/" + id, app.adminToken(), renamed).status())
        .isEqualTo(200);
    assertThat(app.call("PUT", "/api/v1/roles/" + id, app.adminToken(),
        Map.of("name", name, "imageName", name, "imageVersion", "1")).status()).isEqualTo(200);
    assertThat(app.call("PUT", "/api/v1/pins/" + name + "/" + env, app.adminToken(),
        Map.of("image", name, "version", "1")).status()).isEqualTo(200);
    Resp refused = app.call("PUT", "/api/v1/roles/" + id, app.adminToken(), renamed);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.body().get("field").asText()).isEqualTo("name");
    assertThat(app.get("/api/v1/roles/" + id).body().get("name").asText()).isEqualTo(name);
  }
}
