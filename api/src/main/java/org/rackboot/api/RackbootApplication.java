package org.rackboot.api;

import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.api.core.StartupFailure;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jdbi3.JdbiFactory;
import java.io.IOException;
import java.nio.file.Files;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.cli.DbCommand;
import org.rackboot.api.cli.ImageImportCommand;
import org.rackboot.api.cli.ImageRepoSnapshotCommand;
import org.rackboot.api.cli.RackbootServerCommand;
import org.rackboot.api.cli.TokenCommand;
import org.rackboot.api.db.Migrations;
import org.rackboot.api.health.ImageStoreHealthCheck;
import org.rackboot.api.metrics.PrometheusEndpoint;
import org.rackboot.images.ImageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Rackboot server: REST API, HTTP boot, TFTP and proxy-DHCP in one process. */
public class RackbootApplication extends Application<RackbootConfiguration> {

  private static final Logger LOG = LoggerFactory.getLogger(RackbootApplication.class);

  static {
    H2Loopback.apply();
  }

  public static void main(String[] args) throws Exception {
    new RackbootApplication().run(args);
  }

  @Override
  public String getName() {
    return "rackboot";
  }

  @Override
  public void initialize(Bootstrap<RackbootConfiguration> bootstrap) {
    // ${VAR} and ${VAR:-default} in rackboot.yml read the environment; unset without default
    // is an error rather than a silent empty string.
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    bootstrap.addCommand(new DbCommand());
    bootstrap.addCommand(new ImageImportCommand());
    bootstrap.addCommand(new ImageRepoSnapshotCommand());
    bootstrap.addCommand(new TokenCommand());
  }

  @Override
  protected void addDefaultCommands(Bootstrap<RackbootConfiguration> bootstrap) {
    bootstrap.addCommand(new RackbootServerCommand(this));
    bootstrap.addCommand(new CheckCommand<>(this));
  }

  @Override
  public void run(RackbootConfiguration config, Environment environment) {
    // Before the server is built from the configuration (after run): its request log then
    // leaves out query strings, where tokens travel.
    RequestLogFormat.withoutQueries(config.getServerFactory());
    Migrations migrations = new Migrations(config.getDatabase());
    migrations.checkReachable();
    String db = Migrations.redactedUrl(config.getDatabase().getUrl());
    if (config.isMigrateOnStart()) {
      int applied = migrations.migrate();
      LOG.info("database {}: {}", db,
          applied == 0 ? "schema up to date" : applied + " migrations applied");
    } else {
      LOG.info("database {} (migrateOnStart is false: no migration applied)", db);
    }
    // Registers the "database" health check (validation query through the pool) too.
    Jdbi jdbi = new JdbiFactory().build(environment, config.getDatabase(), "database");
    InventoryWiring.Services inventory = InventoryWiring.register(config, environment, jdbi);

    createDirectories(config);
    environment
        .healthChecks()
        .register(
            "imageStore",
            new ImageStoreHealthCheck(
                config.getImages().getStoreDir(), config.getImages().getMinFreeSpace().toBytes()));
    ImageStore store = ImagesWiring.register(config, environment, jdbi, inventory.catalog());

    BootWiring.Boot boot = BootWiring.register(config, environment, jdbi, inventory, store);
    TftpWiring.register(config.getTftp(), environment, boot.tftpFront());
    DhcpProxyWiring.register(config.getDhcpProxy(), environment, boot.policy());
    PrometheusEndpoint.register(environment);
    StartupReport.register(config, environment);
    OrderlyStop.register(environment);
  }

  private static void createDirectories(RackbootConfiguration config) {
    try {
      Files.createDirectories(config.getImages().getStoreDir());
      if (config.getTftp().isEnabled()) {
        Files.createDirectories(config.getTftp().getRoot());
      }
    } catch (IOException e) {
      throw new StartupFailure("cannot create directory " + e.getMessage()
          + "; check images.storeDir and tftp.root and their permissions", e);
    }
  }
}
