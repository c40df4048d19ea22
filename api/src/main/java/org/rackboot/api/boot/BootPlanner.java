package org.rackboot.api.boot;

import java.net.Inet4Address;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.rackboot.api.core.BootHost;
import org.rackboot.dhcp.pxe.BootDecision;
import org.rackboot.dhcp.pxe.BootPolicy;
import org.rackboot.dhcp.pxe.BootRequest;
import org.rackboot.dhcp.wire.MacAddress;

/**
 * Proxy-DHCP's side of {@link BootDecider}: a machine the decision ignores (retired, or unknown
 * outside the auto-enlistment networks) gets no answer; every other one gets the architecture's
 * boot file and, once in iPXE, the URL of its per-host script, which renders the same decision.
 * The first answer of each boot step is recorded as a {@code boot.dhcp} event on the host;
 * repeats within {@link DhcpEventWindow}'s window are counted. Events about unknown machines
 * also spend {@link EventBudget} tokens.
 */
public final class BootPlanner implements BootPolicy {

  private final BootDecider decider;
  private final BootInventory hosts;
  private final BootPolicy byArchitecture;
  private final BootEvents events;
  private final DhcpEventWindow window;
  private final BootClients clients;
  private final BooleanSupplier unknownBudget;

  public BootPlanner(
      BootDecider decider,
      BootInventory hosts,
      BootPolicy byArchitecture,
      BootEvents events,
      DhcpEventWindow window,
      EventBudget unknownClientEvents,
      BootClients clients) {
    this.decider = decider;
    this.hosts = hosts;
    this.byArchitecture = byArchitecture;
    this.events = events;
    this.window = window;
    this.clients = clients;
    this.unknownBudget = unknownClientEvents::tryTake;
  }

  /** A known host's coming address: its TFTP requests are then its events from the first one. */
  @Override
  public void addressRequested(MacAddress mac, Inet4Address address) {
    BootHost host = hosts.byMac(mac);
    if (host != null) {
      clients.remember(address.getHostAddress(), host.id());
    }
  }

  @Override
  public BootDecision decide(BootRequest r) {
    NextBoot next = decider.next(r.mac(), r.clientNetworkAddress());
    if (next instanceof NextBoot.Ignore ignore) {
      return BootDecision.ignore(ignore.reason());
    }
    BootDecision d = byArchitecture.decide(r);
    if (d instanceof BootDecision.Ignore) {
      return d;
    }
    BootHost host = next.host();
    String mac = r.mac().toString();
    String bootFile = d instanceof BootDecision.Boot b ? b.bootFile() : ((BootDecision.HttpBoot) d).url();
    String hostId = host == null ? null : host.id();
    // One event per boot step, not per packet (DhcpEventWindow): repeats cost a map lookup.
    DhcpEventWindow.Signature step = new DhcpEventWindow.Signature(r.arch(),
        withoutServer(bootFile), hostId, host == null ? null : host.state());
    if (host == null ? window.shouldRecord(mac, step, unknownBudget) : window.shouldRecord(mac, step)) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("message", r.messageType().toString());
      detail.put("port", r.bootServerPort() ? 4011 : 67);
      detail.put("arch", r.arch());
      detail.put("ipxe", r.isIpxe());
      detail.put("bootFile", bootFile);
      events.record("boot.dhcp", hostId, mac, detail);
    }
    return d;
  }

  /**
   * A boot URL without its scheme and server: a broadcast is answered once per served interface,
   * each answer naming that interface's address, and those answers are one boot step, not several.
   */
  static String withoutServer(String bootFile) {
    int scheme = bootFile.indexOf("://");
    if (scheme < 0) {
      return bootFile;
    }
    int path = bootFile.indexOf('/', scheme + 3);
    return path < 0 ? "" : bootFile.substring(path);
  }
}
