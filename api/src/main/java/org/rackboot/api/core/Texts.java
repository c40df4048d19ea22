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

  /**
   * The text quoted for an error message: control characters escaped and cut at 64 characters,
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
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
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
