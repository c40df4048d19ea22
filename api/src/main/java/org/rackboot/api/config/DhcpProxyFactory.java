package org.rackboot.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rackboot.dhcp.mina.LocalInterfaces;
import org.rackboot.dhcp.pxe.BootPolicy;
import org.rackboot.dhcp.pxe.DefaultBootPolicy;
import org.rackboot.dhcp.pxe.MacRateLimiter;
import org.rackboot.dhcp.pxe.ProxyDhcpEngine;
import org.rackboot.dhcp.pxe.ProxyDhcpStats;
import org.rackboot.dhcp.pxe.ServedInterface;
import org.rackboot.dhcp.pxe.Subnet;
import org.rackboot.dhcp.wire.Ipv4;

/** The {@code dhcpProxy:} section of rackboot.yml; every key is documented there. */
public class DhcpProxyFactory {

  @JsonProperty private boolean enabled = true;

  /** Interface names or local IPv4 addresses to serve; empty = every up, non-loopback one. */
  @NotNull @JsonProperty private List<String> interfaces = new ArrayList<>();

  /** Remote networks (CIDR) whose relayed or routed requests are answered. */
  @NotNull @JsonProperty private List<String> relayNetworks = new ArrayList<>();

  @Min(1) @Max(65535) @JsonProperty private int port = 67;

  /** The PXE boot-server (BINL) port that EDK2 asks after a proxy offer. */
  @Min(1) @Max(65535) @JsonProperty private int bootServerPort = 4011;

  @Min(1) @Max(65535) @JsonProperty private int clientPort = 68;

  @Min(1) @Max(65535) @JsonProperty private int relayPort = 67;

  @Valid @NotNull @JsonProperty private RateLimit rateLimit = new RateLimit();

  @NotNull @JsonProperty
  private Map<Integer, String> bootFiles = new TreeMap<>(DefaultBootPolicy.defaultBootFiles());

  @JsonProperty private String ipxeScriptUrl = DefaultBootPolicy.DEFAULT_IPXE_SCRIPT_URL;

  /** Option 43 "use this boot file" in offers; false makes EDK2 ask on port 4011 instead. */
  @JsonProperty private boolean pxeDiscoveryControl = true;

  /** Fixed next-server address; null = the address of the interface the request came in on. */
  @JsonProperty private String nextServer;

  /**
   * SCHED_FIFO priority of the packet threads (1-99), so a reply never waits behind JIT
   * compilation or database work; 0 = normal scheduling. Needs CAP_SYS_NICE, else a warning.
   */
  @Min(0) @Max(99) @JsonProperty private int realtimePriority = 1;

  /** Per-MAC token bucket. */
  public static class RateLimit {
    @DecimalMin("0.001") @JsonProperty private double perSecond = 5;
    @Min(1) @JsonProperty private int burst = 20;
    @Min(1) @JsonProperty private int maxTrackedMacs = 100_000;

    public double getPerSecond() {
      return perSecond;
    }

    public int getBurst() {
      return burst;
    }

    public int getMaxTrackedMacs() {
      return maxTrackedMacs;
    }
  }

  public boolean isEnabled() {
    return enabled;
  }

  public List<String> getInterfaces() {
    return interfaces;
  }

  public List<String> getRelayNetworks() {
    return relayNetworks;
  }

  public int getPort() {
    return port;
  }

  public int getBootServerPort() {
    return bootServerPort;
  }

  public RateLimit getRateLimit() {
    return rateLimit;
  }

  public Map<Integer, String> getBootFiles() {
    return bootFiles;
  }

  public String getIpxeScriptUrl() {
    return ipxeScriptUrl;
  }

  public int getRealtimePriority() {
    return realtimePriority;
  }

  public ProxyDhcpEngine.Ports ports() {
    return new ProxyDhcpEngine.Ports(port, bootServerPort, clientPort, relayPort);
  }

  /** The configured architecture/iPXE mapping; an inventory-backed policy can wrap it. */
  public DefaultBootPolicy buildDefaultPolicy() {
    Inet4Address next = nextServer == null || nextServer.isBlank() ? null : Ipv4.parse(nextServer);
    return new DefaultBootPolicy(bootFiles,
        ipxeScriptUrl == null || ipxeScriptUrl.isBlank() ? null : ipxeScriptUrl, next);
  }

  /** Resolves the interfaces now (they must exist) and builds the engine around {@code policy}. */
  public ProxyDhcpEngine buildEngine(BootPolicy policy, ProxyDhcpStats stats) {
    List<ServedInterface> served = LocalInterfaces.resolve(interfaces);
    List<Subnet> relays = relayNetworks.stream().map(Subnet::parse).toList();
    MacRateLimiter limiter = new MacRateLimiter(rateLimit.perSecond, rateLimit.burst,
        rateLimit.maxTrackedMacs, System::nanoTime);
    return new ProxyDhcpEngine(policy, served, relays, ports(), limiter, stats,
        pxeDiscoveryControl);
  }
}
