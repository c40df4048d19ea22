package org.rackboot.api;

import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.api.core.KernelCommandLine;
import org.rackboot.api.core.StartupFailure;
import com.codahale.metrics.Gauge;
import io.dropwizard.core.setup.Environment;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.boot.BootDecider;
import org.rackboot.api.boot.BootUrls;
import org.rackboot.api.boot.BootClients;
import org.rackboot.api.boot.BootEvents;
import org.rackboot.api.boot.BootPlanner;
import org.rackboot.api.boot.BootResource;
import org.rackboot.api.boot.DhcpEventWindow;
import org.rackboot.api.boot.EventBudget;
import org.rackboot.api.resources.DriftResource;
import org.rackboot.api.boot.HostBootCache;
import org.rackboot.api.boot.ImageTftpSource;
import org.rackboot.api.boot.InstallTemplates;
import org.rackboot.api.boot.ProvisionResource;
import org.rackboot.api.boot.TftpBootEvents;
import org.rackboot.api.config.BootFactory;
import org.rackboot.dhcp.pxe.BootPolicy;
import org.rackboot.dhcp.pxe.Subnet;
import org.rackboot.images.ImageStore;
import org.rackboot.tftp.TftpSource;

/**
 * Joins inventory, image store and the boot services: the inventory-backed {@link BootPolicy}
 * for proxy-DHCP, the TFTP sources in front of the static root, and the HTTP boot, provisioning
 * and drift endpoints.
 */
public final class BootWiring {

  private BootWiring() {}

  /** What the UDP services take from the boot flow. */
  public record Boot(BootPolicy policy, TftpSource tftpFront) {}

  public static Boot register(
      RackbootConfiguration config,
      Environment env,
      Jdbi jdbi,
      InventoryWiring.Services inventory,
      ImageStore store) {
    BootFactory cfg = config.getBoot();
    List<Subnet> enlist;
    try {
      enlist = cfg.getAutoEnlistNetworks().stream().map(Subnet::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new StartupFailure("boot.autoEnlistNetworks: " + e.getMessage(), e);
    }
    // These go onto every booting host's iPXE kernel line: refused at start, not at each boot.
    KernelCommandLine.problem(cfg.getKernelArgs()).ifPresent(p -> {
      throw new StartupFailure("boot.kernelArgs " + p + "; set it to space-separated kernel"
          + " parameters such as \"console=tty0 console=ttyS0,115200\"", null);
    });
    if (!cfg.getServerUrl().isBlank()) {
      BootUrls.problem(cfg.getServerUrl().replaceAll("/$", "")).ifPresent(p -> {
        throw new StartupFailure("boot.serverUrl " + p + "; set it to the URL hosts reach this"
            + " server at, such as http://10.77.0.1:8080, or leave it empty", null);
      });
    }
    String discoveryToken = config.getApi().getDiscoveryToken();
    if (discoveryToken != null && !discoveryToken.isEmpty()
        && !discoveryToken.matches("[A-Za-z0-9._~+/=-]+")) {
      throw new StartupFailure("api.discoveryToken must be letters, digits and . _ ~ + / = -"
          + " (it is put on the discovery agent's kernel command line)", null);
    }
    HostBootCache cache = new HostBootCache(jdbi, env.getObjectMapper(), store.catalog(),
        inventory.inventory().signal(), cfg.getCacheRefreshSeconds() * 1000L);
    BootEvents events = new BootEvents(jdbi, env.getObjectMapper(), inventory.inventory().signal());
    // Started before the UDP services (managed objects start in registration order). Stopped
    // in reverse order: the events writer drains before the database pool, which JdbiFactory
    // registered earlier in run(), closes (BootEventsDrainApiTest).
    env.lifecycle().manage(cache);
    env.lifecycle().manage(events);
    env.metrics().register("boot.events.dropped", (Gauge<Long>) events::dropped);
    env.metrics().register("boot.events.written", (Gauge<Long>) events::written);
    env.metrics().register("boot.cache.macs", (Gauge<Integer>) cache::size);

    BootDecider decider = new BootDecider(cache, enlist, "wait".equals(cfg.getIdleAction()),
        cfg.getAgentDir());
    BootClients clients = new BootClients();
    env.jersey().register(new BootResource(jdbi, cache, decider,
        BootResource.InstallStarts.through(inventory.inventory()), cfg,
        config.getApi().getDiscoveryToken(), events, clients,
        new InstallTemplates(cfg.getTemplateDir()), config.getTftp().bootLoaderSearchPath()));
    env.jersey().register(
        new ProvisionResource(jdbi, inventory.inventory(), cache, decider, cfg, events));
    env.jersey().register(new DriftResource(jdbi));

    DhcpEventWindow window = DhcpEventWindow.ofSeconds(cfg.getDhcpEventWindowSeconds());
    env.metrics().register("boot.events.dhcpSuppressed", (Gauge<Long>) window::suppressed);
    EventBudget unknownEvents = EventBudget.perSecond(cfg.getUnknownClientEventsPerSecond());
    env.metrics().register("boot.events.unknownClientDeferred", (Gauge<Long>) unknownEvents::refused);
    BootPolicy policy = new BootPlanner(decider, cache, config.getDhcpProxy().buildDefaultPolicy(),
        events, window, unknownEvents, clients);
    TftpSource front =
        TftpSource.chain(new TftpBootEvents(events, clients), new ImageTftpSource(store));
    return new Boot(policy, front);
  }
}
