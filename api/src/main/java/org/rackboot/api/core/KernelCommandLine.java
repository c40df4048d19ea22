package org.rackboot.api.core;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The grammar a Linux kernel command line must follow to be put on an iPXE {@code kernel} line
 * (and, later, a GRUB {@code linux} line): parameters separated by spaces, each {@code key} or
 * {@code key=value}, where double quotes group spaces as the kernel's own parser
 * ({@code lib/cmdline.c next_arg}) does. Role kernel arguments, the server's {@code
 * boot.kernelArgs} and an image's rendered {@code bootArgs} are all checked here.
 *
 * <p>iPXE has no quoting at all (core/exec.c splits a line on whitespace, then expands {@code
 * ${...}} in each word): a word {@code &&}, {@code ||} or {@code ;} ends the command and starts
 * another, a word starting with {@code #} comments out the rest of the line, a line ending in
 * {@code \} continues on the next. Double quotes do not protect from any of this, so those
 * words are refused even inside a quoted value, and {@code $} and {@code \} are refused
 * everywhere (the kernel gives neither a meaning of its own).
 */
public final class KernelCommandLine {

  private KernelCommandLine() {}

  /** Characters of a parameter name: module.param, rd.lvm.lv, console, inst.ks, --. */
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:/,+@-]+");

  /** The words iPXE treats as command separators (exec.c command_terminator). */
  private static boolean ipxeSeparator(String word) {
    return word.equals("&&") || word.equals("||") || word.equals(";") || word.startsWith("#");
  }

  /** Why {@code cmdline} is not a safe kernel command line, or empty when it is. */
  public static Optional<String> problem(String cmdline) {
    for (int i = 0; i < cmdline.length(); i++) {
      char c = cmdline.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return Optional.of("must be printable ASCII separated by spaces, found "
            + String.format("U+%04X", (int) c) + " at " + i);
      }
      if (c == '$' || c == '\\') {
        return Optional.of("must not contain '" + c + "' (iPXE expands ${...} and joins lines"
            + " ending in \\)");
      }
    }
    // iPXE's view: whitespace-separated words, quotes or not.
    for (String word : cmdline.split(" ")) {
      if (ipxeSeparator(word)) {
        return Optional.of("must not contain the word " + Texts.quoteForMessage(word)
            + " (iPXE reads &&, ||, ; and # as command separators and comments)");
      }
    }
    // The kernel's view: a double quote toggles quoting; spaces outside quotes separate.
    StringBuilder param = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i <= cmdline.length(); i++) {
      char c = i < cmdline.length() ? cmdline.charAt(i) : ' ';
      if (c == '"') {
        quoted = !quoted;
        param.append(c);
      } else if (c == ' ' && !quoted) {
        Optional<String> p = parameterProblem(param.toString());
        if (p.isPresent()) {
          return p;
        }
        param.setLength(0);
      } else {
        param.append(c);
      }
    }
    if (quoted) {
      return Optional.of("has a double quote that is never closed");
    }
    return Optional.empty();
  }

  private static Optional<String> parameterProblem(String param) {
    if (param.isEmpty()) {
      return Optional.empty(); // repeated spaces
    }
    // The kernel accepts a quote before the name ("key=value with spaces").
    String p = param.startsWith("\"") ? param.substring(1) : param;
    int eq = p.indexOf('=');
    String key = eq < 0 ? p : p.substring(0, eq);
    if (eq < 0 && key.endsWith("\"") && param.startsWith("\"")) {
      key = key.substring(0, key.length() - 1);
    }
    if (!KEY.matcher(key).matches()) {
      return Optional.of("parameter " + Texts.quoteForMessage(param) + " must be key or"
          + " key=value, the key made of letters, digits and _ . : / , + @ -");
    }
    return Optional.empty();
  }

  /** {@code value} checked as a kernel command line for {@code field} (422); blank → null. */
  public static String check(String field, String value, int max) {
    if (value == null) {
      return null;
    }
    if (value.length() > max) {
      throw ApiException.invalid(field, "must be at most " + max + " characters, got "
          + value.length());
    }
    Optional<String> p = problem(value);
    if (p.isPresent()) {
      throw ApiException.invalid(field, p.get() + "; got " + Texts.quoteForMessage(value));
    }
    return value.isBlank() ? null : value.strip();
  }
}
