package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** POST /api/v1/discovery with the lab agent's report shape. */
class DiscoveryApiTest {

  /** The report the lab agent (shared/lab/agent/init) posts, for one MAC and serial. */
  static Map<String, Object> labReport(String mac, String serial) {
    String uuid = "4c414230-0000-4000-8000-" + mac.replace(":", "");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("agent", "rackboot-lab-agent/1");
    r.put("firmware", "uefi");
    r.put("kernel", "6.1.0-56-amd64");
    r.put("uptime_s", "9.08");
    r.put("cmdline", "initrd=initrd.img console=ttyS0,115200");
    r.put("macs", List.of(mac));
    r.put("interfaces", List.of(Map.of("name", "eth0", "mac", mac, "driver", "virtio_net",
        "ipv4", "10.77.0.164/24", "carrier", "1")));
    r.put("cpu", Map.of("count", 2, "model", "QEMU Virtual CPU version 2.5+"));
    r.put("memory", new LinkedHashMap<>(Map.of("total_kb", 719324)));
    r.put("disks", List.of(Map.of("name", "vda", "size_bytes", 4294967296L, "rotational", "1",
        "model", "", "serial", "LABDISK-1")));
    Map<String, Object> dmi = new LinkedHashMap<>();
    dmi.put("sys_vendor", "Rackboot Lab");
    dmi.put("product_name", "PXE Lab VM");
    dmi.put("product_serial", serial);
    dmi.put("product_uuid", uuid);
    dmi.put("chassis_serial", serial + "-CH");
    dmi.put("bios_vendor", "EFI Development Kit II / OVMF");
    r.put("dmi", dmi);
    return r;
  }

  private static Resp report(RunningApp app, Object body) {
    return app.call("POST", "/api/v1/discovery?token=" + RunningApp.DISCOVERY_TOKEN, null, body);
  }

  @ApiTest
  void unknownMachineBecomesDiscoveredHostAndKnownOneIsUpdated(RunningApp app) {
    String mac = Names.mac();
    String serial = "LAB-" + Names.name("s");
    Resp r = report(app, labReport(mac, serial));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    JsonNode h = r.body();
    assertThat(h.get("state").asText()).isEqualTo("discovered");
    assertThat(h.get("serial").asText()).isEqualTo(serial);
    assertThat(h.get("vendor").asText()).isEqualTo("Rackboot Lab");
    assertThat(h.get("model").asText()).isEqualTo("PXE Lab VM");
    assertThat(h.get("systemUuid").asText()).endsWith(mac.replace(":", ""));
    assertThat(h.get("nics").get(0).get("mac").asText()).isEqualTo(mac);
    assertThat(h.get("nics").get(0).get("boot").asBoolean()).isTrue();
    assertThat(h.get("nics").get(0).get("name").asText()).isEqualTo("eth0");

    // Same machine, MAC reported in upper case with dashes: matched, not duplicated.
    Map<String, Object> again = labReport(mac, serial);
    again.put("macs", List.of(mac.toUpperCase().replace(':', '-')));
    again.remove("interfaces");
    Resp r2 = report(app, again);
    assertThat(r2.status()).as(r2.toString()).isEqualTo(200);
    assertThat(r2.body().get("id")).isEqualTo(h.get("id"));

    // A new NIC, matched by the serial alone: joins the host.
    String mac2 = Names.mac();
    Map<String, Object> bySerial = labReport(mac2, serial);
    ((Map<String, Object>) bySerial.get("dmi")).remove("product_uuid");
    Resp r3 = report(app, bySerial);
    assertThat(r3.status()).isEqualTo(200);
    assertThat(r3.body().get("id")).isEqualTo(h.get("id"));
    assertThat(r3.body().get("nics")).hasSize(2);

    // Matched by SMBIOS UUID alone.
    Map<String, Object> byUuid = labReport(Names.mac(), "To Be Filled By O.E.M.");
    ((Map<String, Object>) byUuid.get("dmi")).put("product_uuid",
        h.get("systemUuid").asText().toUpperCase());
    Resp r4 = report(app, byUuid);
    assertThat(r4.status()).as(r4.toString()).isEqualTo(200);
    assertThat(r4.body().get("id")).isEqualTo(h.get("id"));
    assertThat(r4.body().get("serial").asText()).isEqualTo(serial); // junk serial ignored

    Resp events = app.get("/api/v1/hosts/" + h.get("id").asText() + "/events");
    assertThat(events.status()).as(events.toString()).isEqualTo(200);
    assertThat(events.body().get("items").findValuesAsText("type"))
        .containsExactly("host.discovered", "host.facts_reported", "host.facts_reported",
            "host.facts_reported");
    assertThat(events.body().get("items").get(0).get("actor").asText()).isEqualTo("discovery");
  }

  /**
   * Only discovered and ready hosts run the agent: a report matching any other host (here a
   * retired one) is refused and changes nothing of it, not its BMC address, not its NICs.
   */
  @ApiTest
  void reportsAboutHostsOutsideDiscoveryAreRefused(RunningApp app) {
    String mac = Names.mac();
    String serial = "LAB-" + Names.name("r");
    Resp created = report(app, labReport(mac, serial));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(app.call("POST", "/api/v1/hosts/" + id + "/retire", app.adminToken(), null)
        .status()).isEqualTo(200);
    String before = Fixtures.snapshot(app);

    Map<String, Object> forged = labReport(Names.mac(), serial);
    forged.put("bmc_address", "10.6.6.6");
    Resp refused = report(app, forged);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(refused.body().get("field").asText()).isEqualTo("macs");
    assertThat(refused.body().get("message").asText()).contains(id).contains("retired");
    // Nothing changed but the record of the refused attempt.
    assertThat(withoutRefusals(Fixtures.snapshot(app))).isEqualTo(before);
    assertThat(app.get("/api/v1/hosts/" + id + "/events?type=discovery.refused").body()
        .get("items")).hasSize(1);
  }

  /** A database snapshot without the events that record refused discovery reports. */
  static String withoutRefusals(String snapshot) {
    return snapshot.lines().filter(l -> !l.contains("discovery.refused"))
        .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
  }

  @ApiTest
  void discoveryTokenIsRequiredInAnyOfItsThreePlaces(RunningApp app) {
    String before = Fixtures.snapshot(app);
    Map<String, Object> body = labReport(Names.mac(), "LAB-" + Names.name("t"));
    Resp none = app.call("POST", "/api/v1/discovery", null, body);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body().get("field").asText()).isEqualTo("token");
    assertThat(app.call("POST", "/api/v1/discovery?token=wrong", null, body).status())
        .isEqualTo(401);
    // An admin bearer token is not the discovery token.
    assertThat(app.call("POST", "/api/v1/discovery", app.adminToken(), body).status())
        .isEqualTo(401);
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);
    assertThat(app.call("POST", "/api/v1/discovery", null, body,
        "X-Rackboot-Discovery-Token", RunningApp.DISCOVERY_TOKEN).status()).isEqualTo(201);
    assertThat(app.call("POST", "/api/v1/discovery", RunningApp.DISCOVERY_TOKEN, body).status())
        .isEqualTo(200);
  }

  @ApiTest
  void badReportsAreRefusedWithNothingStored(RunningApp app) {
    String before = Fixtures.snapshot(app);
    Map<String, Object> badMac = labReport(Names.mac(), "LAB-x");
    badMac.put("macs", List.of("52:54:00:zz:11:98"));
    Resp r = report(app, badMac);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body().get("field").asText()).isEqualTo("macs[0]");
    Map<String, Object> noMac = labReport(Names.mac(), "LAB-y");
    noMac.remove("macs");
    noMac.remove("interfaces");
    assertThat(report(app, noMac).body().get("field").asText()).isEqualTo("macs");
    assertThat(report(app, "{\"macs\": [").status()).isEqualTo(400);
    assertThat(report(app, "[1,2]").status()).isEqualTo(422);
    assertThat(Fixtures.snapshot(app)).isEqualTo(before);
  }
}
