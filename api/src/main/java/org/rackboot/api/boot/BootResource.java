package org.rackboot.api.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.auth.Caller;
import org.rackboot.api.config.BootFactory;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.HostRow;
import org.rackboot.api.core.HostState;
import org.rackboot.api.core.Inventory;
import org.rackboot.api.core.MacAddress;
import org.rackboot.api.core.Role;
import org.rackboot.api.db.CatalogDao;
import org.rackboot.api.db.HostDao;
import org.rackboot.dhcp.pxe.Subnet;
import org.rackboot.images.Artifact;
import org.rackboot.images.Catalog;
import org.rackboot.images.Manifest;
import org.rackboot.images.Part;

/**
 * What iPXE fetches: the per-host script (the host's state decides it), the agent's kernel and
 * initrd, and rendered install templates. Not behind bearer tokens: firmware has none. The
 * install script carries a fresh one-time provisioning token instead.
 */
// For firmware and installers, not API clients: left out of the OpenAPI document.
@Hidden
@Path("/boot")
public final class BootResource {

  /** The identity the boot flow acts as in the audit log. */
  static final Caller SYSTEM = Caller.of(null, "boot", "admin", Set.of());

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final Inventory inventory;
  private final Catalog images;
  private final AssignedImages assigned;
  private final BootFactory cfg;
  private final String discoveryToken;
  private final List<Subnet> enlistNetworks;
  private final BootEvents events;
  private final BootClients clients;
  private final InstallTemplates templates;
  private final java.nio.file.Path bootLoaders;

  public BootResource(
      Jdbi jdbi,
      ObjectMapper json,
      Inventory inventory,
      Catalog images,
      AssignedImages assigned,
      BootFactory cfg,
      String discoveryToken,
      List<Subnet> enlistNetworks,
      BootEvents events,
      BootClients clients,
      InstallTemplates templates,
      java.nio.file.Path bootLoaders) {
    this.jdbi = jdbi;
    this.json = json;
    this.inventory = inventory;
    this.images = images;
    this.assigned = assigned;
    this.cfg = cfg;
    this.discoveryToken = discoveryToken;
    this.enlistNetworks = List.copyOf(enlistNetworks);
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
      mac = MacAddress.of(macText);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("mac", e.getMessage());
    }
    String base = BootUrls.base(cfg.getServerUrl(), uri);
    String ip = request.getRemoteAddr();
    Optional<HostRow> found =
        jdbi.withHandle(h -> new HostDao(h).idByMac(mac).flatMap(id -> new HostDao(h).byId(id)));
    if (found.isEmpty()) {
      if (!enlisting(ip)) {
        events.record("boot.ignored", null, mac.toString(), Map.of("client", ip));
        return IpxeScripts.refuse("unknown machine, and auto-enlistment is off for " + ip);
      }
      record("discovery", null, mac, ip);
      return discovery(base);
    }
    HostRow host = found.get();
    clients.remember(ip, host.id);
    String self = base + "/boot/ipxe?mac=" + mac;
    return switch (host.state) {
      case DISCOVERED, READY -> {
        if ("wait".equals(cfg.getIdleAction())) {
          record("wait", host.id, mac, ip);
          yield IpxeScripts.waitAndRetry(
              "host " + label(host) + " is " + host.state + ", waiting for a rebuild",
              cfg.getRetrySeconds(),
              self);
        }
        record("discovery", host.id, mac, ip);
        yield discovery(base);
      }
      case PROVISIONING -> install(host, base, self, mac, ip);
      case DEPLOYED -> {
        record("local", host.id, mac, ip);
        yield IpxeScripts.localDisk(label(host));
      }
      case FAILED -> {
        record("wait", host.id, mac, ip);
        yield IpxeScripts.waitAndRetry(
            "install of " + label(host) + " failed; ask for a rebuild to try again",
            cfg.getRetrySeconds(),
            self);
      }
      case RETIRED -> {
        record("refused", host.id, mac, ip);
        yield IpxeScripts.refuse("host " + label(host) + " is retired");
      }
    };
  }

  private String discovery(String base) {
    String cmdline =
        cfg.getKernelArgs()
            + " rackboot.mode=discover rackboot.server="
            + base
            + (discoveryToken == null || discoveryToken.isEmpty()
                ? ""
                : " rackboot.discovery_token=" + discoveryToken)
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
  private String install(HostRow host, String base, String self, MacAddress mac, String ip) {
    Optional<AssignedImages.ImageRef> image = assigned.of(host);
    if (image.isEmpty()) {
      return blocked(host, self, mac, ip, "role " + host.roleName + " has no image pinned in " + host.environment);
    }
    Optional<Manifest> found = images.get(image.get().name(), image.get().version());
    if (found.isEmpty()) {
      return blocked(host, self, mac, ip, "image " + image.get() + " is not in the image store");
    }
    Manifest manifest = found.get();
    Optional<Artifact> kernel = first(manifest, Part.KERNEL);
    Optional<Artifact> initrd = first(manifest, Part.INITRD);
    boolean osInstaller = first(manifest, Part.DISK).isEmpty() && kernel.isPresent() && initrd.isPresent();
    if (!osInstaller
        && (!Files.isRegularFile(cfg.getAgentDir().resolve("vmlinuz"))
            || !Files.isRegularFile(cfg.getAgentDir().resolve("initrd.img")))) {
      return blocked(host, self, mac, ip, "the agent is not in boot.agentDir " + cfg.getAgentDir());
    }
    Role role = jdbi.withHandle(h -> new CatalogDao(h, json).role(host.roleId)).orElse(null);
    String token = ProvisionTokens.newToken();
    String templateUrl = "";
    String imageArgs = "";
    try {
      Map<String, Object> scope = TemplateScope.of(host, role, manifest, base, token);
      if (role != null && role.installTemplate() != null && !role.installTemplate().isBlank()) {
        // Rendered now so that a broken template stops the boot here, with the reason.
        templates.render(role.installTemplate(), scope);
        templateUrl = base + "/boot/templates/" + host.id + "/" + role.installTemplate() + "?token=" + token;
      }
      if (osInstaller && manifest.bootArgs() != null) {
        scope.put("templateUrl", templateUrl);
        imageArgs = templates.renderText("bootArgs of " + manifest.ref(), manifest.bootArgs(), scope);
      }
    } catch (InstallTemplates.RenderFailure e) {
      events.record("boot.template_failed", host.id, label(host), Map.of("reason", e.getMessage()));
      return IpxeScripts.waitAndRetry(e.getMessage(), cfg.getRetrySeconds(), self);
    }
    String hash = ProvisionTokens.hash(token);
    inventory.mutate(
        SYSTEM,
        host.id,
        null,
        (h, row) -> {
          if (row.state != HostState.PROVISIONING) {
            throw new ApiException(409, "state", "host " + row.id + " left provisioning meanwhile");
          }
          row.provisioningTokenHash = hash;
          return "boot.install_started:" + image.get();
        });
    record(osInstaller ? "os-installer" : "install", host.id, mac, ip);
    String roleArgs =
        role == null || role.kernelArgs() == null || role.kernelArgs().isBlank()
            ? ""
            : " " + role.kernelArgs();
    if (osInstaller) {
      return IpxeScripts.kernel(
          base + "/files/blobs/" + kernel.get().sha256().hex(),
          base + "/files/blobs/" + initrd.get().sha256().hex(),
          (imageArgs + roleArgs).strip(),
          "Rackboot: installing " + image.get() + " on " + label(host));
    }
    String cmdline =
        cfg.getKernelArgs()
            + " rackboot.mode=install rackboot.server="
            + base
            + " rackboot.host="
            + host.id
            + " rackboot.token="
            + token
            + " rackboot.after="
            + cfg.getAfterInstall()
            + (templateUrl.isEmpty() ? "" : " rackboot.template=" + templateUrl)
            + roleArgs;
    return IpxeScripts.kernel(
        base + "/boot/agent/vmlinuz",
        base + "/boot/agent/initrd.img",
        cmdline,
        "Rackboot: installing " + image.get() + " on " + label(host));
  }

  private static Optional<Artifact> first(Manifest m, Part part) {
    return m.artifacts().stream().filter(a -> a.part() == part).findFirst();
  }

  private String blocked(HostRow host, String self, MacAddress mac, String ip, String reason) {
    events.record("boot.install_blocked", host.id, mac.toString(), Map.of("reason", reason, "client", ip));
    return IpxeScripts.waitAndRetry(reason, cfg.getRetrySeconds(), self);
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
   * Boot loaders from tftp.root over HTTP, for UEFI HTTP boot (architecture 16 is told
   * /boot/ipxe.efi). The name is one path segment of a boot loader's extension: nothing else in
   * the TFTP root, and nothing outside it, is reachable here.
   */
  @GET
  @Path("{file: [A-Za-z0-9][A-Za-z0-9._-]*[.](efi|kpxe|kkpxe|pxe|lkrn)}")
  @Produces(MediaType.APPLICATION_OCTET_STREAM)
  public Response bootLoader(@PathParam("file") String file, @Context HttpServletRequest request)
      throws IOException {
    java.nio.file.Path path = bootLoaders.resolve(file);
    if (!Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw ApiException.notFound("file", file + " is not in tftp.root");
    }
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
    HostRow host = ProvisionAuth.hostFor(jdbi, id, token);
    Role role = jdbi.withHandle(h -> new CatalogDao(h, json).role(host.roleId)).orElseThrow(
        () -> new ApiException(409, "role", "host " + id + " has no role"));
    AssignedImages.ImageRef ref = assigned.of(host).orElseThrow(
        () -> new ApiException(409, "image", "host " + id + " has no image assigned"));
    Manifest manifest = images.get(ref.name(), ref.version()).orElseThrow(
        () -> new ApiException(409, "image", "image " + ref + " is not in the image store"));
    try {
      return templates.render(
          name, TemplateScope.of(host, role, manifest, BootUrls.base(cfg.getServerUrl(), uri), token));
    } catch (InstallTemplates.RenderFailure e) {
      events.record("boot.template_failed", host.id, label(host), Map.of("reason", e.getMessage()));
      throw new ApiException(422, "template", e.getMessage());
    }
  }

  private void record(String script, String hostId, MacAddress mac, String ip) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("script", script);
    detail.put("client", ip);
    events.record("boot.script", hostId, mac.toString(), detail);
  }

  private boolean enlisting(String ip) {
    try {
      InetAddress a = InetAddress.getByName(ip);
      if (!(a instanceof Inet4Address v4)) {
        return false;
      }
      return enlistNetworks.stream().anyMatch(s -> s.contains(v4));
    } catch (IOException e) {
      return false;
    }
  }

  static String label(HostRow host) {
    return host.hostname != null ? host.hostname : host.id;
  }
}
