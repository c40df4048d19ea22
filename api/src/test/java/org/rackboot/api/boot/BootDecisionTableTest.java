package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rackboot.api.config.BootFactory;
import org.rackboot.api.core.BootHost;
import org.rackboot.api.core.HostState;
import org.rackboot.api.core.ImageRef;
import org.rackboot.api.core.Role;
import org.rackboot.api.service.EventSignal;
import org.rackboot.dhcp.pxe.BootDecision;
import org.rackboot.dhcp.pxe.BootRequest;
import org.rackboot.dhcp.pxe.DefaultBootPolicy;
import org.rackboot.dhcp.pxe.Subnet;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.dhcp.wire.MessageType;
import org.rackboot.images.Artifact;
import org.rackboot.images.Manifest;
import org.rackboot.images.Part;
import org.rackboot.images.Sha256;

/**
 * Every host state × firmware × auto-enlist network × relay × agent built or not, over an
 * in-memory inventory, run through the proxy-DHCP answer and through the iPXE script endpoint:
 * both must give the expected kind of boot, so the two can never disagree about a machine.
 */
class BootDecisionTableTest {

  /** What a machine ends up doing, as each boot service shows it. */
  enum Kind { IGNORE, DISCOVERY, INSTALL, WAIT, LOCAL }

  /** The inventory's side of a case: no host, or a host in a state. */
  enum HostCase {
    UNKNOWN(null), DISCOVERED(HostState.DISCOVERED), READY(HostState.READY),
    PROVISIONING(HostState.PROVISIONING), PROVISIONING_WITHOUT_IMAGE(HostState.PROVISIONING),
    DEPLOYED(HostState.DEPLOYED), FAILED(HostState.FAILED), RETIRED(HostState.RETIRED);

    final HostState state;

    HostCase(HostState state) {
      this.state = state;
    }

    Kind expected(boolean enlisting, Agent agent) {
      Kind kind = switch (this) {
        case UNKNOWN -> enlisting ? Kind.DISCOVERY : Kind.IGNORE;
        case DISCOVERED, READY -> Kind.DISCOVERY;
        case PROVISIONING -> Kind.INSTALL;
        case PROVISIONING_WITHOUT_IMAGE, FAILED -> Kind.WAIT;
        case DEPLOYED -> Kind.LOCAL;
        case RETIRED -> Kind.IGNORE;
      };
      // Without the agent, whoever would boot it (to discover, or to write a disk) waits.
      return agent == Agent.MISSING && (kind == Kind.DISCOVERY || kind == Kind.INSTALL)
          ? Kind.WAIT : kind;
    }
  }

  /** Whether boot.agentDir holds the agent's vmlinuz and initrd.img. */
  enum Agent {
    BUILT, MISSING;

    Path dir() {
      return this == BUILT ? agentDir : emptyAgentDir;
    }
  }

  /** What the firmware says of itself in its DHCP request. */
  enum Firmware {
    BIOS_PXE(0, "PXEClient:Arch:00000:UNDI:002001", List.of()),
    UEFI_PXE(7, "PXEClient:Arch:00007:UNDI:003016", List.of()),
    UEFI_HTTP(16, "HTTPClient:Arch:00016:UNDI:003001", List.of()),
    IPXE(0, "PXEClient:Arch:00000:UNDI:002001", List.of("iPXE")),
    ARM64(11, "PXEClient:Arch:00011:UNDI:003000", List.of());

    final int arch;
    final String vendorClass;
    final List<String> userClasses;

    Firmware(int arch, String vendorClass, List<String> userClasses) {
      this.arch = arch;
      this.vendorClass = vendorClass;
      this.userClasses = userClasses;
    }
  }

  /**
   * Where the machine is: the server's interface, the relay (or none) and the client's own
   * address as the HTTP request shows it. The relay's network decides, not the server's.
   */
  enum Network {
    ENLISTING_DIRECT(true, "10.1.0.1", null, "10.1.0.50"),
    ENLISTING_RELAYED(true, "10.9.0.1", "10.1.5.1", "10.1.5.50"),
    OTHER_DIRECT(false, "10.9.0.1", null, "10.9.0.50"),
    OTHER_RELAYED(false, "10.1.0.1", "10.30.0.1", "10.30.0.50");

    final boolean enlisting;
    final Inet4Address local;
    final Inet4Address relay;
    final String client;

    Network(boolean enlisting, String local, String relay, String client) {
      this.enlisting = enlisting;
      this.local = Ipv4.parse(local);
      this.relay = relay == null ? null : Ipv4.parse(relay);
      this.client = client;
    }
  }

  private static final String BASE = "http://10.1.0.1:8080";
  private static final List<Subnet> ENLIST = List.of(Subnet.parse("10.1.0.0/16"));
  private static final Manifest IMAGE = new Manifest("base", "1", "linux", "x86_64", null, null,
      "test", Instant.EPOCH, List.of(new Artifact("disk.img", Part.DISK,
          Sha256.ofString("disk image v1"), 13)));
  private static final Role WEB = new Role("role-1", "dev", "web", "base", "1", "quiet", null,
      null, 1, Instant.EPOCH, Instant.EPOCH);

  @TempDir static Path agentDir;
  @TempDir static Path emptyAgentDir;

  @BeforeAll
  static void agent() throws IOException {
    Files.writeString(agentDir.resolve("vmlinuz"), "kernel");
    Files.writeString(agentDir.resolve("initrd.img"), "initrd");
  }

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    for (HostCase host : HostCase.values()) {
      for (Firmware firmware : Firmware.values()) {
        for (Network network : Network.values()) {
          for (Agent agent : Agent.values()) {
            rows.add(Arguments.of(host, firmware, network, agent));
          }
        }
      }
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} agent {3}")
  @MethodSource("table")
  void proxyDhcpAndTheIpxeScriptAgree(HostCase hostCase, Firmware firmware, Network network,
      Agent agent) {
    MacAddress mac = MacAddress.parse("52:54:00:aa:00:01");
    InMemoryBootInventory inventory = new InMemoryBootInventory().role(WEB).image(IMAGE);
    if (hostCase.state != null) {
      ImageRef image = hostCase == HostCase.PROVISIONING_WITHOUT_IMAGE
          ? null : new ImageRef("base", "1");
      inventory.host(mac, new BootHost("host-1", "web-1", hostCase.state, "dev", "SN1", "r1",
          WEB.id(), WEB.name(), image, mac));
    }
    BootDecider decider = new BootDecider(inventory, ENLIST, false, agent.dir());
    BootEvents events = new BootEvents(null, Jackson.newObjectMapper(), new EventSignal());
    BootClients clients = new BootClients();
    List<String> installsStarted = new ArrayList<>();

    BootPlanner proxyDhcp = new BootPlanner(decider, inventory,
        DefaultBootPolicy.withDefaults(), events, DhcpEventWindow.ofSeconds(60),
        EventBudget.perSecond(20), clients);
    BootDecision answer = proxyDhcp.decide(new BootRequest(MessageType.DISCOVER, mac, null,
        firmware.arch, null, firmware.vendorClass, firmware.userClasses, network.relay, null,
        null, null, network.local, false));

    BootResource scripts = new BootResource(null, null, decider,
        (host, asker, image) -> {
          installsStarted.add(host.id() + " " + image);
          return new BootResource.InstallStarts.Grant(BootResource.InstallStarts.Kind.ISSUED,
              "rbp_test");
        }, new BootFactory(),
        "discovery-token", events, clients, new InstallTemplates(null), null);
    String script = scripts.scriptFor(mac, network.client, BASE);

    Kind expected = hostCase.expected(network.enlisting, agent);
    assertThat(answer instanceof BootDecision.Ignore ? Kind.IGNORE : null)
        .as("proxy-DHCP answers exactly when the script boots something")
        .isEqualTo(expected == Kind.IGNORE ? Kind.IGNORE : null);
    assertThat(kindOf(script)).as(script).isEqualTo(expected);
    assertThat(installsStarted).hasSize(expected == Kind.INSTALL ? 1 : 0);
    Kind withAgent = hostCase.expected(network.enlisting, Agent.BUILT);
    if (agent == Agent.MISSING && withAgent != expected) {
      // The machine is told why it waits, and where the agent should be.
      assertThat(script).contains("is not in boot.agentDir " + emptyAgentDir);
    }
    if (firmware == Firmware.IPXE && expected != Kind.IGNORE) {
      // iPXE itself is told its per-host script, the one rendered above.
      assertThat(((BootDecision.Boot) answer).bootFile()).endsWith("/boot/ipxe?mac=" + mac);
    }
  }

  /** The kind of boot a rendered iPXE script performs. */
  private static Kind kindOf(String script) {
    assertThat(script).startsWith("#!ipxe\n");
    if (script.contains("rackboot.mode=install")) {
      return Kind.INSTALL;
    }
    if (script.contains("rackboot.mode=discover")) {
      return Kind.DISCOVERY;
    }
    if (script.contains("\nchain --replace")) {
      return Kind.WAIT;
    }
    assertThat(script).endsWith("exit\n").doesNotContain("\nkernel ");
    return script.contains("booting from local disk") ? Kind.LOCAL : Kind.IGNORE;
  }
}
