package org.rackboot.api.boot;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.rackboot.api.core.KernelCommandLine;

/**
 * Install templates (Mustache): kickstart, preseed, cloud-init NoCloud user-data and meta-data,
 * and a plain shell installer ship built in; a file of the same name in the template directory
 * replaces the built-in one, and any other name there is a template too. Values are written for
 * the template's language (shell words, one-line kickstart and preseed values, YAML scalars).
 */
public final class InstallTemplates {

  /** Names are file names, never paths: nothing outside the template directory is read. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final Path directory;

  /** @param directory operator templates; may be null or missing, then only built-ins exist */
  public InstallTemplates(Path directory) {
    this.directory = directory;
  }

  /** Why a template could not be rendered, in words for the booting host's console. */
  public static final class RenderFailure extends Exception {
    public RenderFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Renders template {@code name} with {@code scope} (maps, lists and strings), each value
   * written for the template's language ({@link TemplateLanguage#of}).
   */
  public String render(String name, Map<String, Object> scope) throws RenderFailure {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new RenderFailure("template name '" + name + "' is not a plain file name", null);
    }
    return renderText(name, source(name), scope, TemplateLanguage.of(name));
  }

  /**
   * Renders an image's boot arguments, a kernel command line: each value must be one plain word
   * and the result must be a kernel command line that is safe on an iPXE line.
   */
  public String renderKernelArgs(String what, String source, Map<String, Object> scope)
      throws RenderFailure {
    return kernelArgs(what, renderText(what, source, scope, TemplateLanguage.KERNEL_ARGS));
  }

  /** {@code args}, called {@code what}, checked as a kernel command line safe on iPXE. */
  public static String kernelArgs(String what, String args) throws RenderFailure {
    Optional<String> problem = KernelCommandLine.problem(args);
    if (problem.isPresent()) {
      throw new RenderFailure(what + " is not a safe kernel command line: it " + problem.get(),
          null);
    }
    return args;
  }

  /** Whether a template of this plain file name exists: in the directory, or built in. */
  public boolean exists(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return false;
    }
    if (directory != null && Files.isRegularFile(directory.resolve(name))) {
      return true;
    }
    return InstallTemplates.class.getResource("/templates/" + name) != null;
  }

  /** Renders {@code source}, called {@code name} in messages, with {@code scope}. */
  String renderText(String name, String source, Map<String, Object> scope,
      TemplateLanguage language) throws RenderFailure {
    try {
      // A new factory per render: templates are small, and operators edit them in place.
      Mustache m = new EncodingFactory(language).compile(new StringReader(source), name);
      StringWriter out = new StringWriter();
      m.execute(out, scope).flush();
      return out.toString();
    } catch (MustacheException | IOException | TemplateLanguage.Unsafe e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof TemplateLanguage.Unsafe) {
          throw new RenderFailure("template " + name + " cannot be rendered: " + t.getMessage(),
              e);
        }
      }
      throw new RenderFailure("template " + name + " failed to render: " + firstLine(e), e);
    }
  }

  /**
   * Install files and kernel command lines are not HTML: Mustache's default would turn the
   * {@code =} of {@code ?token=} into {@code &#61;}. Each value is written for the template's
   * language instead.
   */
  private static final class EncodingFactory extends DefaultMustacheFactory {
    private final TemplateLanguage language;

    EncodingFactory(TemplateLanguage language) {
      this.language = language;
    }

    @Override
    public void encode(String value, java.io.Writer writer) {
      try {
        writer.write(language.encode(value));
      } catch (IOException e) {
        throw new MustacheException("cannot write the rendered text", e);
      }
    }
  }

  private String source(String name) throws RenderFailure {
    try {
      if (directory != null) {
        Path file = directory.resolve(name);
        if (Files.isRegularFile(file)) {
          return Files.readString(file, StandardCharsets.UTF_8);
        }
      }
      try (var in = InstallTemplates.class.getResourceAsStream("/templates/" + name)) {
        if (in == null) {
          throw new RenderFailure("no install template named " + name, null);
        }
        try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
          StringWriter w = new StringWriter();
          r.transferTo(w);
          return w.toString();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
