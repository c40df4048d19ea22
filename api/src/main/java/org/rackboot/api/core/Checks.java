package org.rackboot.api.core;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

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
    return value.isEmpty() ? null : value;
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
}
