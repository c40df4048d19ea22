package org.rackboot.api;

import org.rackboot.api.core.StartupFailure;
import com.codahale.metrics.Gauge;
import io.dropwizard.core.setup.Environment;
import java.net.InetSocketAddress;
import org.rackboot.api.config.DhcpProxyFactory;
import org.rackboot.dhcp.mina.ProxyDhcpServer;
import org.rackboot.dhcp.pxe.BootPolicy;
import org.rackboot.dhcp.pxe.ProxyDhcpEngine;
import org.rackboot.dhcp.pxe.ProxyDhcpStats;

/**
 * Starts the proxy-DHCP service as a managed object, with the "dhcpProxy" health check and its
 * counters as gauges named {@code dhcpProxy.<counter>} (requests.discover, requests.arch.7,
 * offers, acks, ignored.not-pxe, malformed, ...).
 */
public final class DhcpProxyWiring {

  private DhcpProxyWiring() {}

  /** Registers the service with the configured default policy; does nothing if disabled. */
  public static ProxyDhcpServer register(DhcpProxyFactory factory, Environment environment) {
    return register(factory, environment, factory.buildDefaultPolicy());
  }

  /**
   * Registers the service deciding through {@code policy} (for example an inventory-backed
   * policy that wraps {@link DhcpProxyFactory#buildDefaultPolicy()}); null if disabled.
   */
  public static ProxyDhcpServer register(DhcpProxyFactory factory, Environment environment,
      BootPolicy policy) {
    if (!factory.isEnabled()) {
      return null;
    }
    ProxyDhcpStats stats = new ProxyDhcpStats();
    ProxyDhcpEngine engine;
    try {
      engine = factory.buildEngine(policy, stats);
    } catch (IllegalArgumentException e) {
      throw new StartupFailure("cannot start proxy-DHCP: " + e.getMessage(), e);
    }
    ProxyDhcpServer server = new ProxyDhcpServer(engine, factory.ports(), true,
        factory.getRealtimePriority());
    UdpService service = new UdpService("proxy-DHCP", "dhcpProxy.port",
        new InetSocketAddress("0.0.0.0", factory.getPort()),
        UdpService.Listener.of(server::start, server::isBound, server::close));
    service.register(environment, "dhcpProxy");
    for (String name : stats.snapshot().keySet()) {
      environment.metrics().register("dhcpProxy." + name,
          (Gauge<Long>) () -> stats.snapshot().get(name));
    }
    return server;
  }
}
