package org.rackboot.api;

import io.dropwizard.core.setup.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.rackboot.api.config.RackbootConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the start says: one line per HTTP listener (TFTP and proxy-DHCP say theirs when they
 * bind), then one WARN line for each thing a machine needs to boot that is not there, with the
 * fix. Libraries are kept at WARN by rackboot.yml, so these lines are the whole start at INFO.
 */
public final class StartupReport {

  private static final Logger LOG = LoggerFactory.getLogger(StartupReport.class);

  /** Names of the client architectures of option 93 (RFC 4578) that dhcpProxy.bootFiles uses. */
  private static final Map<Integer, String> ARCH_NAMES = Map.of(
      0, "BIOS", 6, "UEFI ia32", 7, "UEFI x64", 9, "UEFI x64", 10, "UEFI arm32",
      11, "UEFI arm64", 16, "UEFI x64 HTTP boot");

  private StartupReport() {}

  /** Logs the listeners and the boot readiness once Jetty has started (all services are up). */
  public static void register(RackbootConfiguration config, Environment environment) {
    environment.lifecycle().addServerLifecycleListener(server -> {
      for (Connector c : server.getConnectors()) {
        if (c instanceof ServerConnector sc) {
          String what = "admin".equals(sc.getName())
              ? "admin (/healthcheck, /metrics)" : "HTTP API and boot";
          LOG.info("{} listening on TCP {}:{}", what,
              sc.getHost() == null ? "0.0.0.0" : sc.getHost(), sc.getLocalPort());
        }
      }
      bootReadiness(config).forEach(LOG::warn);
    });
  }

  /**
   * One line per missing piece of the boot flow, each with its fix; empty when a machine can
   * boot all the way to the discovery agent.
   */
  static List<String> bootReadiness(RackbootConfiguration config) {
    List<String> lines = new ArrayList<>();
    List<Path> search = config.getTftp().bootLoaderSearchPath();
    // File name -> the architectures told to fetch it, for the files found nowhere.
    Map<String, List<String>> missing = new LinkedHashMap<>();
    if (config.getDhcpProxy().isEnabled()) {
      config.getDhcpProxy().getBootFiles().forEach((arch, file) -> {
        String name = servedName(file);
        if (name != null && search.stream().noneMatch(d -> Files.isRegularFile(d.resolve(name)))) {
          missing.computeIfAbsent(name, n -> new ArrayList<>())
              .add(ARCH_NAMES.getOrDefault(arch, "arch") + " " + arch);
        }
      });
    }
    if (!missing.isEmpty()) {
      List<String> named = new ArrayList<>();
      missing.forEach((file, archs) -> named.add(file + " (" + String.join(", ", archs) + ")"));
      lines.add("no iPXE boot loader for " + String.join(", ", named)
          + " in tftp.root " + config.getTftp().getRoot() + " or tftp.bootLoaderDirs "
          + config.getTftp().getBootLoaderDirs() + ": those machines cannot network-boot;"
          + " install Debian's ipxe package (apt-get install ipxe; x86 only), copy the files"
          + " into tftp.root, or drop those architectures from dhcpProxy.bootFiles");
    }
    Path agent = config.getBoot().getAgentDir();
    if (!Files.isRegularFile(agent.resolve("vmlinuz"))
        || !Files.isRegularFile(agent.resolve("initrd.img"))) {
      lines.add("no discovery agent (vmlinuz, initrd.img) in boot.agentDir " + agent
          + ": machines are told to wait instead of enlisting; build it with"
          + " api/agent/build-agent.sh " + agent);
    }
    return lines;
  }

  /**
   * The file a boot-file entry makes this server serve: a TFTP name, or the last segment of a
   * /boot/ URL (HTTP boot); null for a URL elsewhere or a name built per machine.
   */
  static String servedName(String bootFile) {
    if (bootFile.contains("{mac") || bootFile.contains("{uuid") || bootFile.contains("{arch")) {
      return null;
    }
    int scheme = bootFile.indexOf("://");
    if (scheme < 0) {
      return bootFile.startsWith("/") ? bootFile.substring(1) : bootFile;
    }
    int boot = bootFile.indexOf("/boot/", scheme + 3);
    return boot < 0 ? null : bootFile.substring(boot + "/boot/".length());
  }
}
