package org.rackboot.api.boot;

import org.rackboot.dhcp.wire.MacAddress;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import io.dropwizard.jackson.Jackson;
import org.rackboot.api.service.EventSignal;
import org.rackboot.images.Catalog;
import org.rackboot.api.core.HostState;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;

/** The boot path's MAC map follows inventory writes through incremental refreshes. */
class HostBootCacheTest {

  @ApiTest
  void refreshFollowsNicStateAndHostnameChanges(RunningApp app) {
    String m1 = Names.mac();
    String m2 = Names.mac();
    String m3 = Names.mac();
    JsonNode a = Fixtures.host(app, m1, m2);
    String aId = a.get("id").asText();
    HostBootCache cache = new HostBootCache(app.jdbi(), Jackson.newObjectMapper(),
        new Catalog(app.jdbi(), null, null), new EventSignal(), 1000);
    cache.reload();
    assertThat(cache.byMac(MacAddress.parse(m1)).id()).isEqualTo(aId);
    assertThat(cache.byMac(MacAddress.parse(m2)).id()).isEqualTo(aId);
    int size = cache.size();

    // Nothing changed: nothing moves.
    cache.refresh();
    assertThat(cache.size()).isEqualTo(size);

    // A's NICs replaced: m1 leaves the map, m3 arrives; m2 stays.
    String newName = Names.host("renamed");
    assertThat(app.call("PATCH", "/api/v1/hosts/" + aId, app.adminToken(), Map.of(
        "hostname", newName,
        "nics", List.of(Map.of("mac", m2, "name", "eth0", "boot", true),
            Map.of("mac", m3, "name", "eth1", "boot", false)))).status()).isEqualTo(200);
    cache.refresh();
    assertThat(cache.byMac(MacAddress.parse(m1))).isNull();
    assertThat(cache.byMac(MacAddress.parse(m2)).id()).isEqualTo(aId);
    assertThat(cache.byMac(MacAddress.parse(m3)).hostname()).isEqualTo(newName);
    assertThat(cache.size()).as("one MAC out, one in").isEqualTo(size);

    // The freed MAC now belongs to a new host B.
    String bId = Fixtures.host(app, m1).get("id").asText();
    cache.refresh();
    assertThat(cache.byMac(MacAddress.parse(m1)).id()).isEqualTo(bId);
    assertThat(cache.byMac(MacAddress.parse(m1)).state()).isEqualTo(HostState.DISCOVERED);

    // A state change shows up for every NIC of the host.
    assertThat(app.call("POST", "/api/v1/hosts/" + aId + "/retire", app.adminToken(), null)
        .status()).isEqualTo(200);
    cache.refresh();
    assertThat(cache.byMac(MacAddress.parse(m2)).state()).isEqualTo(HostState.RETIRED);
    assertThat(cache.byMac(MacAddress.parse(m3)).state()).isEqualTo(HostState.RETIRED);

    // And a full reload agrees with the increments.
    HostBootCache fresh = new HostBootCache(app.jdbi(), Jackson.newObjectMapper(),
        new Catalog(app.jdbi(), null, null), new EventSignal(), 1000);
    fresh.reload();
    for (String mac : List.of(m1, m2, m3)) {
      assertThat(cache.byMac(MacAddress.parse(mac))).as(mac).isEqualTo(fresh.byMac(MacAddress.parse(mac)));
    }
    assertThat(cache.size()).isEqualTo(fresh.size());
  }

  /**
   * A transaction stamps its rows before it commits: one that commits after a later-stamped one
   * carries an older time than the newest the cache has seen, and must still be read.
   */
  @ApiTest
  void aChangeCommittedLateWithAnOlderStampIsNotMissed(RunningApp app) {
    String ma = Names.mac();
    String aId = Fixtures.host(app, ma).get("id").asText();
    String bId = Fixtures.host(app, Names.mac()).get("id").asText();
    HostBootCache cache = new HostBootCache(app.jdbi(), Jackson.newObjectMapper(),
        new Catalog(app.jdbi(), null, null), new EventSignal(), 1000);
    cache.reload();
    assertThat(cache.byMac(MacAddress.parse(ma)).state()).isEqualTo(HostState.DISCOVERED);

    // A's retirement, stamped two seconds before B's newest change, commits only now.
    app.jdbi().useHandle(h -> h.createUpdate("UPDATE hosts SET state = 'retired',"
            + " version = version + 1, updated_at = (SELECT t FROM (SELECT updated_at - INTERVAL '2' SECOND AS t"
            + " FROM hosts WHERE id = :b) AS x) WHERE id = :a")
        .bind("a", aId).bind("b", bId).execute());
    cache.refresh();
    assertThat(cache.byMac(MacAddress.parse(ma)).state()).isEqualTo(HostState.RETIRED);
  }
}
