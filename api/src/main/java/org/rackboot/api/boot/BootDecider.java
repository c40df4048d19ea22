package org.rackboot.api.boot;

import org.rackboot.dhcp.wire.MacAddress;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.rackboot.api.core.BootHost;
import org.rackboot.api.core.ImageRef;
import org.rackboot.dhcp.pxe.Subnet;
import org.rackboot.images.Manifest;
import org.rackboot.images.Part;

/**
 * The one answer to "what does this machine boot next". Proxy-DHCP asks it whether to answer at
 * all, the iPXE script endpoint renders its answer as a script, and the installer's plan is the
 * image it chose. It reads only {@link BootInventory} (memory) and the agent directory, never
 * SQL, so it is cheap enough for every packet.
 *
 * <p>The rules, in order: an unknown MAC boots the discovery agent where its network
 * auto-enlists and gets nothing elsewhere; a retired host gets nothing; discovered and ready
 * hosts boot the agent (or wait, with {@code boot.idleAction: wait}); a provisioning host
 * installs its assigned image, or waits while that cannot start; a deployed host boots its
 * disk; a failed host waits for a rebuild. Whoever would boot the discovery agent waits instead
 * while the agent is not in {@code boot.agentDir}: firmware told to fetch a missing kernel
 * fails and falls through to its next boot device, a waiting one comes back by itself.
 */
public final class BootDecider {

  static final String UNKNOWN_OUTSIDE = "unknown MAC outside the auto-enlist networks";
  static final String RETIRED = "retired host";

  /** How long one look at boot.agentDir holds: the decision runs for every DHCP packet. */
  private static final long AGENT_CHECK_NANOS = 1_000_000_000L;

  private final BootInventory inventory;
  private final List<Subnet> enlistNetworks;
  private final boolean idleWaits;
  private final Path agentDir;
  private volatile long agentCheckedAt;
  private volatile boolean agentSeen;
  private volatile boolean agentChecked;

  /**
   * @param idleWaits true when discovered and ready hosts wait instead of booting the agent
   * @param agentDir where the agent's vmlinuz and initrd.img are (boot.agentDir)
   */
  public BootDecider(BootInventory inventory, List<Subnet> enlistNetworks, boolean idleWaits,
      Path agentDir) {
    this.inventory = inventory;
    this.enlistNetworks = List.copyOf(enlistNetworks);
    this.idleWaits = idleWaits;
    this.agentDir = agentDir;
  }

  /**
   * For a machine by MAC. {@code network} is the address its network is judged by: the
   * relay's (giaddr), else its own, else the serving interface's (proxy-DHCP), or the client's
   * address (HTTP); null when unknown, which never auto-enlists.
   */
  public NextBoot next(MacAddress mac, Inet4Address network) {
    BootHost host = inventory.byMac(mac);
    if (host == null) {
      return enlisting(network)
          ? discovery(null)
          : new NextBoot.Ignore(null, UNKNOWN_OUTSIDE);
    }
    return next(host);
  }

  /** For a known host, by id; empty when the inventory has no such host. */
  public Optional<NextBoot> forHost(String hostId) {
    return Optional.ofNullable(inventory.byId(hostId)).map(this::next);
  }

  /** The host with this id as the boot services see it, or empty. */
  public Optional<BootHost> host(String hostId) {
    return Optional.ofNullable(inventory.byId(hostId));
  }

  private NextBoot next(BootHost host) {
    return switch (host.state()) {
      case RETIRED -> new NextBoot.Ignore(host, RETIRED);
      case DISCOVERED, READY -> idleWaits
          ? new NextBoot.Wait(host, "host " + host.label() + " is " + host.state()
              + ", waiting for a rebuild", false)
          : discovery(host);
      case PROVISIONING -> install(host);
      case DEPLOYED -> new NextBoot.LocalDisk(host);
      case FAILED -> new NextBoot.Wait(host, "install of " + host.label()
          + " failed; ask for a rebuild to try again", false);
    };
  }

  /** The discovery agent, or a wait naming it while it is not there; host null if unknown. */
  private NextBoot discovery(BootHost host) {
    if (!agentPresent()) {
      return new NextBoot.Wait(host, "the discovery agent is not in boot.agentDir " + agentDir
          + " (vmlinuz, initrd.img); build it with api/agent/build-agent.sh", false);
    }
    return new NextBoot.Discovery(host);
  }

  private NextBoot install(BootHost host) {
    ImageRef ref = host.assignedImage();
    if (ref == null) {
      return blocked(host, "role " + host.roleName() + " has no image pinned in "
          + host.environment());
    }
    Optional<Manifest> found = inventory.manifest(ref);
    if (found.isEmpty()) {
      return blocked(host, "image " + ref + " is not in the image store");
    }
    Manifest image = found.get();
    boolean osInstaller = !has(image, Part.DISK) && has(image, Part.KERNEL)
        && has(image, Part.INITRD);
    if (!osInstaller && !agentPresent()) {
      return blocked(host, "the agent is not in boot.agentDir " + agentDir);
    }
    return new NextBoot.Install(host, inventory.role(host.roleId()), image, osInstaller);
  }

  private static NextBoot blocked(BootHost host, String reason) {
    return new NextBoot.Wait(host, reason, true);
  }

  private static boolean has(Manifest m, Part part) {
    return m.artifacts().stream().anyMatch(a -> a.part() == part);
  }

  /** Whether vmlinuz and initrd.img are in boot.agentDir, looked at most once a second. */
  private boolean agentPresent() {
    long now = System.nanoTime();
    if (!agentChecked || now - agentCheckedAt > AGENT_CHECK_NANOS) {
      agentSeen = Files.isRegularFile(agentDir.resolve("vmlinuz"))
          && Files.isRegularFile(agentDir.resolve("initrd.img"));
      agentCheckedAt = now;
      agentChecked = true;
    }
    return agentSeen;
  }

  boolean enlisting(Inet4Address network) {
    if (network == null) {
      return false;
    }
    for (Subnet s : enlistNetworks) {
      if (s.contains(network)) {
        return true;
      }
    }
    return false;
  }
}
