package org.rackboot.dhcp.pxe;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A boot file name or URL with placeholders filled in per request: {@code {nextServer}},
 * {@code {mac}} (52:54:00:aa:bb:cc), {@code {macHyphen}} (52-54-00-aa-bb-cc), {@code {arch}},
 * {@code {uuid}} (empty if the client sent none). Braces without a dollar sign, so that
 * Dropwizard's ${VAR} substitution in rackboot.yml leaves them alone. Parsed once.
 */
public final class UrlTemplate {

  private static final Set<String> NAMES = Set.of("nextServer", "mac", "macHyphen", "arch", "uuid");

  private final String text;
  /** Alternating literal and placeholder parts; placeholders start with '{'. */
  private final List<String> parts = new ArrayList<>();

  public UrlTemplate(String text) {
    this.text = text;
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf('{', i);
      if (open < 0) {
        parts.add(text.substring(i));
        break;
      }
      int close = text.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '{' in '" + text + "'");
      }
      String name = text.substring(open + 1, close);
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException(
            "unknown placeholder {" + name + "} in '" + text + "'; known: " + NAMES);
      }
      if (open > i) {
        parts.add(text.substring(i, open));
      }
      parts.add("{" + name);
      i = close + 1;
    }
  }

  public String expand(BootRequest r, String nextServer) {
    StringBuilder sb = new StringBuilder(text.length() + 32);
    for (String p : parts) {
      if (p.startsWith("{")) {
        switch (p) {
          case "{nextServer" -> sb.append(nextServer);
          case "{mac" -> sb.append(r.mac());
          case "{macHyphen" -> sb.append(r.mac().format("-"));
          case "{arch" -> sb.append(r.arch());
          case "{uuid" -> sb.append(r.uuid() == null ? "" : r.uuid().toString());
          default -> throw new AssertionError(p);
        }
      } else {
        sb.append(p);
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
