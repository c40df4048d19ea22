package org.rackboot.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.rackboot.dhcp.wire.MacAddress;

/** Input validation at the edge: each failure names the field and the reason (422). */
public final class Checks {

  private Checks() {}

  /** Environment and role names: short, lower-case, safe in URLs and template variables. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  /** One RFC 1123 label: letters, digits, hyphens; no hyphen at either end; 1..63 chars. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** Hostname per RFC 1123 section 2.1 (and RFC 1035 lengths), normalized to lower case. */
  public static String hostname(String field, String value) {
    if (value == null) {
      return null;
    }
    if (Texts.hasControl(value, false)) {
      throw ApiException.invalid(field, "must not contain control characters");
    }
    String h = value.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1); // the root label of a fully qualified name
    }
    if (h.isEmpty() || h.length() > 253) {
      throw ApiException.invalid(
          field, "must be 1 to 253 characters (RFC 1123), got " + value.length());
    }
    for (String label : h.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw ApiException.invalid(field,
            "must be dot-separated labels of 1-63 letters, digits and hyphens, not starting or"
                + " ending with a hyphen (RFC 1123); got " + Texts.quoteForMessage(value));
      }
    }
    return h;
  }

  /** Environment and role names. */
  public static String name(String field, String value) {
    required(field, value);
    if (!NAME.matcher(value).matches()) {
      throw ApiException.invalid(field,
          "must be 1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit;"
              + " got " + Texts.quoteForMessage(value));
    }
    return value;
  }

  public static <T> T required(String field, T value) {
    if (value == null) {
      throw ApiException.invalid(field, "is required");
    }
    return value;
  }

  /** Free text on one line (serial, vendor, ...): no control characters, at most max chars. */
  public static String text(String field, String value, int max) {
    return text(field, value, max, false);
  }

  /** Free text; multi-line allows newlines and tabs (notes). Empty becomes null. */
  public static String text(String field, String value, int max, boolean multiLine) {
    if (value == null) {
      return null;
    }
    if (value.length() > max) {
      throw ApiException.invalid(field, "must be at most " + max + " characters, got "
          + value.length());
    }
    if (Texts.hasControl(value, multiLine)) {
      throw ApiException.invalid(field, "must not contain control characters");
    }
    unicode(field, value);
    return value.isEmpty() ? null : value;
  }

  /**
   * Refuses a lone UTF-16 surrogate: it is no character, and MariaDB's utf8mb4 would store it
   * silently as another one ('?'), so what was written would not be what is read back.
   */
  public static String unicode(String field, String value) {
    int at = value == null ? -1 : Texts.unpairedSurrogate(value);
    if (at >= 0) {
      throw ApiException.invalid(field, "must be valid Unicode text; a lone UTF-16 surrogate"
          + String.format(" (\\u%04x)", (int) value.charAt(at)) + " is at index " + at);
    }
    return value;
  }

  /**
   * A BMC's address: an IP address (v4 or v6, literal only) or a hostname. Anything else (a
   * shell fragment, a URL) is refused: tools will put it on a command line or in a URL.
   */
  public static String hostOrAddress(String field, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.length() > 253) {
      throw ApiException.invalid(field, "must be an IP address or a hostname (at most 253"
          + " characters), got " + value.length() + " characters");
    }
    if (IPV4.matcher(value).matches() || (value.indexOf(':') >= 0 && IPV6.matcher(value).matches())) {
      try {
        // A literal is parsed without any lookup (the patterns above keep names out of here);
        // it is kept as written, "fd00::5" rather than Java's "fd00:0:0:0:0:0:0:5".
        InetAddress.getByName(value);
        return value;
      } catch (UnknownHostException | IllegalArgumentException e) {
        throw ApiException.invalid(field, "is not a valid IP address: "
            + Texts.quoteForMessage(value));
      }
    }
    try {
      return hostname(field, value);
    } catch (ApiException e) {
      throw ApiException.invalid(field, "must be an IP address (10.0.0.5, fd00::5) or a hostname"
          + " (bmc-r1-12.example.net), got " + Texts.quoteForMessage(value));
    }
  }

  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

  /** Hex groups, colons and an optional embedded IPv4 tail; InetAddress then judges the form. */
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

  /**
   * A MAC a host can boot from or be found by: unicast and not all zeros. Broadcast and group
   * addresses are never a NIC's own, and all zeros is what broken firmware reports; accepting
   * them would let one record claim every machine's packets (or none).
   */
  public static MacAddress unicastMac(String field, MacAddress mac) {
    if (mac == null) {
      return null;
    }
    if (mac.isZero()) {
      throw ApiException.invalid(field, "must be a NIC's own address, not all zeros");
    }
    if (!mac.isUnicast()) {
      throw ApiException.invalid(field, "must be a unicast MAC address; " + mac
          + (mac.isBroadcast() ? " is the broadcast address" : " is a group (multicast) address"
              + " (the low bit of its first octet is set)"));
    }
    return mac;
  }

  /**
   * A moment in ISO-8601 with a zone (2026-11-25T12:00:00Z, 2026-11-25T13:00:00+01:00) that
   * lies after {@code now} and before the year 10000 (the database's DATETIME ends there).
   */
  public static Instant future(String field, String value, Instant now) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    Instant t;
    try {
      // Microseconds: what DATETIME(6) keeps, so the answer shows what is stored.
      t = OffsetDateTime.parse(value).toInstant().truncatedTo(ChronoUnit.MICROS);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(field, "must be an ISO-8601 time with a zone such as"
          + " 2026-11-25T12:00:00Z, got " + Texts.quoteForMessage(value));
    }
    if (!t.isAfter(now)) {
      throw ApiException.invalid(field, "must be in the future, got " + t + " (now is "
          + now + ")");
    }
    if (t.isAfter(Instant.parse("9999-12-31T00:00:00Z"))) {
      throw ApiException.invalid(field, "must be before the year 10000, got " + t);
    }
    return t;
  }

  /** A UUID in canonical text form, lower case. */
  public static UUID uuid(String field, String value) {
    if (value == null) {
      return null;
    }
    if (value.length() != 36) {
      throw ApiException.invalid(field, "must be a UUID like 123e4567-e89b-12d3-a456-426614174000,"
          + " got " + Texts.quoteForMessage(value));
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field, "must be a UUID like 123e4567-e89b-12d3-a456-426614174000,"
          + " got " + Texts.quoteForMessage(value));
    }
  }

  /** A path id: 404 would hide a typo, so a malformed id is a 400 naming the parameter. */
  public static String pathId(String field, String value) {
    try {
      return uuid(field, value).toString();
    } catch (ApiException e) {
      throw new ApiException(400, field, e.getMessage());
    }
  }

  /** Install template names: one plain file name, never a path (no '/', no leading '.'). */
  private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** Variable names: what a Mustache tag can reach ({{vars.name}}); dots would nest. */
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

  /**
   * An install template name: a plain file name that {@code exists} knows (a built-in template
   * or a file in boot.templateDir), so a role never points at a file it cannot render.
   */
  public static String installTemplate(String field, String value, Predicate<String> exists) {
    String name = text(field, value, 64);
    if (name == null) {
      return null;
    }
    if (!TEMPLATE_NAME.matcher(name).matches()) {
      throw ApiException.invalid(field, "must be a plain file name (lower-case letters, digits,"
          + " '.', '_', '-'; no '/'), got " + Texts.quoteForMessage(name));
    }
    if (!exists.test(name)) {
      throw ApiException.invalid(field, "no install template named " + name + ": use a"
          + " built-in one (kickstart.ks, preseed.cfg, user-data, meta-data, install.sh) or a"
          + " file in boot.templateDir");
    }
    return name;
  }

  /**
   * Role variables, a JSON object: names Mustache can reach, and string values that are safe in
   * every install template language and on a kernel command line after quoting. Kickstart and
   * preseed are line-based and have no quoting: a line break (control characters, U+2028/9)
   * would add a directive, and a trailing backslash would join a preseed line to the next.
   * Checked recursively; the failing value is named {@code variables.a.b} or {@code
   * variables.a[0]}.
   */
  public static void variables(String field, JsonNode node) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw ApiException.invalid(field, "must be a JSON object, got " + node.getNodeType());
    }
    variableValue(field, node);
  }

  private static void variableValue(String field, JsonNode node) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!VARIABLE_NAME.matcher(e.getKey()).matches()) {
          throw ApiException.invalid(field, "names must be 1-64 letters, digits, '_' or '-',"
              + " starting with a letter or '_'; got " + Texts.quoteForMessage(e.getKey()));
        }
        variableValue(field + "." + e.getKey(), e.getValue());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        variableValue(field + "[" + i + "]", node.get(i));
      }
    } else if (node.isTextual()) {
      String problem = templateValueProblem(node.textValue());
      if (problem != null) {
        throw ApiException.invalid(field, problem);
      }
    }
  }

  /** Why {@code s} cannot be a template value, or null: line breaks, controls, bad UTF-16. */
  public static String templateValueProblem(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
        return "must not contain line breaks or control characters (found "
            + String.format("U+%04X", (int) c) + " at " + i + ")";
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "must be valid Unicode (a lone UTF-16 surrogate at " + i + ")";
      }
    }
    if (s.endsWith("\\")) {
      return "must not end with a backslash (preseed joins such a line to the next)";
    }
    return null;
  }
}
