package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rackboot.api.service.EventSignal;
import org.rackboot.images.Catalog;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.dhcp.pxe.BootDecision;
import org.rackboot.dhcp.pxe.BootRequest;
import org.rackboot.dhcp.pxe.Subnet;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.dhcp.wire.MessageType;

/**
 * Which network an unknown machine is judged by, and how many boot events one broadcast makes
 * when the server answers it on several interfaces.
 */
class BootPlannerNetworksTest {

  private static final Inet4Address SERVER = Ipv4.parse("10.0.0.1");
  private static final Inet4Address OTHER_INTERFACE = Ipv4.parse("172.16.0.1");

  private static BootPlanner planner(RunningApp app, DhcpEventWindow window, String... enlist) {
    HostBootCache cache = new HostBootCache(app.jdbi(), Jackson.newObjectMapper(),
        new Catalog(app.jdbi(), null, null), new EventSignal(), 1000);
    cache.reload();
    BootEvents events = new BootEvents(app.jdbi(), Jackson.newObjectMapper(), new EventSignal());
    BootDecider decider = new BootDecider(cache,
        List.of(enlist).stream().map(Subnet::parse).toList(), false, Path.of("no-agent"));
    return new BootPlanner(decider, cache,
        r -> new BootDecision.HttpBoot("http://" + r.localAddress().getHostAddress()
            + ":8080/boot/ipxe?mac=" + r.mac(), List.of()),
        events, window,
        EventBudget.perSecond(20), new BootClients());
  }

  private static BootRequest request(String mac, Inet4Address relay, Inet4Address client,
      Inet4Address local, boolean port4011) {
    return new BootRequest(MessageType.REQUEST, MacAddress.parse(mac), null, 7, null,
        "PXEClient:Arch:00007", List.of("iPXE"), relay, client, null, null, local, port4011);
  }

  /**
   * After a relayed DISCOVER, iPXE and EDK2 ask port 4011 directly (routed, giaddr 0) from the
   * address the site gave them: that address, not the server's own network, decides enlisting.
   */
  @ApiTest
  void aRoutedBootServerRequestIsJudgedByTheClientsAddress(RunningApp app) {
    BootPlanner planner = planner(app, DhcpEventWindow.ofSeconds(60), "10.20.0.0/16");
    String mac = Names.mac();
    assertThat(planner.decide(request(mac, Ipv4.parse("10.20.0.1"), null, SERVER, false)))
        .isNotInstanceOf(BootDecision.Ignore.class);
    assertThat(planner.decide(request(mac, null, Ipv4.parse("10.20.0.57"), SERVER, true)))
        .isNotInstanceOf(BootDecision.Ignore.class);
    // A client outside the enlist networks stays unanswered, by its own address too.
    assertThat(planner.decide(request(Names.mac(), null, Ipv4.parse("10.30.0.9"), SERVER, true)))
        .isInstanceOf(BootDecision.Ignore.class);
    assertThat(planner.decide(request(Names.mac(), null, null, SERVER, false)))
        .isInstanceOf(BootDecision.Ignore.class);
  }

  /** One broadcast answered on two interfaces (URLs naming each) is one boot step, one event. */
  @ApiTest
  void oneBroadcastAnsweredOnTwoInterfacesIsOneEvent(RunningApp app) {
    DhcpEventWindow window = DhcpEventWindow.ofSeconds(60);
    BootPlanner planner = planner(app, window, "0.0.0.0/0");
    String mac = Names.mac();
    for (int packet = 0; packet < 3; packet++) {
      planner.decide(request(mac, null, null, SERVER, false));
      planner.decide(request(mac, null, null, OTHER_INTERFACE, false));
    }
    assertThat(window.size()).isEqualTo(1);
    assertThat(window.suppressed()).isEqualTo(5);
  }

  @Test
  void bootUrlsLoseOnlyTheirServer() {
    assertThat(BootPlanner.withoutServer("http://10.0.0.1:8080/boot/ipxe?mac=x"))
        .isEqualTo("/boot/ipxe?mac=x");
    assertThat(BootPlanner.withoutServer("https://boot.example")).isEmpty();
    assertThat(BootPlanner.withoutServer("undionly.kpxe")).isEqualTo("undionly.kpxe");
  }
}
