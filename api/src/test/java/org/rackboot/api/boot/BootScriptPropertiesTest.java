package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.rackboot.api.config.BootFactory;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.BootHost;
import org.rackboot.api.core.Checks;
import org.rackboot.api.core.HostState;
import org.rackboot.api.core.ImageRef;
import org.rackboot.api.core.KernelCommandLine;
import org.rackboot.api.core.Role;
import org.rackboot.api.service.EventSignal;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.images.Artifact;
import org.rackboot.images.Manifest;
import org.rackboot.images.Part;
import org.rackboot.images.Sha256;
import org.yaml.snakeyaml.Yaml;

/**
 * Arbitrary text (any UTF-16, NUL, lone surrogates, line breaks, {@code ${}}, {@code &&},
 * {@code ||}, {@code ;}, {@code #}, quotes, backslashes) through every value that reaches an iPXE
 * script, a kernel command line or a built-in install template. Each value is either refused
 * (at write time with a 422 naming the field, or at render time with the reason) or rendered so
 * that the output has exactly the commands, lines or directives of its template. Seeded and
 * bounded, so it runs in CI in seconds.
 *
 * <p>Each property runs a fixed number of tries over {@link ArbitraryText} from its own fixed
 * seed; {@code -Drackboot.propertySeed=N} runs every property from seed N instead. A failure
 * names the seed, the try and the input as a Java string literal, first and shortest.
 */
class BootScriptPropertiesTest {

  private static final String BASE = "http://10.1.0.1:8080";
  private static final MacAddress MAC = MacAddress.parse("52:54:00:aa:00:01");
  private static final ObjectMapper JSON = Jackson.newObjectMapper();
  private static final Path AGENT;

  static {
    try {
      AGENT = Files.createTempDirectory("rackboot-agent");
      Files.writeString(AGENT.resolve("vmlinuz"), "kernel");
      Files.writeString(AGENT.resolve("initrd.img"), "initrd");
      AGENT.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The command shape of each script IpxeScripts writes, as {@link #shape} reads it. */
  private static final List<String> KERNEL_SCRIPT = List.of("#", "echo", "kernel || goto",
      "initrd || goto", "boot || goto", ":failed", "echo", "sleep", "reboot");
  private static final List<String> WAIT_SCRIPT =
      List.of("#", "echo", "echo", "sleep", "chain || reboot");

  // ---------------------------------------------------------------- tries

  /** Overrides every property's seed: to rerun a failure, or to explore past the fixed one. */
  static final String SEED_PROPERTY = "rackboot.propertySeed";

  /** One check of a property against one generated input. */
  @FunctionalInterface
  interface Check<T> {
    void accept(T input) throws Exception;
  }

  private record Failure(int attempt, String input, Throwable error) {}

  /**
   * Runs {@code check} on {@code tries} inputs drawn by {@code generate} from {@code seed} (or
   * the seed of {@value #SEED_PROPERTY}). All tries run; a failure reports how many failed, the
   * first and the shortest failing input, each with its try and message.
   */
  static <T> void forAll(String property, long seed, int tries,
      Function<ArbitraryText, T> generate, Function<T, String> show, Check<T> check) {
    long used = seed(seed);
    ArbitraryText text = new ArbitraryText(used);
    Failure first = null;
    Failure shortest = null;
    int failed = 0;
    for (int attempt = 1; attempt <= tries; attempt++) {
      T input = generate.apply(text);
      try {
        check.accept(input);
      } catch (Exception | AssertionError e) {
        failed++;
        Failure f = new Failure(attempt, show.apply(input), e);
        if (first == null) {
          first = f;
        }
        if (shortest == null || f.input.length() < shortest.input.length()) {
          shortest = f;
        }
      }
    }
    if (first == null) {
      return;
    }
    StringBuilder message = new StringBuilder()
        .append(property).append(": ").append(failed).append(" of ").append(tries)
        .append(" tries failed, seed ").append(used)
        .append(" (rerun with -D").append(SEED_PROPERTY).append('=').append(used).append(')')
        .append("\nfirst failure, try ").append(first.attempt).append(": ").append(first.input)
        .append("\n  ").append(first.error);
    if (shortest != first) {
      message.append("\nshortest failing input, try ").append(shortest.attempt).append(": ")
          .append(shortest.input).append("\n  ").append(shortest.error);
    }
    AssertionError error = new AssertionError(message.toString(), first.error);
    if (shortest != first) {
      error.addSuppressed(shortest.error);
    }
    throw error;
  }

  /** A property over one hostile string. */
  static void forAll(String property, long seed, int tries, Check<String> check) {
    forAll(property, seed, tries, ArbitraryText::next, ArbitraryText::javaLiteral, check);
  }

  private static long seed(long fixed) {
    String override = System.getProperty(SEED_PROPERTY);
    if (override == null || override.isBlank()) {
      return fixed;
    }
    try {
      return Long.parseLong(override.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(SEED_PROPERTY + " is not a number: " + override, e);
    }
  }

  // ---------------------------------------------------------------- iPXE

  /**
   * A script as iPXE reads it (image/script.c, core/exec.c): lines split on LF, a trailing CR
   * dropped, a trailing backslash joining the next line; a leading ':' makes a label; words split
   * on whitespace; "&&", "||" and ";" separate commands; a word starting with '#' comments out
   * the rest. Each line becomes its command words joined by their separators ("kernel || goto"),
   * "#" for a comment, ":name" for a label. No word may expand a setting.
   */
  static List<String> shape(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    String[] raw = script.split("\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String l = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
      if (l.endsWith("\\")) {
        line.append(l, 0, l.length() - 1);
        continue;
      }
      line.append(l);
      String full = line.toString();
      line.setLength(0);
      if (i == raw.length - 1 && full.isEmpty()) {
        break; // the newline at the end
      }
      String trimmed = full.stripLeading();
      if (trimmed.startsWith(":")) {
        out.add(trimmed.split("\\s", 2)[0]);
        continue;
      }
      StringBuilder sig = new StringBuilder();
      boolean commandStart = true;
      for (String word : trimmed.split("[\\s\\u000b\\u000c]+")) {
        if (word.isEmpty()) {
          continue;
        }
        assertThat(word).as("a word that expands a setting").doesNotContain("${");
        if (word.startsWith("#")) {
          sig.append(sig.length() == 0 ? "#" : " #");
          break;
        }
        if (word.equals("&&") || word.equals("||") || word.equals(";")) {
          sig.append(' ').append(word);
          commandStart = true;
        } else if (commandStart) {
          sig.append(sig.length() == 0 ? "" : " ").append(word);
          commandStart = false;
        }
      }
      out.add(sig.toString());
    }
    return out;
  }

  /** The script a provisioning host gets for this role and image, over an in-memory inventory. */
  private static String installScript(Role role, Manifest image) {
    BootHost host = new BootHost("host-1", "web-1", HostState.PROVISIONING, "dev", "SN1", "r1",
        role.id(), role.name(), new ImageRef(image.name(), image.version()), MAC);
    InMemoryBootInventory inventory = new InMemoryBootInventory().role(role).image(image)
        .host(MAC, host);
    BootDecider decider = new BootDecider(inventory, List.of(), false, AGENT);
    BootEvents events = new BootEvents(null, JSON, new EventSignal());
    BootResource scripts = new BootResource(null, null, decider,
        (h, m, i) -> new BootResource.InstallStarts.Grant(
            BootResource.InstallStarts.Kind.ISSUED, "rbp_test"),
        new BootFactory(), "discovery-token", events, new BootClients(),
        new InstallTemplates(null), null);
    return scripts.scriptFor(MAC, "10.1.0.50", BASE);
  }

  private static Role role(String kernelArgs, ObjectNode vars, String image) {
    return new Role("role-1", "dev", "web", image, "1", kernelArgs, null, vars, 1, Instant.EPOCH,
        Instant.EPOCH);
  }

  private static final Manifest DISK_IMAGE = new Manifest("base", "1", "linux", "x86_64", null,
      null, "test", Instant.EPOCH, List.of(new Artifact("disk.img", Part.DISK,
          Sha256.ofString("disk image v1"), 13)));

  private static Manifest installer(String bootArgs) {
    return new Manifest("alma", "1", "linux", "x86_64", bootArgs, null, "test", Instant.EPOCH,
        List.of(new Artifact("vmlinuz", Part.KERNEL, Sha256.ofString("k"), 1),
            new Artifact("initrd.img", Part.INITRD, Sha256.ofString("i"), 1)));
  }

  /** The words iPXE passes to the kernel command: what the kernel line really boots with. */
  private static List<String> kernelWords(String script) {
    String line = script.lines().filter(l -> l.startsWith("kernel ")).findFirst().orElseThrow();
    String[] w = line.split(" +");
    // kernel URL initrd=initrd.img ARGS... || goto failed
    return List.of(w).subList(3, w.length - 3);
  }

  @Test
  void roleKernelArgsAreRefusedOrBootExactlyTheTemplatesCommands() {
    forAll("roleKernelArgsAreRefusedOrBootExactlyTheTemplatesCommands", 20261208L, 2000,
        BootScriptPropertiesTest::roleKernelArgsAreRefusedOrBootExactlyTheTemplatesCommands);
  }

  private static void roleKernelArgsAreRefusedOrBootExactlyTheTemplatesCommands(
      String kernelArgs) {
    String accepted;
    try {
      accepted = KernelCommandLine.check("kernelArgs", kernelArgs, 4000);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(422);
      assertThat(e.field()).isEqualTo("kernelArgs");
      return;
    }
    for (Manifest image : List.of(DISK_IMAGE, installer("inst.text"))) {
      String script = installScript(role(accepted, null, image.name()), image);
      assertThat(shape(script)).as(script).isEqualTo(KERNEL_SCRIPT);
      List<String> words = kernelWords(script);
      List<String> expected = accepted == null ? List.of() : List.of(accepted.split(" +"));
      assertThat(words.subList(words.size() - expected.size(), words.size()))
          .as("the role's arguments, word for word, at the end of the kernel line")
          .isEqualTo(expected);
    }
  }

  /** A variable's value, and whether the operator's template writes it raw. */
  private record Variable(String value, boolean raw) {
    static Variable next(ArbitraryText text) {
      String value = text.next();
      return new Variable(value, text.nextBoolean());
    }

    String show() {
      return ArbitraryText.javaLiteral(value) + (raw ? " (raw)" : " (escaped)");
    }
  }

  @Test
  void variablesThroughBootArgsAreRefusedOrStayOneWord() {
    forAll("variablesThroughBootArgsAreRefusedOrStayOneWord", 20261209L, 2000, Variable::next,
        Variable::show, v -> variablesThroughBootArgsAreRefusedOrStayOneWord(v.value, v.raw));
  }

  private static void variablesThroughBootArgsAreRefusedOrStayOneWord(String value,
      boolean raw) {
    ObjectNode vars = JSON.createObjectNode().put("timezone", value);
    try {
      Checks.variables("variables", vars);
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(422);
      assertThat(e.field()).isEqualTo("variables.timezone");
      return;
    }
    // An operator's template may use the raw form; the rendered line is checked all the same.
    String bootArgs = "inst.ks={{templateUrl}} tz=" + (raw ? "{{{vars.timezone}}}"
        : "{{vars.timezone}}") + " inst.text";
    String script = installScript(role(null, vars, "alma"), installer(bootArgs));
    List<String> shape = shape(script);
    if (shape.equals(WAIT_SCRIPT)) {
      assertThat(script).contains("bootArgs of alma");
      return;
    }
    assertThat(shape).as(script).isEqualTo(KERNEL_SCRIPT);
    if (!raw) {
      // Written through the escaper, the value is one kernel parameter word, as it was given.
      List<String> words = kernelWords(script);
      assertThat(words.subList(1, words.size())).as(script)
          .containsExactly("tz=" + value, "inst.text");
    }
  }

  // ---------------------------------------------------------------- install templates

  /** A scope in which every value a built-in template shows is {@code v}. */
  private static Map<String, Object> everywhere(String v) {
    Map<String, Object> artifact = new LinkedHashMap<>();
    artifact.put("name", v);
    artifact.put("part", v);
    artifact.put("sha256", v);
    artifact.put("size", v);
    artifact.put("url", v);
    Map<String, Object> image = new LinkedHashMap<>();
    image.put("name", v);
    image.put("version", v);
    image.put("artifacts", List.of(artifact));
    image.put("disk", artifact);
    Map<String, Object> scope = new HashMap<>();
    scope.put("host", Map.of("id", v, "hostname", v, "serial", v, "rack", v));
    scope.put("role", Map.of("name", v, "kernelArgs", v));
    scope.put("environment", v);
    scope.put("image", image);
    scope.put("vars", Map.of("repo", v, "timezone", v));
    scope.put("server", v);
    scope.put("serverHost", v);
    scope.put("token", v);
    return scope;
  }

  /** Every kind of line break a line-based parser (Python's splitlines included) knows. */
  private static final Pattern LINE_BREAK =
      Pattern.compile("\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]");

  /**
   * Logical lines (a trailing backslash joins, as debconf and the shell of a kickstart's %post
   * do) and their first words: the directive, or "d-i question" for preseed.
   */
  private static List<String> directives(String text, boolean joinBackslash) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String l : LINE_BREAK.split(text, -1)) {
      if (joinBackslash && l.endsWith("\\")) {
        cur.append(l, 0, l.length() - 1);
        continue;
      }
      cur.append(l);
      String[] w = cur.toString().strip().split("[ \t]+");
      out.add(w[0].startsWith("#") ? "#" : w[0] + (w.length > 1 && w[0].equals("d-i")
          ? " " + w[1] : ""));
      cur.setLength(0);
    }
    return out;
  }

  /** The shell text with every single-quoted word (and '\'' escape) folded into one mark. */
  private static String shellSkeleton(String text) {
    return text.replaceAll("(?s)('[^']*'|\\\\')+", "Q");
  }

  @Test
  void everyBuiltInTemplateKeepsItsDirectives() {
    forAll("everyBuiltInTemplateKeepsItsDirectives", 20261210L, 2000,
        BootScriptPropertiesTest::everyBuiltInTemplateKeepsItsDirectives);
  }

  private static void everyBuiltInTemplateKeepsItsDirectives(String value) throws Exception {
    InstallTemplates t = new InstallTemplates(null);
    String benign = value.isEmpty() ? "" : "x";
    for (String name : List.of("kickstart.ks", "preseed.cfg", "user-data", "meta-data",
        "install.sh")) {
      String rendered;
      try {
        rendered = t.render(name, everywhere(value));
      } catch (InstallTemplates.RenderFailure e) {
        // Refused exactly when the language cannot hold the value.
        boolean refusable = switch (name) {
          case "install.sh" -> value.indexOf('\0') >= 0;
          case "user-data", "meta-data" -> hasLoneSurrogate(value);
          default -> Checks.templateValueProblem(value) != null;
        };
        assertThat(refusable).as(name + ": " + e.getMessage()).isTrue();
        continue;
      }
      String expected = t.render(name, everywhere(benign));
      switch (name) {
        case "kickstart.ks" ->
            // %post is shell: its backslash-continued lines are one command.
            assertThat(directives(rendered, true)).isEqualTo(directives(expected, true));
        case "preseed.cfg" ->
            assertThat(directives(rendered, true)).isEqualTo(directives(expected, true));
        case "install.sh" ->
            assertThat(shellSkeleton(rendered)).isEqualTo(shellSkeleton(expected));
        default -> assertYamlCarries(name, rendered, value);
      }
    }
  }

  private static boolean hasLoneSurrogate(String s) {
    return !s.codePoints().allMatch(cp -> cp < 0xd800 || cp > 0xdfff);
  }

  /** The YAML parses to the template's structure, and each value comes back exactly. */
  @SuppressWarnings("unchecked")
  private static void assertYamlCarries(String name, String rendered, String value) {
    Map<String, Object> doc = new Yaml().load(rendered);
    if (name.equals("meta-data")) {
      assertThat(doc).containsOnlyKeys("instance-id", "local-hostname");
      assertThat(doc.get("instance-id")).isEqualTo(value);
      assertThat(doc.get("local-hostname")).isEqualTo(value);
      return;
    }
    assertThat(rendered).startsWith("#cloud-config\n");
    assertThat(doc).containsOnlyKeys("hostname", "runcmd");
    assertThat(doc.get("hostname")).isEqualTo(value);
    List<List<Object>> runcmd = (List<List<Object>>) doc.get("runcmd");
    assertThat(runcmd).hasSize(1);
    List<Object> cmd = runcmd.get(0);
    assertThat(cmd).hasSize(9);
    assertThat(cmd.subList(0, 2)).containsExactly("sh", "-c");
    assertThat(cmd.get(3)).isEqualTo("rackboot-report");
    assertThat(cmd.subList(4, 9)).containsOnly(value);
  }

  /**
   * The shell quoting checked by the shell itself: install.sh parses ({@code bash -n}), and a
   * quoted value comes back byte for byte from {@code printf %s}. Fewer tries: each runs bash.
   */
  @Test
  void theShellReadsQuotedValuesBackExactly() {
    forAll("theShellReadsQuotedValuesBackExactly", 20261211L, 150,
        BootScriptPropertiesTest::theShellReadsQuotedValuesBackExactly);
  }

  private static void theShellReadsQuotedValuesBackExactly(String value) throws Exception {
    if (value.indexOf('\0') >= 0) {
      return; // refused above: a shell word cannot hold NUL
    }
    String script = new InstallTemplates(null).render("install.sh", everywhere(value));
    assertThat(bash(script, "-n")).as(script).isEmpty();
    String printed = bash("printf %s " + TemplateLanguage.SHELL.encode(value));
    assertThat(printed.getBytes(StandardCharsets.UTF_8))
        .isEqualTo(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs {@code script} (UTF-8, on stdin) with bash; its standard output. */
  private static String bash(String script, String... options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash"));
    cmd.addAll(List.of(options));
    cmd.add("-s");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(script.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
