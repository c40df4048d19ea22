package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** Hosts over HTTP: create, read, update with ETags, NICs and MACs, lookup, list, pagination. */
class HostsApiTest {

  @ApiTest
  void createsReadsAndNormalizesMacsInAllFourForms(RunningApp app) {
    String m = Names.mac(); // 02:xx:...
    String hex = m.replace(":", "");
    String dashes = m.toUpperCase().replace(':', '-');
    String cisco = hex.substring(0, 4) + "." + hex.substring(4, 8) + "." + hex.substring(8);
    String m2 = Names.mac();
    String m3 = Names.mac();
    String m4 = Names.mac();
    Map<String, Object> body = Fixtures.hostBody("Web-01." + Names.name("x") + ".Example.NET",
        m, m2, m3, m4);
    body.put("nics", List.of(
        Map.of("mac", hex.toUpperCase(), "name", "eth0"),
        Map.of("mac", m2.toUpperCase().replace(':', '-'), "name", "eth1", "boot", true),
        Map.of("mac", m3.substring(0, 2) + m3.substring(3, 5) + "." + m3.substring(6, 8)
            + m3.substring(9, 11) + "." + m3.substring(12, 14) + m3.substring(15), "name", "eth2"),
        Map.of("mac", m4, "name", "eth3")));
    body.put("systemUuid", "4C414230-0000-4000-8000-525400771198".toLowerCase());
    Resp created = app.post("/api/v1/hosts", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode h = created.body();
    assertThat(h.get("state").asText()).isEqualTo("discovered");
    assertThat(h.get("hostname").asText()).isEqualTo(
        ((String) body.get("hostname")).toLowerCase());
    assertThat(created.header("ETag")).contains("\"1\"");
    assertThat(created.header("Location")).hasValueSatisfying(
        l -> assertThat(l).endsWith("/api/v1/hosts/" + h.get("id").asText()));
    List<String> macs = new ArrayList<>();
    h.get("nics").forEach(n -> macs.add(n.get("mac").asText()));
    assertThat(macs).containsExactlyInAnyOrder(m, m2, m3, m4);
    h.get("nics").forEach(n -> assertThat(n.get("boot").asBoolean())
        .isEqualTo(n.get("mac").asText().equals(m2)));

    Resp got = app.get("/api/v1/hosts/" + h.get("id").asText());
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(h);

    // Lookup by MAC accepts every form too.
    for (String form : List.of(m, hex, dashes, cisco)) {
      Resp byMac = app.get("/api/v1/hosts/by-mac/" + form);
      assertThat(byMac.status()).as(form + " " + byMac).isEqualTo(200);
      assertThat(byMac.body().get("id").asText()).isEqualTo(h.get("id").asText());
    }
    assertThat(app.get("/api/v1/hosts/by-mac/" + Names.mac()).status()).isEqualTo(404);
    Resp bad = app.get("/api/v1/hosts/by-mac/zz:zz:zz:zz:zz:zz");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().get("field").asText()).isEqualTo("mac");
  }

  @ApiTest
  void patchChangesOnlyPresentFieldsAndHonoursIfMatch(RunningApp app) {
    JsonNode h = Fixtures.host(app, Names.mac());
    String path = "/api/v1/hosts/" + h.get("id").asText();
    Resp p = app.call("PATCH", path, app.adminToken(), Map.of("notes", "line one\nline two"),
        "If-Match", "\"1\"");
    assertThat(p.status()).as(p.toString()).isEqualTo(200);
    assertThat(p.body().get("notes").asText()).isEqualTo("line one\nline two");
    assertThat(p.body().get("serial")).isEqualTo(h.get("serial"));
    assertThat(p.body().get("version").asLong()).isEqualTo(2);
    assertThat(p.header("ETag")).contains("\"2\"");

    String before = Fixtures.snapshot(app);
    Resp stale = app.call("PATCH", path, app.adminToken(), Map.of("notes", "lost?"),
        "If-Match", "\"1\"");
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.body().get("field").asText()).isEqualTo("If-Match");
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);

    // Explicit null clears; NICs present are replaced as a set.
    String newMac = Names.mac();
    Resp cleared = app.call("PATCH", path, app.adminToken(),
        "{\"notes\":null,\"rackPosition\":7,\"nics\":[{\"mac\":\"" + newMac + "\"}]}");
    assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
    assertThat(cleared.body().get("notes").isNull()).isTrue();
    assertThat(cleared.body().get("rackPosition").asInt()).isEqualTo(7);
    assertThat(cleared.body().get("nics")).hasSize(1);
    assertThat(cleared.body().get("nics").get(0).get("mac").asText()).isEqualTo(newMac);
    assertThat(cleared.body().get("nics").get(0).get("boot").asBoolean()).isTrue();
    // The old MAC is free again.
    assertThat(app.get("/api/v1/hosts/by-mac/" + h.get("nics").get(0).get("mac").asText())
        .status()).isEqualTo(404);
  }

  @ApiTest
  void listFiltersByEveryCriterion(RunningApp app) {
    String env = Fixtures.environment(app);
    JsonNode role = Fixtures.role(app, env, "debian", "12.1");
    String roleName = role.get("name").asText();
    String prefix = Names.name("flt");
    JsonNode a = Fixtures.namedHost(app, prefix + "-a.example.net", Names.mac());
    JsonNode b = Fixtures.readyHost(app, env, roleName);
    String bid = b.get("id").asText();
    app.call("PATCH", "/api/v1/hosts/" + bid, app.adminToken(),
        Map.of("rack", "rack-" + prefix, "hostname", prefix + "-b.example.net"));

    assertThat(ids(app, "?hostnamePrefix=" + prefix)).containsExactlyInAnyOrder(
        a.get("id").asText(), bid);
    assertThat(ids(app, "?hostnamePrefix=" + prefix.toUpperCase() + "-A"))
        .containsExactly(a.get("id").asText());
    assertThat(ids(app, "?environment=" + env)).containsExactly(bid);
    assertThat(ids(app, "?role=" + roleName)).containsExactly(bid);
    assertThat(ids(app, "?state=ready&environment=" + env)).containsExactly(bid);
    assertThat(ids(app, "?state=discovered&hostnamePrefix=" + prefix))
        .containsExactly(a.get("id").asText());
    assertThat(ids(app, "?rack=rack-" + prefix)).containsExactly(bid);
    assertThat(ids(app, "?serial=" + a.get("serial").asText()))
        .containsExactly(a.get("id").asText());
    String mac = a.get("nics").get(0).get("mac").asText();
    assertThat(ids(app, "?mac=" + mac.toUpperCase().replace(':', '-')))
        .containsExactly(a.get("id").asText());

    // In sync: assigned image equals the image reported at check-in.
    assertThat(ids(app, "?inSync=false&environment=" + env)).containsExactly(bid);
    assertThat(ids(app, "?inSync=true&environment=" + env)).isEmpty();
    Resp in = app.call("POST", "/api/v1/hosts/" + bid + "/checkin", app.adminToken(),
        Map.of("imageName", "debian", "imageVersion", "12.1"));
    assertThat(in.status()).as(in.toString()).isEqualTo(200);
    assertThat(in.body().get("inSync").asBoolean()).isTrue();
    assertThat(ids(app, "?inSync=true&environment=" + env)).containsExactly(bid);
    assertThat(ids(app, "?inSync=false&environment=" + env)).isEmpty();

    assertThat(app.get("/api/v1/hosts?state=bogus").status()).isEqualTo(400);
    assertThat(app.get("/api/v1/hosts?inSync=maybe").body().get("field").asText())
        .isEqualTo("inSync");
    assertThat(app.get("/api/v1/hosts?limit=0").body().get("field").asText()).isEqualTo("limit");
    assertThat(app.get("/api/v1/hosts?cursor=nonsense!").body().get("field").asText())
        .isEqualTo("cursor");
  }

  @ApiTest
  void cursorPagingSeesEveryHostOnceWhileHostsAreAdded(RunningApp app) {
    String prefix = Names.name("pg");
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      expected.add(Fixtures.namedHost(app, prefix + "-" + i + ".example.net", Names.mac())
          .get("id").asText());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Resp r = app.get("/api/v1/hosts?limit=3&hostnamePrefix=" + prefix
          + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      r.body().get("items").forEach(h -> seen.add(h.get("id").asText()));
      cursor = r.body().get("next").isNull() ? null : r.body().get("next").asText();
      if (pages++ == 0) {
        // Inserted mid-way: shows up later, and nothing is repeated or skipped.
        expected.add(Fixtures.namedHost(app, prefix + "-late.example.net", Names.mac())
            .get("id").asText());
      }
    } while (cursor != null && pages < 10);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).isEqualTo(expected);
  }

  @ApiTest
  void factsAreReplacedAndHistoryKept(RunningApp app) {
    String mac = Names.mac();
    Map<String, Object> report = DiscoveryApiTest.labReport(mac, "LAB-" + Names.name("s"));
    Resp first = app.call("POST", "/api/v1/discovery?token=" + RunningApp.DISCOVERY_TOKEN, null,
        report);
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    String id = first.body().get("id").asText();
    ((Map<String, Object>) report.get("memory")).put("total_kb", 2048);
    Resp second = app.call("POST", "/api/v1/discovery?token=" + RunningApp.DISCOVERY_TOKEN, null,
        report);
    assertThat(second.status()).isEqualTo(200);
    Resp facts = app.get("/api/v1/hosts/" + id + "/facts");
    assertThat(facts.status()).isEqualTo(200);
    assertThat(facts.body().get("facts").get("memoryBytes").asLong()).isEqualTo(2048 * 1024);
    Resp history = app.get("/api/v1/hosts/" + id + "/facts/history");
    assertThat(history.body()).hasSize(2);
    assertThat(history.body().get(1).get("facts").get("memoryBytes").asLong())
        .isEqualTo(719324L * 1024);
  }

  private static List<String> ids(RunningApp app, String query) {
    Resp r = app.get("/api/v1/hosts" + query);
    assertThat(r.status()).as(query + " " + r).isEqualTo(200);
    List<String> out = new ArrayList<>();
    r.body().get("items").forEach(h -> out.add(h.get("id").asText()));
    return out;
  }
}
