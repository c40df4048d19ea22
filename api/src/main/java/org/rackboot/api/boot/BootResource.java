package org.rackboot.api.boot;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.config.BootFactory;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.BootHost;
import org.rackboot.api.core.HostRow;
import org.rackboot.api.core.ImageRef;
import org.rackboot.api.core.HostState;
import org.rackboot.api.db.HostDao;
import org.rackboot.api.service.DiscoveryTokens;
import org.rackboot.api.service.Inventory;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.api.core.Role;
import org.rackboot.api.db.DatabaseOutage;
import org.rackboot.api.http.RateLimitedLog;
import org.slf4j.LoggerFactory;
import org.rackboot.images.Artifact;
import org.rackboot.images.Manifest;
import org.rackboot.images.Part;

/**
 * What iPXE fetches: the per-host script (a rendering of {@link BootDecider}'s answer), the
 * agent's kernel and initrd, and rendered install templates. Not behind bearer tokens: firmware
 * has none. Anyone on the provisioning network can fetch any MAC's script, so what a script
 * carries is bound: a discovery script a per-boot token for the MAC that asked ({@link
 * DiscoveryTokens}), never the shared discovery secret; an install script the attempt's
 * provisioning token, to the host's boot NIC only and never again once the installer used it
 * ({@link ProvisionTokens}).
 */
// For firmware and installers, not API clients: left out of the OpenAPI document.
@Hidden
@Path("/boot")
public final class BootResource {

  private static final RateLimitedLog OUTAGE_LOG =
      new RateLimitedLog(LoggerFactory.getLogger(BootResource.class));

  /** The identity the boot flow acts as in the audit log. */
  static final Caller SYSTEM = Caller.of(null, "boot", "admin", Set.of());

  /**
   * The provisioning token of the host's current install attempt for {@code mac}: issued now
   * (its hash stored, with the audit event {@code boot.install_started}), or the same token
   * again while the installer has not used it, or none. Refuses (409) when the host left
   * provisioning meanwhile. Under the host's row lock, so two fetches racing issue one token.
   */
  @FunctionalInterface
  public interface InstallStarts {
    Grant started(BootHost host, MacAddress mac, ImageRef image);

    /** What a script fetch of an installing host gets. */
    enum Kind {
      /** A new attempt's token, issued to this fetch. */
      ISSUED,
      /** The token issued earlier to this boot NIC, whose installer has not used it yet. */
      RESENT,
      /** The MAC is not the host's boot NIC: no token. */
      OTHER_NIC,
      /** The attempt's installer already used its token: nobody is shown it again. */
      IN_USE
    }

    record Grant(Kind kind, String token) {}

    /** The inventory's way: a conditional update of the host row, with its audit event. */
    static InstallStarts through(Inventory inventory) {
      return (host, mac, image) -> {
        Grant[] grant = new Grant[1];
        inventory.mutate(SYSTEM, host.id(), null, (h, row) -> {
          if (row.state != HostState.PROVISIONING) {
            throw new ApiException(409, "state", "host " + row.id + " left provisioning meanwhile");
          }
          // The boot NIC as stored, not as cached: an edit of the NICs may not be seen yet.
          boolean bootNic = new HostDao(h).nics(row.id).stream()
              .anyMatch(n -> n.boot() && n.mac().equals(mac));
          if (!bootNic) {
            grant[0] = new Grant(Kind.OTHER_NIC, null);
            return null;
          }
          if (row.provisioningTokenHash == null) {
            String token = ProvisionTokens.newToken();
            row.provisioningTokenHash = ProvisionTokens.hash(token);
            row.provisioningTokenPending = token;
            row.provisioningTokenMac = mac.toString();
            grant[0] = new Grant(Kind.ISSUED, token);
            return "boot.install_started:" + image;
          }
          if (row.provisioningTokenPending != null && mac.toString().equals(row.provisioningTokenMac)) {
            grant[0] = new Grant(Kind.RESENT, row.provisioningTokenPending);
            return null;
          }
          grant[0] = new Grant(Kind.IN_USE, null);
          return null;
        });
        return grant[0];
      };
    }
  }

  private final Jdbi jdbi;
  private final HostBootCache hosts;
  private final BootDecider decider;
  private final InstallStarts installs;
  private final BootFactory cfg;
  private final DiscoveryTokens discoveryTokens;
  private final BootEvents events;
  private final BootClients clients;
  private final InstallTemplates templates;
  private final List<java.nio.file.Path> bootLoaders;

  public BootResource(
      Jdbi jdbi,
      HostBootCache hosts,
      BootDecider decider,
      InstallStarts installs,
      BootFactory cfg,
      String discoveryToken,
      BootEvents events,
      BootClients clients,
      InstallTemplates templates,
      List<java.nio.file.Path> bootLoaders) {
    this.jdbi = jdbi;
    this.hosts = hosts;
    this.decider = decider;
    this.installs = installs;
    this.cfg = cfg;
    this.discoveryTokens = discoveryToken == null || discoveryToken.isEmpty() ? null
        : new DiscoveryTokens(discoveryToken);
    this.events = events;
    this.clients = clients;
    this.templates = templates;
    this.bootLoaders = bootLoaders;
  }

  @GET
  @Path("ipxe")
  @Produces(MediaType.TEXT_PLAIN)
  public String script(
      @QueryParam("mac") String macText,
      @Context UriInfo uri,
      @Context HttpServletRequest request) {
    MacAddress mac;
    try {
      mac = MacAddress.parse(macText);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("mac", e.getMessage());
    }
    String base = BootUrls.base(cfg.getServerUrl(), uri);
    String ip = request.getRemoteAddr();
    try {
      // This node's own last write (a rebuild request a moment ago) must show in the script.
      if (hosts != null) {
        hosts.catchUp();
      }
      return scriptFor(mac, ip, base);
    } catch (RuntimeException e) {
      if (!DatabaseOutage.is(e)) {
        throw e;
      }
      return databaseAway(mac, ip, base, e);
    }
  }

  /**
   * The database is away (the install path writes, a catch-up or a new image reads): iPXE gets
   * a script that waits and asks again, never an error page it cannot run, so the machine boots
   * as soon as the database answers. One log line per interval, not one per request.
   */
  private String databaseAway(MacAddress mac, String ip, String base, RuntimeException e) {
    OUTAGE_LOG.warn("script", "database unavailable, telling booting machines to retry: "
        + DatabaseOutage.reason(e));
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("script", "wait");
    detail.put("reason", "database unavailable");
    detail.put("client", ip);
    // Held by BootEvents until the database answers again.
    events.record("boot.script", null, mac.toString(), detail);
    int seconds = Math.min(cfg.getRetrySeconds(), DatabaseOutage.RETRY_AFTER_SECONDS);
    return IpxeScripts.waitAndRetry("the inventory database is unavailable", seconds,
        base + "/boot/ipxe?mac=" + mac);
  }

  /** The script for {@code mac} asking from {@code ip}: the decision, rendered for iPXE. */
  String scriptFor(MacAddress mac, String ip, String base) {
    NextBoot next = decider.next(mac, ipv4(ip));
    BootHost host = next.host();
    if (host != null) {
      clients.remember(ip, host.id());
    }
    String self = base + "/boot/ipxe?mac=" + mac;
    // Java 17 has no pattern switch: the kinds of NextBoot in turn, each with its event.
    if (next instanceof NextBoot.Ignore) {
      if (host == null) {
        events.record("boot.ignored", null, mac.toString(), Map.of("client", ip));
        return IpxeScripts.refuse("unknown machine, and auto-enlistment is off for " + ip);
      }
      record("refused", host.id(), mac, ip);
      return IpxeScripts.refuse("host " + host.label() + " is retired");
    }
    if (next instanceof NextBoot.Discovery) {
      record("discovery", host == null ? null : host.id(), mac, ip);
      return discovery(base, mac);
    }
    if (next instanceof NextBoot.Wait w) {
      if (w.blocked()) {
        events.record("boot.install_blocked", host.id(), mac.toString(),
            Map.of("reason", w.reason(), "client", ip));
      } else {
        // host is null for an unknown machine that waits for the discovery agent.
        record("wait", host == null ? null : host.id(), mac, ip);
      }
      return IpxeScripts.waitAndRetry(w.reason(), cfg.getRetrySeconds(), self);
    }
    if (next instanceof NextBoot.LocalDisk) {
      record("local", host.id(), mac, ip);
      return IpxeScripts.localDisk(host.label());
    }
    return install((NextBoot.Install) next, base, self, mac, ip);
  }

  private static Inet4Address ipv4(String ip) {
    try {
      return InetAddress.getByName(ip) instanceof Inet4Address v4 ? v4 : null;
    } catch (IOException e) {
      return null;
    }
  }

  private String discovery(String base, MacAddress mac) {
    String cmdline =
        cfg.getKernelArgs()
            + " rackboot.mode=discover rackboot.server="
            + base
            + (discoveryTokens == null
                ? ""
                : " rackboot.discovery_token=" + discoveryTokens.issue(mac, Instant.now()))
            + " rackboot.after="
            + cfg.getAfterDiscovery();
    return IpxeScripts.kernel(
        base + "/boot/agent/vmlinuz",
        base + "/boot/agent/initrd.img",
        cmdline,
        "Rackboot: booting the discovery agent");
  }

  /**
   * The install boot. An image with a {@code disk} artifact is written by the agent in install
   * mode. An image without one but with a {@code kernel} and an {@code initrd} is an OS
   * installer: its own kernel and initrd are booted from the image store with the image's boot
   * arguments, a Mustache template that sees the same scope as install templates plus {@code
   * templateUrl} (for example {@code inst.ks={{templateUrl}}}).
   */
  private String install(NextBoot.Install install, String base, String self, MacAddress mac,
      String ip) {
    BootHost host = install.host();
    Role role = install.role();
    Manifest manifest = install.image();
    ImageRef image = new ImageRef(manifest.name(), manifest.version());
    // The install goes to the boot NIC only: the MAC in the URL is the asker's claim, and any
    // other NIC of the host (or a forged one) would otherwise be handed the token.
    if (host.bootMac() == null || !host.bootMac().equals(mac)) {
      return otherNic(host, mac, ip, self);
    }
    InstallStarts.Grant grant = installs.started(host, mac, image);
    if (grant.kind() == InstallStarts.Kind.OTHER_NIC) {
      return otherNic(host, mac, ip, self);
    }
    if (grant.kind() == InstallStarts.Kind.IN_USE) {
      record("install-running", host.id(), mac, ip);
      if (install.osInstaller()) {
        // An OS installer reboots into the installed system, which reports the result
        // (cloud-init's runcmd): let the firmware boot the disk rather than wait for a result
        // that only the disk can send.
        return IpxeScripts.localDisk(host.label());
      }
      return IpxeScripts.waitAndRetry("the installer of this attempt on " + host.label()
          + " already started and holds its token; waiting for its result (a rebuild request"
          + " starts a new attempt)", cfg.getRetrySeconds(), self);
    }
    // Issued before the templates are rendered (they carry it): a template that fails to
    // render leaves the token unused, and the retry after the fix is sent the same one.
    String token = grant.token();
    String templateUrl = "";
    String imageArgs = "";
    try {
      Map<String, Object> scope = TemplateScope.of(host, role, manifest, base, token);
      if (role != null && role.installTemplate() != null && !role.installTemplate().isBlank()) {
        // Rendered now so that a broken template stops the boot here, with the reason.
        templates.render(role.installTemplate(), scope);
        templateUrl = base + "/boot/templates/" + host.id() + "/" + role.installTemplate() + "?token=" + token;
      }
      if (role != null && role.kernelArgs() != null) {
        // Checked when the role was written; a role stored before that check is refused here.
        InstallTemplates.kernelArgs("kernelArgs of role " + role.name(), role.kernelArgs());
      }
      if (install.osInstaller() && manifest.bootArgs() != null) {
        scope.put("templateUrl", templateUrl);
        imageArgs = templates.renderKernelArgs("bootArgs of " + manifest.ref(), manifest.bootArgs(),
            scope);
      }
    } catch (InstallTemplates.RenderFailure e) {
      events.record("boot.template_failed", host.id(), host.label(), Map.of("reason", e.getMessage()));
      return IpxeScripts.waitAndRetry(e.getMessage(), cfg.getRetrySeconds(), self);
    }
    record((install.osInstaller() ? "os-installer" : "install")
        + (grant.kind() == InstallStarts.Kind.RESENT ? "-again" : ""), host.id(), mac, ip);
    String roleArgs =
        role == null || role.kernelArgs() == null || role.kernelArgs().isBlank()
            ? ""
            : " " + role.kernelArgs();
    String banner = "Rackboot: installing " + image + " on " + host.label();
    if (install.osInstaller()) {
      return IpxeScripts.kernel(
          base + "/files/blobs/" + first(manifest, Part.KERNEL).sha256().hex(),
          base + "/files/blobs/" + first(manifest, Part.INITRD).sha256().hex(),
          (imageArgs + roleArgs).strip(),
          banner);
    }
    String cmdline =
        cfg.getKernelArgs()
            + " rackboot.mode=install rackboot.server="
            + base
            + " rackboot.host="
            + host.id()
            + " rackboot.token="
            + token
            + " rackboot.after="
            + cfg.getAfterInstall()
            + (templateUrl.isEmpty() ? "" : " rackboot.template=" + templateUrl)
            + roleArgs;
    return IpxeScripts.kernel(
        base + "/boot/agent/vmlinuz", base + "/boot/agent/initrd.img", cmdline, banner);
  }

  /** A NIC of an installing host other than its boot NIC: told to wait, given nothing. */
  private String otherNic(BootHost host, MacAddress mac, String ip, String self) {
    record("wait-not-boot-nic", host.id(), mac, ip);
    return IpxeScripts.waitAndRetry(mac + " is not the boot NIC of " + host.label()
        + "; only the boot NIC is sent the installer", cfg.getRetrySeconds(), self);
  }

  private static Artifact first(Manifest m, Part part) {
    return m.artifacts().stream().filter(a -> a.part() == part).findFirst().orElseThrow();
  }

  /** The agent's kernel and initrd, from boot.agentDir. */
  @GET
  @Path("agent/{file}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response agentFile(@PathParam("file") String file, @Context HttpServletRequest request)
      throws IOException {
    if (!file.equals("vmlinuz") && !file.equals("initrd.img")) {
      throw ApiException.notFound("file", "the agent has vmlinuz and initrd.img only");
    }
    java.nio.file.Path path = cfg.getAgentDir().resolve(file);
    if (!Files.isRegularFile(path)) {
      throw ApiException.notFound("file", file + " is not in boot.agentDir; build it with api/agent/build-agent.sh");
    }
    String ip = request.getRemoteAddr();
    events.record("boot.http", clients.hostAt(ip), ip, Map.of("file", "agent/" + file, "client", ip));
    StreamingOutput body = out -> Files.copy(path, out);
    return Response.ok(body).header("Content-Length", Files.size(path)).build();
  }

  /**
   * Boot loaders from tftp.root (else tftp.bootLoaderDirs, in order) over HTTP, for UEFI HTTP
   * boot (architecture 16 is told /boot/ipxe.efi). The name is one path segment of a boot
   * loader's extension: nothing else in those directories, and nothing outside them, is
   * reachable here.
   */
  @GET
  @Path("{file: [A-Za-z0-9][A-Za-z0-9._-]*[.](efi|kpxe|kkpxe|pxe|lkrn)}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response bootLoader(@PathParam("file") String file, @Context HttpServletRequest request)
      throws IOException {
    // Links are followed in tftp.bootLoaderDirs only (Debian's ipxe.efi points to /boot).
    java.nio.file.Path path = bootLoaders.stream().map(dir -> dir.resolve(file))
        .filter(p -> p.getParent().equals(bootLoaders.get(0))
            ? Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            : Files.isRegularFile(p))
        .findFirst()
        .orElseThrow(() -> ApiException.notFound("file",
            file + " is not in tftp.root or tftp.bootLoaderDirs"));
    String ip = request.getRemoteAddr();
    events.record("boot.http", clients.hostAt(ip), ip, Map.of("file", file, "client", ip));
    StreamingOutput body = out -> Files.copy(path, out);
    return Response.ok(body).header("Content-Length", Files.size(path)).build();
  }

  /** An install template rendered for one host; the provisioning token authorizes it. */
  @GET
  @Path("templates/{id}/{name}")
  @Produces(MediaType.TEXT_PLAIN)
  public String template(
      @PathParam("id") String id,
      @PathParam("name") String name,
      @QueryParam("token") String token,
      @Context UriInfo uri) {
    HostRow row = ProvisionAuth.hostFor(jdbi, id, token);
    hosts.catchUp();
    BootHost host = decider.host(id).orElseThrow(
        () -> new ApiException(409, "id", "host " + id + " is not in the boot view yet; retry"));
    Role role = hosts.role(row.roleId);
    if (role == null) {
      throw new ApiException(409, "role", "host " + id + " has no role");
    }
    ImageRef ref = row.assignedImage;
    if (ref == null) {
      throw new ApiException(409, "image", "host " + id + " has no image assigned");
    }
    Manifest manifest = hosts.manifest(ref).orElseThrow(
        () -> new ApiException(409, "image", "image " + ref + " is not in the image store"));
    try {
      return templates.render(
          name, TemplateScope.of(host, role, manifest, BootUrls.base(cfg.getServerUrl(), uri), token));
    } catch (InstallTemplates.RenderFailure e) {
      events.record("boot.template_failed", host.id(), host.label(), Map.of("reason", e.getMessage()));
      throw new ApiException(422, "template", e.getMessage());
    }
  }

  private void record(String script, String hostId, MacAddress mac, String ip) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("script", script);
    detail.put("client", ip);
    events.record("boot.script", hostId, mac.toString(), detail);
  }
}
