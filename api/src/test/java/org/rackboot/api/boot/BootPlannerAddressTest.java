package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import io.dropwizard.jackson.Jackson;
import org.rackboot.api.service.EventSignal;
import org.rackboot.images.Catalog;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.dhcp.pxe.BootDecision;
import org.rackboot.dhcp.wire.Ipv4;
import org.rackboot.dhcp.wire.MacAddress;

/**
 * The address a known host's ROM asks the site's DHCP server for names that host in the TFTP
 * requests that follow (they carry no MAC); unknown MACs teach nothing.
 */
class BootPlannerAddressTest {

  @ApiTest
  void aRequestedAddressNamesTheKnownHostBehindIt(RunningApp app) {
    String mac = Names.mac();
    String hostId = Fixtures.host(app, mac).get("id").asText();
    HostBootCache cache = new HostBootCache(app.jdbi(), Jackson.newObjectMapper(),
        new Catalog(app.jdbi(), null, null), new EventSignal(), 1000);
    cache.reload();
    BootClients clients = new BootClients();
    BootPlanner planner = new BootPlanner(new BootDecider(cache, List.of(), false, Path.of("no-agent")), cache,
        r -> BootDecision.ignore("not asked"), null, DhcpEventWindow.ofSeconds(60), EventBudget.perSecond(20), clients);

    planner.addressRequested(MacAddress.parse(mac.toUpperCase()), Ipv4.parse("10.1.2.3"));
    assertThat(clients.hostAt("10.1.2.3")).isEqualTo(hostId);

    planner.addressRequested(MacAddress.parse(Names.mac()), Ipv4.parse("10.1.2.4"));
    assertThat(clients.hostAt("10.1.2.4")).isNull();
  }
}
