package org.rackboot.api.metrics;

/**
 * Rackboot's Prometheus metric names: {@code rackboot_} before a snake_case form of the
 * Dropwizard name, and the unit last. {@code tftp.bytesSent} becomes {@code
 * rackboot_tftp_bytes_sent}; the exposition writers add {@code _total} to counters themselves,
 * so it is never part of a name made here.
 */
public final class PrometheusNames {

  static final String PREFIX = "rackboot_";
  static final String SECONDS = "_seconds";

  private PrometheusNames() {}

  /** The name of a gauge, counter or histogram exported from {@code dropwizardName}. */
  public static String of(String dropwizardName) {
    return PREFIX + snakeCase(dropwizardName);
  }

  /** The name of a timer: the bridge exports timers in seconds, so the name says so. */
  public static String ofSeconds(String dropwizardName) {
    String name = of(dropwizardName);
    return name.endsWith(SECONDS) ? name : name + SECONDS;
  }

  /**
   * {@code dhcpProxy.ignored.not-pxe} to {@code dhcp_proxy_ignored_not_pxe}: a word starts at an
   * upper-case letter after a lower-case one or a digit, and at the last capital of an acronym
   * ({@code HTTPServer} to {@code http_server}); anything not a letter or digit separates.
   */
  static String snakeCase(String name) {
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (isUpper(c)) {
        char prev = i > 0 ? name.charAt(i - 1) : '_';
        char next = i + 1 < name.length() ? name.charAt(i + 1) : '_';
        if (isLower(prev) || isDigit(prev) || (isUpper(prev) && isLower(next))) {
          separate(out);
        }
        out.append(Character.toLowerCase(c));
      } else if (isLower(c) || isDigit(c)) {
        out.append(c);
      } else {
        separate(out);
      }
    }
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == '_') {
      end--;
    }
    if (end == 0) {
      throw new IllegalArgumentException("no letter or digit in metric name '" + name + "'");
    }
    return out.substring(0, end);
  }

  /** One underscore between words, none leading: "a..b" and "-a" collapse. */
  private static void separate(StringBuilder out) {
    if (out.length() > 0 && out.charAt(out.length() - 1) != '_') {
      out.append('_');
    }
  }

  // ASCII only: Dropwizard names are ASCII, and Character.isUpperCase would let other scripts
  // through into a name Prometheus' legacy charset refuses.
  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
