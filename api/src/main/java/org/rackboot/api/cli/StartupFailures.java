package org.rackboot.api.cli;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.UndefinedEnvironmentVariableException;
import io.dropwizard.core.cli.Cli;
import java.net.BindException;
import org.rackboot.api.core.StartupFailure;

/** Prints why a command failed: one plain line for failures an operator can fix. */
final class StartupFailures {

  private StartupFailures() {}

  static void print(Cli cli, Throwable e) {
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
