package org.rackboot.api.cli;

import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import net.sourceforge.argparse4j.inf.Namespace;
import org.rackboot.api.config.RackbootConfiguration;

/** Dropwizard's {@code server} command, telling fixable startup failures in one line. */
public final class RackbootServerCommand extends ServerCommand<RackbootConfiguration> {

  public RackbootServerCommand(Application<RackbootConfiguration> application) {
    super(application);
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    StartupFailures.print(cli, e);
  }
}
