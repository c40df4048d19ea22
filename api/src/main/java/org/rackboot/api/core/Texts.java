package org.rackboot.api.core;

/** Small text checks shared by validation and error messages. */
public final class Texts {

  private Texts() {}

  /** True when the text holds a C0/C1 control character or DEL. */
  public static boolean hasControl(String s, boolean allowNewlines) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (allowNewlines && (c == '\n' || c == '\t' || c == '\r')) {
        continue;
      }
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        return true;
      }
    }
    return false;
  }

  /** The index of the first UTF-16 surrogate that is not half of a pair, or -1. */
  public static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The text quoted for an error message: control characters and surrogates escaped and cut at 64 characters,
   * so a hostile value can neither forge log lines nor blow up a response.
   */
  public static String quoteForMessage(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    int n = Math.min(s.length(), 64);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      // Surrogates too: cut at 64 chars a pair can split, and a lone one cannot be encoded.
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (s.length() > n) {
      out.append("...(").append(s.length()).append(" chars)");
    }
    return out.append('"').toString();
  }
}
