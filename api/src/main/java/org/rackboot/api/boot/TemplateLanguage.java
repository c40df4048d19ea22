package org.rackboot.api.boot;

import java.util.Locale;
import org.rackboot.api.core.Checks;

/**
 * How a value is written into each language Rackboot renders templates in. Mustache's {@code
 * {{x}}} goes through {@link #encode}; a value that cannot be written safely is refused ({@link
 * Unsafe}), which fails the render with the reason. ({@code {{{x}}}} in an operator's own
 * template inserts the raw value: that author's choice.)
 */
public enum TemplateLanguage {
  /** install.sh and *.sh: every value becomes one single-quoted shell word. */
  SHELL {
    @Override
    String encode(String v) {
      if (v.indexOf('\0') >= 0) {
        throw new Unsafe("a shell word cannot hold a NUL character");
      }
      // Inside '...' nothing is special; a quote is closed, escaped and reopened.
      return "'" + v.replace("'", "'\\''") + "'";
    }
  },
  /**
   * kickstart.ks and *.ks: one directive per line and no quoting that survives a line break, so a
   * value must stay on its line (no control characters, no Unicode line separators, no trailing
   * backslash: the %post shell would join the next line).
   */
  KICKSTART {
    @Override
    String encode(String v) {
      return oneLine(v);
    }
  },
  /** preseed.cfg and *.preseed: one line each, and a trailing backslash would join lines. */
  PRESEED {
    @Override
    String encode(String v) {
      return oneLine(v);
    }
  },
  /** cloud-init user-data, meta-data and *.yaml: every value a YAML double-quoted scalar. */
  YAML {
    @Override
    String encode(String v) {
      StringBuilder b = new StringBuilder(v.length() + 2).append('"');
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c == '"' || c == '\\') {
          b.append('\\').append(c);
        } else if (c >= 0x20 && c < 0x7f || c >= 0xa0 && c < 0xd800 && c != 0x2028 && c != 0x2029
            || c >= 0xe000 && c < 0xfffe && c != 0xfeff) {
          b.append(c);
        } else if (Character.isHighSurrogate(c) && i + 1 < v.length()
            && Character.isLowSurrogate(v.charAt(i + 1))) {
          b.append(c).append(v.charAt(++i));
        } else if (Character.isSurrogate(c)) {
          throw new Unsafe("YAML cannot hold a lone UTF-16 surrogate");
        } else {
          // Controls, NEL, U+2028/9, BOM and non-characters as escapes (YAML 1.1 section 5.7),
          // so no parser can see a line break or a byte order mark in the value.
          b.append(String.format("\\u%04X", (int) c));
        }
      }
      return b.append('"').toString();
    }
  },
  /**
   * An image's bootArgs (a kernel command line on an iPXE line): a value must be one plain word,
   * since iPXE has no quoting; the whole rendered line is checked afterwards as well.
   */
  KERNEL_ARGS {
    @Override
    String encode(String v) {
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c <= 0x20 || c >= 0x7f || "\"$\\".indexOf(c) >= 0) {
          throw new Unsafe("a value on a kernel command line must be one word of printable"
              + " ASCII without quotes, $ or \\");
        }
      }
      return v;
    }
  },
  /** Operator templates of any other name: values as they are, but never a line break. */
  PLAIN {
    @Override
    String encode(String v) {
      return oneLine(v);
    }
  };

  /** The value as it must appear in this language, or {@link Unsafe}. */
  abstract String encode(String value);

  /** A value this language cannot hold. */
  public static final class Unsafe extends RuntimeException {
    Unsafe(String message) {
      super(message);
    }
  }

  /** The language of an install template, by its file name. */
  public static TemplateLanguage of(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".sh")) {
      return SHELL;
    }
    if (n.endsWith(".ks")) {
      return KICKSTART;
    }
    if (n.equals("preseed.cfg") || n.endsWith(".preseed")) {
      return PRESEED;
    }
    if (n.equals("user-data") || n.equals("meta-data") || n.equals("vendor-data")
        || n.endsWith(".yaml") || n.endsWith(".yml")) {
      return YAML;
    }
    return PLAIN;
  }

  private static String oneLine(String v) {
    String problem = Checks.templateValueProblem(v);
    if (problem != null) {
      throw new Unsafe("a value " + problem);
    }
    return v;
  }
}
