package org.rackboot.api.boot;

import java.util.Optional;
import java.util.regex.Pattern;
import org.rackboot.api.core.KernelCommandLine;

/**
 * Every value put into an iPXE script line passes here. iPXE has no quoting (core/exec.c): a
 * line is split on whitespace, {@code ${...}} is expanded in each word, the words {@code &&},
 * {@code ||} and {@code ;} separate commands, a word starting with {@code #} comments out the
 * rest, and (image/script.c) a line ending in {@code \} continues on the next. So text is made
 * harmless (echo), and URLs and kernel command lines are checked (a failed check is a bug or a
 * bad configuration, never something to render). A GRUB config renderer would add its own
 * quoting beside this one (GRUB has real quoting); the kernel command line check is shared.
 */
public final class IpxeText {

  private IpxeText() {}

  /**
   * A base URL or a URL built on one: http(s), a host (name, IPv4 or [IPv6]) with an optional
   * port, then path and query characters that are neither whitespace nor special to iPXE.
   */
  private static final Pattern URL = Pattern.compile(
      "https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?",
      Pattern.CASE_INSENSITIVE);

  private static final Pattern URL_REST = Pattern.compile("[A-Za-z0-9._~!%&'()*+,;=:@/?\\-]*");

  /**
   * Text for an {@code echo} line: printable ASCII, with every character iPXE could read as
   * syntax ({@code $ \ & | ; #}) and everything else outside the set replaced by '?'. No word of
   * the result can be a separator or a comment, nor expand a setting.
   */
  public static String echo(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean plain = c >= 0x20 && c < 0x7f && "$\\&|;#".indexOf(c) < 0;
      b.append(plain ? c : '?');
    }
    return b.toString();
  }

  /** Why {@code url} cannot be a word of an iPXE line, or empty when it can. */
  public static Optional<String> urlProblem(String url) {
    if (url == null) {
      return Optional.of("no URL");
    }
    var m = URL.matcher(url);
    if (!m.lookingAt()) {
      return Optional.of("must be http(s)://host[:port]/path");
    }
    if (!URL_REST.matcher(url.substring(m.end())).matches()) {
      return Optional.of("must be one word of printable ASCII without $, \\, # or quotes");
    }
    return Optional.empty();
  }

  /** {@code url}, checked to be one plain word on an iPXE line. */
  public static String url(String url) {
    urlProblem(url).ifPresent(p -> {
      throw new IllegalArgumentException("URL " + echo(String.valueOf(url)) + " " + p);
    });
    return url;
  }

  /** {@code cmdline}, checked to be a kernel command line that is safe on an iPXE line. */
  public static String kernelArgs(String cmdline) {
    KernelCommandLine.problem(cmdline).ifPresent(p -> {
      throw new IllegalArgumentException("kernel command line " + p);
    });
    return cmdline;
  }
}
