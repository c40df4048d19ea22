package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** Role assignment, rebuild, retire and the state machine, with their events. */
class LifecycleApiTest {

  @ApiTest
  void fullLifecycleWithEvents(RunningApp app) {
    String env = Fixtures.environment(app);
    String role = Fixtures.role(app, env, "debian", "12").get("name").asText();
    JsonNode h = Fixtures.host(app, Names.mac());
    String id = h.get("id").asText();
    String base = "/api/v1/hosts/" + id;

    // discovered: no rebuild yet (and it says from where a rebuild is allowed)
    Resp early = app.call("POST", base + "/rebuild", app.adminToken(), null);
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.body().get("message").asText())
        .contains("discovered").contains("ready, provisioning, deployed, failed");

    Resp assigned = app.call("PUT", base + "/role", app.adminToken(),
        Map.of("environment", env, "role", role));
    assertThat(assigned.status()).as(assigned.toString()).isEqualTo(200);
    assertThat(assigned.body().get("state").asText()).isEqualTo("ready");
    assertThat(assigned.body().get("role").asText()).isEqualTo(role);
    assertThat(assigned.body().get("environment").asText()).isEqualTo(env);
    assertThat(assigned.body().get("assignedImage").get("version").asText()).isEqualTo("12");

    String automation = app.token("automation", env);
    Resp rebuild = app.call("POST", base + "/rebuild", automation, null);
    assertThat(rebuild.status()).as(rebuild.toString()).isEqualTo(200);
    assertThat(rebuild.body().get("state").asText()).isEqualTo("provisioning");
    assertThat(rebuild.body().get("rebuildRequestedBy").asText()).startsWith("automation-");
    long version = rebuild.body().get("version").asLong();

    // Idempotent while pending: same answer, no new version, no new event.
    int eventsBefore = app.get(base + "/events").body().get("items").size();
    Resp again = app.call("POST", base + "/rebuild", app.adminToken(), null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body().get("version").asLong()).isEqualTo(version);
    assertThat(again.body().get("rebuildRequestedBy"))
        .isEqualTo(rebuild.body().get("rebuildRequestedBy"));
    assertThat(app.get(base + "/events").body().get("items")).hasSize(eventsBefore);

    Resp deployed = app.call("PUT", base + "/state", app.adminToken(),
        Map.of("state", "deployed", "reason", "installer reported success"));
    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(200);
    assertThat(deployed.body().get("state").asText()).isEqualTo("deployed");
    assertThat(deployed.body().get("rebuildRequestedAt").isNull()).isTrue();

    // deployed -> failed is not a transition.
    Resp illegal = app.call("PUT", base + "/state", app.adminToken(), Map.of("state", "failed"));
    assertThat(illegal.status()).isEqualTo(409);
    assertThat(illegal.body().get("message").asText()).contains("allowed from: provisioning");

    // rebuild from deployed, fail, rebuild from failed
    assertThat(app.call("POST", base + "/rebuild", automation, null).status()).isEqualTo(200);
    assertThat(app.call("PUT", base + "/state", app.adminToken(), Map.of("state", "failed"))
        .body().get("state").asText()).isEqualTo("failed");
    assertThat(app.call("POST", base + "/rebuild", automation, null).body().get("state")
        .asText()).isEqualTo("provisioning");

    Resp retired = app.call("POST", base + "/retire", app.adminToken(), null);
    assertThat(retired.status()).isEqualTo(200);
    assertThat(retired.body().get("state").asText()).isEqualTo("retired");
    assertThat(app.call("POST", base + "/retire", app.adminToken(), null).status())
        .isEqualTo(200);

    String before = Fixtures.snapshot(app);
    Resp dead = app.call("POST", base + "/rebuild", app.adminToken(), null);
    assertThat(dead.status()).isEqualTo(409);
    assertThat(dead.body().get("field").asText()).isEqualTo("state");
    assertThat(dead.body().get("message").asText()).contains("retired")
        .contains("allowed from: ready, provisioning, deployed, failed");
    assertThat(app.call("PUT", base + "/role", app.adminToken(),
        Map.of("environment", env, "role", role)).status()).isEqualTo(409);
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);

    JsonNode events = app.get(base + "/events").body().get("items");
    assertThat(events.findValuesAsText("type")).containsExactly(
        "host.created", "host.role_assigned", "host.state_changed",
        "host.rebuild_requested", "host.state_changed",
        "host.state_set", "host.state_changed",
        "host.rebuild_requested", "host.state_changed",
        "host.state_set", "host.state_changed",
        "host.rebuild_requested", "host.state_changed",
        "host.retired", "host.state_changed");
    JsonNode assignedEvent = events.get(1);
    assertThat(assignedEvent.get("actor").asText()).startsWith("admin-");
    assertThat(assignedEvent.get("before").get("state").asText()).isEqualTo("discovered");
    assertThat(assignedEvent.get("after").get("state").asText()).isEqualTo("ready");
    assertThat(assignedEvent.get("occurredAt").asText()).endsWith("Z");
    JsonNode stateEvent = events.get(2);
    assertThat(stateEvent.get("before").get("state").asText()).isEqualTo("discovered");
    assertThat(stateEvent.get("after").get("state").asText()).isEqualTo("ready");
    assertThat(events.get(5).get("detail").asText()).isEqualTo("installer reported success");
  }

  @ApiTest
  void rebuildNeedsARoleAndRoleAssignmentNeedsAnExistingRole(RunningApp app) {
    String env = Fixtures.environment(app);
    JsonNode h = Fixtures.host(app, Names.mac());
    String base = "/api/v1/hosts/" + h.get("id").asText();
    String before = Fixtures.snapshot(app);
    Resp noRole = app.call("PUT", base + "/role", app.adminToken(),
        Map.of("environment", env, "role", "nosuchrole"));
    assertThat(noRole.status()).isEqualTo(422);
    assertThat(noRole.body().get("field").asText()).isEqualTo("role");
    assertThat(noRole.body().get("message").asText()).contains("nosuchrole").contains(env);
    Resp noEnv = app.call("PUT", base + "/role", app.adminToken(),
        Map.of("environment", "nosuchenv", "role", "x"));
    assertThat(noEnv.status()).isEqualTo(422);
    assertThat(noEnv.body().get("field").asText()).isEqualTo("environment");
    Resp create = app.post("/api/v1/hosts", Map.of("hostname", Names.host("r"),
        "environment", env, "role", "ghost"));
    assertThat(create.status()).isEqualTo(422);
    assertThat(create.body().get("field").asText()).isEqualTo("role");
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);
  }

  @ApiTest
  void createWithRoleStartsReady(RunningApp app) {
    String env = Fixtures.environment(app);
    String role = Fixtures.role(app, env, "img", "1").get("name").asText();
    Resp r = app.post("/api/v1/hosts", Map.of("hostname", Names.host("w"), "environment", env,
        "role", role, "nics", java.util.List.of(Map.of("mac", Names.mac()))));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.body().get("state").asText()).isEqualTo("ready");
  }
}
