package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** Environments and roles: CRUD, uniqueness per environment, versions. */
class CatalogApiTest {

  @ApiTest
  void environmentsAreCreatedListedAndDeletedWhenEmpty(RunningApp app) {
    String env = Fixtures.environment(app);
    assertThat(app.get("/api/v1/environments").body().findValuesAsText("name")).contains(env);
    assertThat(app.get("/api/v1/environments/" + env).status()).isEqualTo(200);
    Resp dup = app.post("/api/v1/environments", Map.of("name", env));
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.body().get("field").asText()).isEqualTo("name");
    Fixtures.role(app, env, "i", "1");
    assertThat(app.call("DELETE", "/api/v1/environments/" + env, app.adminToken(), null)
        .status()).isEqualTo(409);
    String empty = Fixtures.environment(app);
    assertThat(app.call("DELETE", "/api/v1/environments/" + empty, app.adminToken(), null)
        .status()).isEqualTo(204);
    assertThat(app.get("/api/v1/environments/" + empty).status()).isEqualTo(404);
  }

  @ApiTest
  void rolesAreUniquePerEnvironmentAndVersioned(RunningApp app) {
    String dev = Fixtures.environment(app);
    String prod = Fixtures.environment(app);
    JsonNode role = Fixtures.role(app, dev, "debian", "12.1");
    String name = role.get("name").asText();
    assertThat(role.get("variables").get("ntp").asText()).isEqualTo("pool.ntp.org");
    assertThat(role.get("kernelArgs").asText()).isEqualTo("console=ttyS0");
    assertThat(role.get("installTemplate").asText()).isEqualTo("preseed.cfg");
    // Same name in another environment is fine; twice in one is not.
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("environment", prod);
    body.put("name", name);
    assertThat(app.post("/api/v1/roles", body).status()).isEqualTo(201);
    body.put("environment", dev);
    Resp dup = app.post("/api/v1/roles", body);
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.body().get("field").asText()).isEqualTo("name");

    String path = "/api/v1/roles/" + role.get("id").asText();
    Resp got = app.get(path);
    assertThat(got.header("ETag")).contains("\"1\"");
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("name", name);
    Fixtures.image(app, "debian", "12.2");
    update.put("imageName", "debian");
    update.put("imageVersion", "12.2");
    Resp put = app.call("PUT", path, app.adminToken(), update, "If-Match", "\"1\"");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.body().get("version").asLong()).isEqualTo(2);
    assertThat(put.body().get("imageVersion").asText()).isEqualTo("12.2");
    String before = Fixtures.snapshot(app);
    Resp stale = app.call("PUT", path, app.adminToken(), update, "If-Match", "\"1\"");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);

    assertThat(app.get("/api/v1/roles?environment=" + dev).body().findValuesAsText("name"))
        .containsExactly(name);

    // A role in use cannot be deleted; an unused one can.
    Fixtures.readyHost(app, dev, name);
    assertThat(app.call("DELETE", path, app.adminToken(), null).status()).isEqualTo(409);
    String unused = Fixtures.role(app, dev, null, null).get("id").asText();
    assertThat(app.call("DELETE", "/api/v1/roles/" + unused, app.adminToken(), null).status())
        .isEqualTo(204);
  }

  @ApiTest
  void repinningARoleMakesDeployedHostsDrift(RunningApp app) {
    String env = Fixtures.environment(app);
    JsonNode role = Fixtures.role(app, env, "web", "1");
    String id = Fixtures.readyHost(app, env, role.get("name").asText()).get("id").asText();
    app.call("POST", "/api/v1/hosts/" + id + "/checkin", app.adminToken(),
        Map.of("imageName", "web", "imageVersion", "1"));
    assertThat(app.get("/api/v1/hosts/" + id).body().get("inSync").asBoolean()).isTrue();
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("name", role.get("name").asText());
    Fixtures.image(app, "web", "2");
    update.put("imageName", "web");
    update.put("imageVersion", "2");
    assertThat(app.call("PUT", "/api/v1/roles/" + role.get("id").asText(), app.adminToken(),
        update).status()).isEqualTo(200);
    assertThat(app.get("/api/v1/hosts/" + id).body().get("inSync").asBoolean()).isFalse();
    assertThat(app.get("/api/v1/hosts?inSync=false&environment=" + env).body().get("items")
        .findValuesAsText("id")).containsExactly(id);
    assertThat(Names.name("x")).isNotEmpty();
  }
}
