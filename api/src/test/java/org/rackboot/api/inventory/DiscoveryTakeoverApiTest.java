package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.AppConfig;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/**
 * Issue 17, finding 2: the install takeover through a forged discovery report, step by step.
 * Each step is refused: the discovery script no longer shows the shared secret, a report can't
 * add a MAC to or change the identity of a host in an environment (409 naming the field,
 * nothing changed, the attempt recorded), and the attacker's MAC is never sent the install.
 */
@AppConfig({"boot.agentDir=target/test-agent", "boot.idleAction=discovery"})
class DiscoveryTakeoverApiTest {

  private static final Pattern BOOT_TOKEN = Pattern.compile("rackboot\\.discovery_token=(\\S+)");

  private static String script(RunningApp app, String mac) {
    Resp r = app.call("GET", "/boot/ipxe?mac=" + mac, null, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.raw();
  }

  private static String bootToken(RunningApp app, String mac) {
    String s = script(app, mac);
    Matcher m = BOOT_TOKEN.matcher(s);
    assertThat(m.find()).as(s).isTrue();
    return m.group(1);
  }

  /**
   * The database but the records of refused reports and the boot events (script fetches are
   * recorded in the background, about a second later): what a refused report must leave as it
   * was.
   */
  private static String inventory(RunningApp app) {
    return DiscoveryApiTest.withoutRefusals(Fixtures.snapshot(app)).lines()
        .filter(l -> !l.contains("type=boot."))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  private static int refusals(RunningApp app, String id) {
    return app.get("/api/v1/hosts/" + id + "/events?type=discovery.refused").body()
        .get("items").size();
  }

  @ApiTest
  void aForgedReportCannotTakeAHostOfAnEnvironment(RunningApp app) throws Exception {
    Path dir = Path.of("target/test-agent");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("vmlinuz"), "kernel");
    Files.writeString(dir.resolve("initrd.img"), "initrd");
    String env = Fixtures.environment(app);
    String role = Fixtures.role(app, env, "web", "1").get("name").asText();

    // The victim: discovered by its own agent, then given a role (ready).
    String victimMac = Names.mac();
    String serial = "LAB-" + Names.name("v");
    Resp found = app.call("POST", "/api/v1/discovery", bootToken(app, victimMac),
        DiscoveryApiTest.labReport(victimMac, serial));
    assertThat(found.status()).as(found.toString()).isEqualTo(201);
    String id = found.body().get("id").asText();
    String uuid = found.body().get("systemUuid").asText();
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/role", app.adminToken(),
        Map.of("environment", env, "role", role)).status()).isEqualTo(200);

    // Step 1: the attacker's discovery script shows no shared secret, only a token bound to
    // the attacker's MAC.
    String attacker = Names.mac();
    String script = script(app, attacker);
    assertThat(script).doesNotContain(RunningApp.DISCOVERY_TOKEN);
    String bound = bootToken(app, attacker);
    assertThat(bound).startsWith("rbd_");

    // Step 2: a report adding the attacker's MAC to the host (matched by serial and UUID) and
    // rewriting nothing else: refused, naming macs. Same with the shared secret.
    String before = inventory(app);
    Map<String, Object> forged = DiscoveryApiTest.labReport(attacker, serial);
    ((Map<String, Object>) forged.get("dmi")).put("product_uuid", uuid);
    forged.put("bmc_address", "10.6.6.6");
    for (String token : List.of(bound, RunningApp.DISCOVERY_TOKEN)) {
      Resp r = app.call("POST", "/api/v1/discovery", token, forged);
      assertThat(r.status()).as(r.toString()).isEqualTo(409);
      assertThat(r.body().get("field").asText()).isEqualTo("macs");
      assertThat(r.body().get("message").asText()).contains(id).contains(attacker);
    }
    assertThat(inventory(app)).isEqualTo(before);
    assertThat(refusals(app, id)).isEqualTo(2);

    // A report with the host's own MAC that rewrites its serial or its UUID: refused, naming
    // the field.
    Map<String, Object> newSerial = DiscoveryApiTest.labReport(victimMac, "EVIL-1");
    Resp r = app.call("POST", "/api/v1/discovery", RunningApp.DISCOVERY_TOKEN, newSerial);
    assertThat(r.status()).as(r.toString()).isEqualTo(409);
    assertThat(r.body().get("field").asText()).isEqualTo("serial");
    Map<String, Object> newUuid = DiscoveryApiTest.labReport(victimMac, serial);
    ((Map<String, Object>) newUuid.get("dmi")).put("product_uuid",
        "12345678-1234-4234-8234-123456789abc");
    r = app.call("POST", "/api/v1/discovery", RunningApp.DISCOVERY_TOKEN, newUuid);
    assertThat(r.status()).as(r.toString()).isEqualTo(409);
    assertThat(r.body().get("field").asText()).isEqualTo("systemUuid");
    assertThat(inventory(app)).isEqualTo(before);
    assertThat(refusals(app, id)).isEqualTo(4);

    // A token bound to the attacker's MAC does not vouch for a report without that MAC, and a
    // made-up one is no token.
    Resp unbound = app.call("POST", "/api/v1/discovery", bound,
        DiscoveryApiTest.labReport(Names.mac(), "LAB-" + Names.name("u")));
    assertThat(unbound.status()).as(unbound.toString()).isEqualTo(401);
    assertThat(unbound.body().get("field").asText()).isEqualTo("token");
    assertThat(app.call("POST", "/api/v1/discovery", "rbd_99999999999_AAAA",
        DiscoveryApiTest.labReport(attacker, "LAB-x")).status()).isEqualTo(401);
    assertThat(inventory(app)).isEqualTo(before);

    // The host's own agent, reporting exactly what the host is, refreshes its facts only.
    JsonNode hostBefore = app.get("/api/v1/hosts/" + id).body();
    Map<String, Object> honest = DiscoveryApiTest.labReport(victimMac, serial);
    honest.put("bmc_address", "10.6.6.7");
    Resp refresh = app.call("POST", "/api/v1/discovery", bootToken(app, victimMac), honest);
    assertThat(refresh.status()).as(refresh.toString()).isEqualTo(200);
    JsonNode hostAfter = app.get("/api/v1/hosts/" + id).body();
    assertThat(hostAfter.get("version")).isEqualTo(hostBefore.get("version"));
    assertThat(hostAfter.get("bmcAddress")).isEqualTo(hostBefore.get("bmcAddress"));

    // Step 3: after an admin's rebuild, the attacker's MAC is not the host's, so it is not
    // sent the install script or a token; without the host's token there is no plan, template
    // or result (the discovery token is none).
    assertThat(app.call("POST", "/api/v1/hosts/" + id + "/rebuild", app.adminToken(), null)
        .status()).isEqualTo(200);
    String attackerScript = script(app, attacker);
    assertThat(attackerScript).doesNotContain("rackboot.mode=install")
        .doesNotContain("rackboot.token=");
    String base = "/api/v1/provision/" + id;
    assertThat(app.call("GET", base + "/plan", null, null).status()).isEqualTo(401);
    assertThat(app.call("GET", base + "/plan", bound, null).status()).isEqualTo(403);
    assertThat(app.call("GET", base + "/plan", RunningApp.DISCOVERY_TOKEN, null).status())
        .isEqualTo(403);
    assertThat(app.call("GET", "/boot/templates/" + id + "/install.sh?token=" + bound, null,
        null).status()).isEqualTo(403);
    assertThat(app.call("POST", base + "/result", bound, Map.of("status", "succeeded"))
        .status()).isEqualTo(403);
    assertThat(app.get("/api/v1/hosts/" + id).body().get("state").asText())
        .isEqualTo("provisioning");
    assertThat(app.get("/api/v1/hosts/" + id).body().get("serial").asText()).isEqualTo(serial);
  }

  @ApiTest
  void aDiscoveredHostWithoutARoleIsStillRefreshedAndAMacTakenElsewhereStaysThere(
      RunningApp app) {
    // An unowned discovered host: its own agent's report with a new NIC joins it.
    String mac = Names.mac();
    String serial = "LAB-" + Names.name("d");
    Resp created = app.call("POST", "/api/v1/discovery", bootToken(app, mac),
        DiscoveryApiTest.labReport(mac, serial));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.body().get("nics").get(0).get("boot").asBoolean()).isTrue();
    String mac2 = Names.mac();
    Map<String, Object> twoNics = DiscoveryApiTest.labReport(mac, serial);
    twoNics.put("macs", List.of(mac, mac2));
    Resp refreshed = app.call("POST", "/api/v1/discovery", bootToken(app, mac), twoNics);
    assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
    assertThat(refreshed.body().get("nics")).hasSize(2);
  }
}
