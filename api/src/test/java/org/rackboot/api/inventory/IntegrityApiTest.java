package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** References point at things that exist, and bad values are refused with nothing changed. */
class IntegrityApiTest {

  /** The inventory and the pins, as text: equal means nothing changed. */
  private static String state(RunningApp app) {
    StringBuilder out = new StringBuilder(Fixtures.snapshot(app));
    app.jdbi().useHandle(h -> h.createQuery("SELECT * FROM image_pins ORDER BY role, environment")
        .mapToMap().forEach(r -> out.append(r).append('\n')));
    return out.toString();
  }

  private static void refused(RunningApp app, int status, String field, String method,
      String path, Object body) {
    String before = state(app);
    Resp r = app.call(method, path, app.adminToken(), body);
    assertThat(r.status()).as(method + " " + path + " " + r).isEqualTo(status);
    assertThat(r.body().get("field").asText()).as(r.toString()).isEqualTo(field);
    assertThat(state(app)).as(method + " " + path).isEqualTo(before);
  }

  @ApiTest
  void pinsNeedAnExistingRoleAndEnvironment(RunningApp app) {
    String env = Fixtures.environment(app);
    String role = Fixtures.role(app, env, "img", "1").get("name").asText();
    Map<String, String> pin = Map.of("image", "img", "version", "1");
    refused(app, 404, "environment", "PUT", "/api/v1/pins/" + role + "/prd", pin);
    refused(app, 404, "role", "PUT", "/api/v1/pins/nosuchrole/" + env, pin);
    assertThat(app.call("PUT", "/api/v1/pins/" + role + "/" + env, app.adminToken(), pin)
        .status()).isEqualTo(200);
  }

  @ApiTest
  void anEnvironmentWithPinsIsNotDeleted(RunningApp app) {
    String env = Fixtures.environment(app);
    JsonNode role = Fixtures.role(app, env, "img", "1");
    assertThat(app.call("PUT", "/api/v1/pins/" + role.get("name").asText() + "/" + env,
        app.adminToken(), Map.of("image", "img", "version", "1")).status()).isEqualTo(200);
    assertThat(app.call("DELETE", "/api/v1/roles/" + role.get("id").asText(), app.adminToken(),
        null).status()).isEqualTo(204);
    refused(app, 409, "name", "DELETE", "/api/v1/environments/" + env, null);
  }

  @ApiTest
  void promotionNeedsTheNextEnvironment(RunningApp app) {
    // The committed promotion order is dev, staging, prod; this app has no staging.
    app.post("/api/v1/environments", Map.of("name", "dev"));
    String role = Fixtures.role(app, "dev", "img", "1").get("name").asText();
    assertThat(app.call("PUT", "/api/v1/pins/" + role + "/dev", app.adminToken(),
        Map.of("image", "img", "version", "1")).status()).isEqualTo(200);
    refused(app, 409, "environment", "POST", "/api/v1/pins/" + role + "/dev/promote", null);
  }

  @ApiTest
  void aRoleNamesAPublishedImage(RunningApp app) {
    String env = Fixtures.environment(app);
    refused(app, 422, "imageName", "POST", "/api/v1/roles",
        Map.of("environment", env, "name", Names.name("r"), "imageName", "nosuchimage"));
    Fixtures.image(app, "img", "1");
    refused(app, 422, "imageVersion", "POST", "/api/v1/roles", Map.of("environment", env,
        "name", Names.name("r"), "imageName", "img", "imageVersion", "999"));
  }

  @ApiTest
  void aHostHasANicAndOneInAnEnvironmentKeepsIt(RunningApp app) {
    Map<String, Object> body = Fixtures.hostBody(Names.host("nonic"));
    refused(app, 422, "nics", "POST", "/api/v1/hosts", body);
    String env = Fixtures.environment(app);
    String role = Fixtures.role(app, env, "img", "1").get("name").asText();
    String id = Fixtures.readyHost(app, env, role).get("id").asText();
    refused(app, 422, "nics", "PATCH", "/api/v1/hosts/" + id, Map.of("nics", List.of()));
  }

  @ApiTest
  void macsAreUnicastAndNotZero(RunningApp app) {
    for (String mac : List.of("ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "01:00:5e:00:00:01",
        "33:33:00:00:00:01")) {
      refused(app, 422, "nics[0].mac", "POST", "/api/v1/hosts",
          Fixtures.hostBody(Names.host("m"), mac));
      String before = state(app);
      Resp d = app.call("POST", "/api/v1/discovery?token=" + RunningApp.DISCOVERY_TOKEN, null,
          Map.of("macs", List.of(mac)));
      assertThat(d.status()).as(mac + " " + d).isEqualTo(422);
      assertThat(d.body().get("field").asText()).startsWith("macs");
      assertThat(state(app)).isEqualTo(before);
    }
  }

  @ApiTest
  void bmcAddressIsAnAddressOrAHostname(RunningApp app) {
    String id = Fixtures.host(app, Names.mac()).get("id").asText();
    for (String bad : List.of("not an ip; rm -rf", "http://10.0.0.5/", "10.0.0.5 && x",
        "$(reboot)")) {
      refused(app, 422, "bmcAddress", "PATCH", "/api/v1/hosts/" + id, Map.of("bmcAddress", bad));
    }
    for (String good : List.of("10.0.0.5", "fd00::5", "bmc-r1-12.example.net")) {
      Resp r = app.call("PATCH", "/api/v1/hosts/" + id, app.adminToken(),
          Map.of("bmcAddress", good));
      assertThat(r.status()).as(good + " " + r).isEqualTo(200);
      assertThat(r.body().get("bmcAddress").asText()).isEqualTo(good);
    }
  }

  @ApiTest
  void aPatchThatChangesNothingKeepsTheVersion(RunningApp app) {
    JsonNode h = Fixtures.host(app, Names.mac());
    String id = h.get("id").asText();
    String before = state(app);
    Resp empty = app.call("PATCH", "/api/v1/hosts/" + id, app.adminToken(), Map.of());
    assertThat(empty.status()).as(empty.toString()).isEqualTo(200);
    assertThat(empty.body().get("version").asLong()).isEqualTo(h.get("version").asLong());
    Map<String, Object> same = new LinkedHashMap<>();
    same.put("vendor", h.get("vendor").asText());
    same.put("rack", h.get("rack").asText());
    Resp repeat = app.call("PATCH", "/api/v1/hosts/" + id, app.adminToken(), same,
        "If-Match", "\"" + h.get("version").asLong() + "\"");
    assertThat(repeat.status()).as(repeat.toString()).isEqualTo(200);
    assertThat(repeat.body().get("version").asLong()).isEqualTo(h.get("version").asLong());
    assertThat(state(app)).isEqualTo(before);
  }

  @ApiTest
  void aLoneSurrogateIsRefused(RunningApp app) {
    String id = Fixtures.host(app, Names.mac()).get("id").asText();
    for (String field : List.of("notes", "vendor", "serial")) {
      refused(app, 422, field, "PATCH", "/api/v1/hosts/" + id,
          "{\"" + field + "\":\"a\\ud800b\"}");
    }
    refused(app, 422, "description", "POST", "/api/v1/environments",
        "{\"name\":\"" + Names.name("e") + "\",\"description\":\"x\\udc00\"}");
    // A pair is a character and stays one.
    Resp ok = app.call("PATCH", "/api/v1/hosts/" + id, app.adminToken(),
        "{\"notes\":\"rack \\ud83d\\ude80\"}");
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(app.get("/api/v1/hosts/" + id).body().get("notes").asText())
        .isEqualTo("rack \ud83d\ude80");
  }
}
