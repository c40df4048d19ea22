package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallTemplatesTest {

  @TempDir Path dir;

  private static Map<String, Object> scope() {
    return Map.of(
        "host", Map.of("id", "h-1", "hostname", "web-01"),
        "role", Map.of("name", "web"),
        "environment", "prod",
        "server", "http://10.0.0.1:8080",
        "token", "rbp_x",
        "vars", Map.of("repo", "debian/12"),
        "image",
            Map.of(
                "name", "debian",
                "version", "12.1",
                "artifacts", List.of(Map.of("part", "disk", "sha256", "ab", "size", 3)),
                "disk", Map.of("url", "http://10.0.0.1:8080/files/blobs/ab")));
  }

  @Test
  void builtInsRenderHostRoleImageAndVariables() throws Exception {
    InstallTemplates t = new InstallTemplates(dir);
    assertThat(t.render("meta-data", scope())).isEqualTo("instance-id: h-1\nlocal-hostname: web-01\n");
    assertThat(t.render("kickstart.ks", scope()))
        .contains("--hostname=web-01")
        .contains("url --url=http://10.0.0.1:8080/repos/debian/12/")
        .contains("/api/v1/provision/h-1/result").contains("\"status\":\"succeeded\"");
    assertThat(t.render("user-data", scope())).startsWith("#cloud-config\n");
    assertThat(t.render("preseed.cfg", scope())).contains("netcfg/get_hostname string web-01");
    assertThat(t.render("install.sh", scope()))
        .contains("# disk ab 3")
        .contains("wget -q -O - http://10.0.0.1:8080/files/blobs/ab | dd");
  }

  @Test
  void anOperatorTemplateReplacesTheBuiltIn() throws Exception {
    Files.writeString(dir.resolve("meta-data"), "custom {{host.hostname}}\n");
    assertThat(new InstallTemplates(dir).render("meta-data", scope())).isEqualTo("custom web-01\n");
  }

  @Test
  void aBrokenTemplateSaysWhy() throws Exception {
    Files.writeString(dir.resolve("broken"), "{{#host}}never closed\n");
    assertThatThrownBy(() -> new InstallTemplates(dir).render("broken", scope()))
        .isInstanceOf(InstallTemplates.RenderFailure.class)
        .hasMessageStartingWith("template broken failed to render: ");
  }

  @Test
  void namesArePlainFileNamesOnly() {
    InstallTemplates t = new InstallTemplates(dir);
    assertThatThrownBy(() -> t.render("../../etc/passwd", scope()))
        .hasMessageContaining("not a plain file name");
    assertThatThrownBy(() -> t.render("nope", scope())).hasMessage("no install template named nope");
  }
}
