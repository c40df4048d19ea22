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
import java.util.regex.Pattern;

/**
 * Install templates (Mustache): kickstart, preseed, cloud-init NoCloud user-data and meta-data,
 * and a plain shell installer ship built in; a file of the same name in the template directory
 * replaces the built-in one, and any other name there is a template too.
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

  /** Renders template {@code name} with {@code scope} (maps, lists and strings). */
  public String render(String name, Map<String, Object> scope) throws RenderFailure {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new RenderFailure("template name '" + name + "' is not a plain file name", null);
    }
    return renderText(name, source(name), scope);
  }

  /** Renders {@code source}, called {@code name} in messages, with {@code scope}. */
  public String renderText(String name, String source, Map<String, Object> scope)
      throws RenderFailure {
    try {
      // A new factory per render: templates are small, and operators edit them in place.
      Mustache m = new PlainTextFactory().compile(new StringReader(source), name);
      StringWriter out = new StringWriter();
      m.execute(out, scope).flush();
      return out.toString();
    } catch (MustacheException | IOException e) {
      throw new RenderFailure("template " + name + " failed to render: " + firstLine(e), e);
    }
  }

  /**
   * Install files and kernel command lines are not HTML: values go in as they are (Mustache's
   * default would turn the {@code =} of {@code ?token=} into {@code &#61;}).
   */
  private static final class PlainTextFactory extends DefaultMustacheFactory {
    @Override
    public void encode(String value, java.io.Writer writer) {
      try {
        writer.write(value);
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
