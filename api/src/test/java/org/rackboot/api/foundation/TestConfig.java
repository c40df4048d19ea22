package org.rackboot.api.foundation;

import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** -Ddw overrides that run the committed rackboot.yml on free loopback ports in a temp dir. */
final class TestConfig {

  private TestConfig() {}

  /** The committed configuration file, so tests prove the file operators use. */
  static String configFile() {
    Path inModule = Path.of("..", "rackboot.yml");
    return (inModule.toFile().exists() ? inModule : Path.of("rackboot.yml"))
        .toAbsolutePath()
        .normalize()
        .toString();
  }

  static List<String> loopbackOverrides(Path workDir) throws Exception {
    List<String> props = new ArrayList<>();
    props.add("-Ddw.server.applicationConnectors[0].port=" + freeTcpPort());
    props.add("-Ddw.server.applicationConnectors[0].bindHost=127.0.0.1");
    props.add("-Ddw.server.adminConnectors[0].port=" + freeTcpPort());
    props.add("-Ddw.server.adminConnectors[0].bindHost=127.0.0.1");
    props.add("-Ddw.tftp.bindAddress=127.0.0.1");
    props.add("-Ddw.tftp.port=" + freeUdpPort());
    props.add("-Ddw.tftp.root=" + workDir.resolve("tftp"));
    props.add("-Ddw.dhcpProxy.interfaces=lo");
    // Replies to clients and relays go to these ports too: keep them all private to the test.
    props.add("-Ddw.dhcpProxy.port=" + freeUdpPort());
    props.add("-Ddw.dhcpProxy.bootServerPort=" + freeUdpPort());
    props.add("-Ddw.dhcpProxy.clientPort=" + freeUdpPort());
    props.add("-Ddw.dhcpProxy.relayPort=" + freeUdpPort());
    props.add("-Ddw.images.storeDir=" + workDir.resolve("images"));
    props.add("-Ddw.images.minFreeSpace=1MiB");
    props.add(
        "-Ddw.database.url=jdbc:h2:" + workDir.resolve("db/rackboot")
            + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE");
    return props;
  }

  static String adminPort(List<String> props) {
    return props.stream()
        .filter(p -> p.startsWith("-Ddw.server.adminConnectors[0].port="))
        .findFirst()
        .orElseThrow()
        .split("=")[1];
  }

  static int freeTcpPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static int freeUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }
}
