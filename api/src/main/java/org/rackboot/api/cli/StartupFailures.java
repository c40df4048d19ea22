package org.rackboot.api.cli;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.UndefinedEnvironmentVariableException;
import io.dropwizard.core.cli.Cli;
import java.net.BindException;
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
      if (t instanceof ConfigurationException || t instanceof UndefinedEnvironmentVariableException) {
        // Dropwizard's message already names the file, the key and what is wrong.
        cli.getStdErr().println("rackboot: " + t.getMessage().strip());
        return;
      }
      if (t instanceof BindException) {
        cli.getStdErr()
            .println(
                "rackboot: cannot bind an HTTP port: "
                    + t.getMessage()
                    + "; stop whatever holds it, run as root for a port below 1024,"
                    + " or change server.applicationConnectors / server.adminConnectors"
                    + " in the config");
        return;
      }
    }
    e.printStackTrace(cli.getStdErr());
  }
}
