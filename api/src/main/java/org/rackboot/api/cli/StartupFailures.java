package org.rackboot.api.cli;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.UndefinedEnvironmentVariableException;
import io.dropwizard.core.cli.Cli;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.rackboot.api.core.StartupFailure;

/** Prints why a command failed: one plain line for failures an operator can fix. */
final class StartupFailures {

  private StartupFailures() {}

  /** H2's "Database may be already in use": another process holds the embedded file. */
  private static final int H2_FILE_IN_USE = 90020;

  static void print(Cli cli, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLException s && s.getErrorCode() == H2_FILE_IN_USE) {
        // The README's `export T=$(... token create ...)` must not end with an empty T and no
        // word why: say who holds the file and the two ways out (exit status is 1 as well).
        cli.getStdErr().println("rackboot: the embedded database file is in use by another"
            + " process, most likely the running server; add ;AUTO_SERVER=TRUE to database.url"
            + " (the default rackboot.yml has it) so commands share it with the server, use the"
            + " API instead, or stop the server");
        return;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StartupFailure) {
        cli.getStdErr().println("rackboot: " + t.getMessage());
        return;
      }
      if (t instanceof ConfigurationException c && unknownKey(cli, c)) {
        return;
      }
      if (t instanceof ConfigurationException || t instanceof UndefinedEnvironmentVariableException) {
        // Dropwizard's message already names the file, the key and what is wrong.
        cli.getStdErr().println("rackboot: " + t.getMessage().strip());
        return;
      }
      if (t instanceof BindException) {
        cli.getStdErr()
            .println(
                "rackboot: cannot bind an HTTP port: "
                    + bindTarget(e, t)
                    + "; stop whatever holds it, run as root for a port below 1024,"
                    + " or change server.applicationConnectors / server.adminConnectors"
                    + " in the config");
        return;
      }
    }
    e.printStackTrace(cli.getStdErr());
  }

  /**
   * The address and port of a failed bind with the reason: Jetty says "Failed to bind to
   * /0.0.0.0:8080" in the exception around the JDK's BindException, which only says "Address
   * already in use".
   */
  static String bindTarget(Throwable top, Throwable bind) {
    for (Throwable t = top; t != null && t != bind; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      int at = m == null ? -1 : m.indexOf("bind to ");
      if (at >= 0) {
        String target = m.substring(at + "bind to ".length()).strip();
        return "TCP " + (target.startsWith("/") ? target.substring(1) : target) + ": "
            + bind.getMessage();
      }
    }
    return bind.getMessage();
  }

  /**
   * An unknown key: Dropwizard's message lists "Did you mean?:" suggestions, an empty list when
   * nothing is close. Says instead which key is unknown and which keys that section has,
   * the closest first.
   */
  private static boolean unknownKey(Cli cli, ConfigurationException c) {
    for (Throwable t = c; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnrecognizedPropertyException u) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : u.getPath()) {
          if (r.getFieldName() != null) {
            path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
          } else if (r.getIndex() >= 0) {
            path.append('[').append(r.getIndex()).append(']');
          }
        }
        String key = u.getPropertyName();
        List<String> known = new ArrayList<>();
        u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
        known.sort(Comparator.comparingInt((String k) -> distance(k, key))
            .thenComparing(Comparator.naturalOrder()));
        String section = path.length() > key.length()
            ? path.substring(0, path.length() - key.length() - 1) : "";
        String file = String.valueOf(c.getMessage()).lines().findFirst().orElse("")
            .replace(" has an error:", "").strip();
        cli.getStdErr().println("rackboot: " + (file.isEmpty() ? "" : file + ": ")
            + "unknown configuration key " + path + "; the keys "
            + (section.isEmpty() ? "at the top level" : "of " + section) + " are, closest first: "
            + String.join(", ", known));
        return true;
      }
    }
    return false;
  }

  /** Edit distance, case-insensitive: how far a typo is from each known key. */
  private static int distance(String a, String b) {
    a = a.toLowerCase(java.util.Locale.ROOT);
    b = b.toLowerCase(java.util.Locale.ROOT);
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] x = prev;
      prev = cur;
      cur = x;
    }
    return prev[b.length()];
  }
}
