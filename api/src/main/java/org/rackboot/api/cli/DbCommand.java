package org.rackboot.api.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.api.db.Migrations;

/** {@code db migrate|status rackboot.yml}: apply migrations, or say where the schema stands. */
public final class DbCommand extends ConfiguredCommand<RackbootConfiguration> {

  public DbCommand() {
    super("db", "Apply schema migrations (migrate) or show where the schema stands (status)");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices("migrate", "status").help("migrate or status");
    super.configure(subparser);
  }

  @Override
  protected void run(
      Bootstrap<RackbootConfiguration> bootstrap,
      Namespace namespace,
      RackbootConfiguration configuration) {
    Migrations migrations = new Migrations(configuration.getDatabase());
    migrations.checkReachable();
    if ("migrate".equals(namespace.getString("action"))) {
      int applied = migrations.migrate();
      System.out.println("applied " + applied + " migration(s)");
    }
    System.out.print(migrations.status());
  }

  @Override
  public void onError(
      io.dropwizard.core.cli.Cli cli, Namespace namespace, Throwable e) {
    StartupFailures.print(cli, e);
  }
}
