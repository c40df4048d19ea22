package org.rackboot.images;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation of names at the edge. Names are lower case because MariaDB compares strings
 * case-insensitively and H2 does not: "Ubuntu" and "ubuntu" must be the same image on both.
 */
public final class Names {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
  private static final Pattern VERSION = Pattern.compile("[a-z0-9][a-z0-9._+~-]{0,99}");

  private Names() {}

  /** An image, repository, role or environment name: lower-cased, then checked. */
  public static String name(String field, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (!NAME.matcher(v).matches()) {
      throw ImageStoreException.invalid(field,
          "expected 1-100 characters of a-z, 0-9, '.', '_', '-' starting with a letter or digit,"
              + " got '" + shorten(value) + "'");
    }
    return v;
  }

  public static String version(String field, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (!VERSION.matcher(v).matches() || "latest".equals(v)) {
      throw ImageStoreException.invalid(field,
          "expected 1-100 characters of a-z, 0-9, '.', '_', '+', '~', '-' starting with a letter"
              + " or digit (and not 'latest'), got '" + shorten(value) + "'");
    }
    return v;
  }

  static String shorten(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
