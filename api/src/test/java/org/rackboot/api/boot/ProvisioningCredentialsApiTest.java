package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.AppConfig;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/**
 * Provisioning credentials (issue 17, findings 1 and 6): one token per install attempt, sent to
 * the host's boot NIC only, never replaced by a repeated script fetch and never shown again once
 * the installer used it; dead once the result is reported, after which only the host's check-in
 * token (or an admin or operator) reports the image it runs.
 */
@AppConfig({"boot.agentDir=target/test-agent", "boot.idleAction=discovery"})
class ProvisioningCredentialsApiTest {

  private static final Pattern TOKEN = Pattern.compile("rackboot\\.token=(\\S+)");

  /** A provisioning host with a boot NIC and, when asked, more NICs; returns its id. */
  private static String provisioning(RunningApp app, String bootMac, String... otherMacs)
      throws Exception {
    Path dir = Path.of("target/test-agent");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("vmlinuz"), "kernel");
    Files.writeString(dir.resolve("initrd.img"), "initrd");
    String env = Fixtures.environment(app);
    String role = Names.name("pc");
    BootFlowApiTest.publishImage(app, "pcimg", role,
        ("provisioning credentials " + role).getBytes(StandardCharsets.UTF_8));
    assertThat(app.post("/api/v1/roles", Map.of("environment", env, "name", role,
        "imageName", "pcimg", "imageVersion", role)).status()).isEqualTo(201);
    String[] macs = new String[otherMacs.length + 1];
    macs[0] = bootMac;
    System.arraycopy(otherMacs, 0, macs, 1, otherMacs.length);
    String id = Fixtures.host(app, macs).get("id").asText();
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/role", app.adminToken(),
        Map.of("environment", env, "role", role)).status()).isEqualTo(200);
    assertThat(app.call("POST", "/api/v1/hosts/" + id + "/rebuild", app.adminToken(), null)
        .status()).isEqualTo(200);
    return id;
  }

  private static String script(RunningApp app, String mac) {
    Resp r = app.call("GET", "/boot/ipxe?mac=" + mac, null, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.raw();
  }

  private static String tokenIn(String script) {
    Matcher m = TOKEN.matcher(script);
    return m.find() ? m.group(1) : null;
  }

  @ApiTest
  void aLoopOfUnauthenticatedScriptFetchesDoesNotBreakAnInstall(RunningApp app) throws Exception {
    String mac = Names.mac();
    String id = provisioning(app, mac);
    String base = "/api/v1/provision/" + id;

    // Before the installer's first call, every fetch of the boot NIC (a firmware retry) gets
    // the same token: none replaces it.
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      tokens.add(tokenIn(script(app, mac)));
    }
    assertThat(tokens).hasSize(1).doesNotContainNull();
    String tok = tokens.iterator().next();
    assertThat(app.call("GET", base + "/plan", tok, null).status()).isEqualTo(200);

    // Once the installer used it, nobody (the boot NIC included) is shown it again, and the
    // installer's token keeps working however often the script is fetched.
    for (int i = 0; i < 10; i++) {
      String s = script(app, mac);
      assertThat(tokenIn(s)).as(s).isNull();
      assertThat(s).contains("already started").contains("chain");
      assertThat(s).doesNotContain(tok);
    }
    assertThat(app.call("POST", base + "/progress", tok,
        Map.of("phase", "download", "percent", 10)).status()).isEqualTo(200);
    Resp done = app.call("POST", base + "/result", tok, Map.of("status", "succeeded"));
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    assertThat(done.body().get("state").asText()).isEqualTo("deployed");
  }

  @ApiTest
  void anotherMacOfTheHostIsNotSentTheInstallerOrItsToken(RunningApp app) throws Exception {
    String boot = Names.mac();
    String other = Names.mac();
    String id = provisioning(app, boot, other);

    String s = script(app, other);
    assertThat(tokenIn(s)).as(s).isNull();
    assertThat(s).doesNotContain("rackboot.mode=install").contains("is not the boot NIC");
    // It took nothing from the boot NIC either: the boot NIC's installer is issued its token.
    String tok = tokenIn(script(app, boot));
    assertThat(tok).isNotNull();
    assertThat(tokenIn(script(app, other))).isNull();
    assertThat(app.call("GET", "/api/v1/provision/" + id + "/plan", tok, null).status())
        .isEqualTo(200);
  }

  @ApiTest
  void theTokenDiesWithTheResultAndCheckInsNeedTheCheckInToken(RunningApp app) throws Exception {
    String mac = Names.mac();
    String id = provisioning(app, mac);
    String base = "/api/v1/provision/" + id;
    String tok = tokenIn(script(app, mac));
    Resp done = app.call("POST", base + "/result", tok, Map.of("status", "succeeded"));
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    String checkIn = done.header(ProvisionResource.CHECKIN_TOKEN_HEADER).orElseThrow();
    JsonNode host = app.get("/api/v1/hosts/" + id).body();
    assertThat(host.get("inSync").asBoolean()).isTrue();

    // The provisioning token is dead: it cannot check in, nor report another result.
    Resp stale = app.call("POST", base + "/checkin", tok,
        Map.of("imageName", "other", "imageVersion", "9"));
    assertThat(stale.status()).as(stale.toString()).isEqualTo(403);
    assertThat(stale.body().get("field").asText()).isEqualTo("Authorization");
    assertThat(app.call("GET", base + "/plan", tok, null).status()).isEqualTo(403);
    assertThat(app.get("/api/v1/hosts/" + id).body().get("inSync").asBoolean()).isTrue();

    // The check-in token checks in, with the body of POST /hosts/{id}/checkin; the old shape
    // is refused naming its field.
    Resp oldShape = app.call("POST", base + "/checkin", checkIn, Map.of("image", "other:9"));
    assertThat(oldShape.status()).as(oldShape.toString()).isBetween(400, 422);
    assertThat(oldShape.body().get("field").asText()).isEqualTo("image");
    Resp ok = app.call("POST", base + "/checkin", checkIn,
        Map.of("imageName", "other", "imageVersion", "9"));
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(ok.body().get("inSync").asBoolean()).isFalse();
    // The check-in token installs nothing.
    assertThat(app.call("GET", base + "/plan", checkIn, null).status()).isEqualTo(403);

    // Automation may not claim an image for a host; an admin (or operator) may.
    String automation = app.token("automation");
    Resp claim = app.call("POST", "/api/v1/hosts/" + id + "/checkin", automation,
        Map.of("imageName", "pcimg", "imageVersion", "1"));
    assertThat(claim.status()).as(claim.toString()).isEqualTo(403);
    assertThat(app.get("/api/v1/hosts/" + id).body().get("inSync").asBoolean()).isFalse();

    // A rebuild ends the installed system's check-ins.
    assertThat(app.call("POST", "/api/v1/hosts/" + id + "/rebuild", app.adminToken(), null)
        .status()).isEqualTo(200);
    assertThat(app.call("POST", base + "/checkin", checkIn,
        Map.of("imageName", "other", "imageVersion", "9")).status()).isEqualTo(403);
  }

  @ApiTest
  void aFailedResultEndsTheTokenAndARebuildStartsANewAttempt(RunningApp app) throws Exception {
    String mac = Names.mac();
    String id = provisioning(app, mac);
    String base = "/api/v1/provision/" + id;
    String tok = tokenIn(script(app, mac));
    assertThat(app.call("GET", base + "/plan", tok, null).status()).isEqualTo(200);

    // An installer that stopped holds the attempt: a rebuild request starts a new one, whose
    // token the boot NIC gets, and the old token is dead.
    assertThat(tokenIn(script(app, mac))).isNull();
    assertThat(app.call("POST", "/api/v1/hosts/" + id + "/rebuild", app.adminToken(), null)
        .status()).isEqualTo(200);
    assertThat(app.call("GET", base + "/plan", tok, null).status()).isEqualTo(403);
    String tok2 = tokenIn(script(app, mac));
    assertThat(tok2).isNotNull().isNotEqualTo(tok);

    Resp failed = app.call("POST", base + "/result", tok2,
        Map.of("status", "failed", "reason", "disk on fire"));
    assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
    assertThat(failed.header(ProvisionResource.CHECKIN_TOKEN_HEADER)).isEmpty();
    assertThat(app.call("POST", base + "/progress", tok2, Map.of("phase", "late")).status())
        .isEqualTo(403);
    assertThat(app.call("POST", base + "/result", tok2, Map.of("status", "succeeded")).status())
        .isEqualTo(403);
    assertThat(app.get("/api/v1/hosts/" + id).body().get("state").asText()).isEqualTo("failed");
    assertThat(List.of(script(app, mac))).noneMatch(s -> s.contains("rackboot.token="));
  }
}
