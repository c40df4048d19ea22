package org.rackboot.api.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An Ethernet MAC address, normalized once at the edge (JSON, database, path parameters) and
 * never re-parsed downstream. Accepts {@code aa:bb:cc:dd:ee:ff}, {@code AA-BB-CC-DD-EE-FF}, the
 * Cisco dotted {@code aabb.ccdd.eeff} and bare {@code aabbccddeeff}, in any case; renders
 * lower-case colon form, the form stored in the database.
 */
public record MacAddress(String value) {

  public MacAddress {
    if (value == null || value.length() != 17 || !value.equals(normalize(value))) {
      throw new IllegalArgumentException("not a normalized MAC: " + value);
    }
  }

  /** Parses one of the four accepted forms; the message says which forms those are. */
  @JsonCreator
  public static MacAddress of(String text) {
    String n = normalize(text);
    if (n == null) {
      throw new IllegalArgumentException(
          "expected a MAC as aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff or aabbccddeeff,"
              + " got " + Texts.quoteForMessage(text));
    }
    return new MacAddress(n);
  }

  /** Lower-case colon form, or null when the text is in none of the accepted forms. */
  static String normalize(String text) {
    if (text == null) {
      return null;
    }
    String hex;
    int len = text.length();
    if (len == 17 && separatedBy(text, ':', 2)) {
      hex = text.replace(":", "");
    } else if (len == 17 && separatedBy(text, '-', 2)) {
      hex = text.replace("-", "");
    } else if (len == 14 && separatedBy(text, '.', 4)) {
      hex = text.replace(".", "");
    } else if (len == 12) {
      hex = text;
    } else {
      return null;
    }
    if (hex.length() != 12 || !isHex(hex)) {
      return null;
    }
    hex = hex.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        out.append(':');
      }
      out.append(hex, i, i + 2);
    }
    return out.toString();
  }

  /** True when every (group+1)-th character is sep and no other is. */
  private static boolean separatedBy(String s, char sep, int group) {
    for (int i = 0; i < s.length(); i++) {
      boolean atSep = (i + 1) % (group + 1) == 0;
      if (atSep != (s.charAt(i) == sep)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
        return false;
      }
    }
    return true;
  }

  /** The six bytes, for protocol code that compares against chaddr. */
  public byte[] bytes() {
    return HexFormat.of().parseHex(value.replace(":", ""));
  }

  @JsonValue
  @Override
  public String toString() {
    return value;
  }
}
