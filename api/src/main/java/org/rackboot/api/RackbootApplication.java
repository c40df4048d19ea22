package org.rackboot.api;

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
import org.rackboot.api.cli.RackbootServerCommand;
import org.rackboot.api.cli.TokenCommand;
import org.rackboot.api.config.DhcpProxyFactory;
import org.rackboot.api.config.TftpFactory;
import org.rackboot.api.core.UdpService;
import org.rackboot.api.db.Migrations;
import org.rackboot.api.health.ImageStoreHealthCheck;
import org.rackboot.api.health.UdpServiceHealthCheck;
import org.rackboot.dhcp.mina.ProxyDhcpServer;
import org.rackboot.tftp.mina.TftpServer;

/** The Rackboot server: REST API, HTTP boot, TFTP and proxy-DHCP in one process. */
public class RackbootApplication extends Application<RackbootConfiguration> {

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
    bootstrap.addCommand(new TokenCommand());
  }

  @Override
  protected void addDefaultCommands(Bootstrap<RackbootConfiguration> bootstrap) {
    bootstrap.addCommand(new RackbootServerCommand(this));
    bootstrap.addCommand(new CheckCommand<>(this));
  }

  @Override
  public void run(RackbootConfiguration config, Environment environment) {
    Migrations migrations = new Migrations(config.getDatabase());
    migrations.checkReachable();
    if (config.isMigrateOnStart()) {
      migrations.migrate();
    }
    // Registers the "database" health check (validation query through the pool) too.
    Jdbi jdbi = new JdbiFactory().build(environment, config.getDatabase(), "database");
    InventoryWiring.register(config, environment, jdbi);

    createDirectories(config);
    environment
        .healthChecks()
        .register(
            "imageStore",
            new ImageStoreHealthCheck(
                config.getImages().getStoreDir(), config.getImages().getMinFreeSpace().toBytes()));

    TftpFactory tftp = config.getTftp();
    if (tftp.isEnabled()) {
      TftpServer server = new TftpServer(tftp.socketAddress());
      manageUdp(environment, "tftp", new UdpService("TFTP", "tftp.port", tftp.socketAddress(),
          listener(server::start, server::isBound, server::close)));
    }
    DhcpProxyFactory dhcp = config.getDhcpProxy();
    if (dhcp.isEnabled()) {
      ProxyDhcpServer server = new ProxyDhcpServer(dhcp.socketAddress());
      manageUdp(environment, "dhcpProxy", new UdpService("proxy-DHCP", "dhcpProxy.port",
          dhcp.socketAddress(), listener(server::start, server::isBound, server::close)));
    }
  }

  private static void manageUdp(Environment environment, String name, UdpService service) {
    environment.lifecycle().manage(service);
    environment.healthChecks().register(name, new UdpServiceHealthCheck(service));
  }

  /** Adapts a server's start, isBound and close to {@link UdpService.Listener}. */
  private static UdpService.Listener listener(
      IoAction start, java.util.function.BooleanSupplier bound, Runnable close) {
    return new UdpService.Listener() {
      @Override
      public void start() throws IOException {
        start.run();
      }

      @Override
      public boolean isBound() {
        return bound.getAsBoolean();
      }

      @Override
      public void close() {
        close.run();
      }
    };
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
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
