package org.rackboot.api.power;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.AppConfig;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.IpmiSim;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;
import org.slf4j.LoggerFactory;

/**
 * Power through a real IPMI BMC: OpenIPMI's ipmi_sim on loopback, driven by ipmitool. BMC
 * calls time out after 2 s with one retry, so a silent BMC costs a few seconds, not thirty.
 */
@AppConfig({"bmc.credentialKey=" + PowerApiTest.KEY, "bmc.timeout=2s", "bmc.retries=1"})
class PowerApiTest {

  /** base64 of 32 bytes: a test key only. */
  static final String KEY = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";

  private static IpmiSim sim;
  private static ListAppender<ILoggingEvent> log;

  @BeforeAll
  static void startBmc() throws Exception {
    sim = IpmiSim.start();
    // Everything the server logs while these tests run, to prove no password is in it.
    log = new ListAppender<>();
    log.start();
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME)
        .addAppender(log);
  }

  @AfterAll
  static void stopBmc() {
    if (sim != null) {
      sim.close();
    }
    if (log != null) {
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME)
          .detachAppender(log);
    }
  }

  @FunctionalInterface
  private interface Check {
    boolean ok() throws Exception;
  }

  /** Waits for what the simulated BMC's chassis log must show (a cycle's "on" comes later). */
  private static void awaitLog(Duration max, Check check) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("the BMC's chassis log never showed it: " + sim.controlLog());
      }
      Thread.sleep(100);
    }
  }

  private static Map<String, Object> creds(Object port, String password) {
    Map<String, Object> m = new HashMap<>();
    m.put("driver", "ipmi");
    m.put("address", "127.0.0.1");
    m.put("port", port);
    m.put("username", IpmiSim.USER);
    m.put("password", password);
    return m;
  }

  /** A ready host in a new environment, with BMC credentials of {@code port}. */
  private static String hostWithBmc(RunningApp app, String env, int port, String password) {
    JsonNode role = Fixtures.role(app, env, "bmcimg", "1");
    String id = Fixtures.readyHost(app, env, role.get("name").asText()).get("id").asText();
    Resp put = app.call("PUT", "/api/v1/hosts/" + id + "/bmc", app.adminToken(),
        creds(port, password));
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    return id;
  }

  @ApiTest
  void credentialsAreWriteOnlyAndSealed(RunningApp app) throws Exception {
    String env = Fixtures.environment(app);
    String id = hostWithBmc(app, env, sim.port(), IpmiSim.PASSWORD);

    Resp get = app.get("/api/v1/hosts/" + id + "/bmc");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.body().get("driver").asText()).isEqualTo("ipmi");
    assertThat(get.body().get("port").asInt()).isEqualTo(sim.port());
    assertThat(get.body().get("username").asText()).isEqualTo(IpmiSim.USER);
    assertThat(get.body().get("passwordSet").asBoolean()).isTrue();
    assertThat(get.body().has("password")).isFalse();
    assertThat(get.raw()).doesNotContain(IpmiSim.PASSWORD);

    Resp events = app.get("/api/v1/hosts/" + id + "/events?type=bmc.credentials_set");
    assertThat(events.body().get("items")).hasSize(1);
    assertThat(events.body().get("items").get(0).get("detail").asText())
        .startsWith("bmc credentials set by admin-");
    assertThat(app.get("/api/v1/hosts/" + id + "/events").raw())
        .doesNotContain(IpmiSim.PASSWORD);
    // At rest: ciphertext, not the password.
    String stored = app.jdbi().withHandle(h -> h.createQuery(
        "SELECT password_sealed FROM bmc_credentials WHERE host_id = :h").bind("h", id)
        .mapTo(String.class).one());
    assertThat(stored).startsWith("v1:").doesNotContain(IpmiSim.PASSWORD);

    // A PUT without the password keeps the stored one: power still works.
    Map<String, Object> noPassword = creds(sim.port(), null);
    noPassword.remove("password");
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/bmc", app.adminToken(), noPassword)
        .status()).isEqualTo(200);
    Resp status = app.get("/api/v1/hosts/" + id + "/power");
    assertThat(status.body().get("state").asText()).as(status.toString()).isIn("on", "off");

    assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m != null && m.contains(IpmiSim.PASSWORD));
  }

  @ApiTest
  void powerOnOffCycleReachTheBmc(RunningApp app) throws Exception {
    String env = Fixtures.environment(app);
    String id = hostWithBmc(app, env, sim.port(), IpmiSim.PASSWORD);
    String path = "/api/v1/hosts/" + id + "/power";

    Resp on = app.post(path, Map.of("action", "on"));
    assertThat(on.status()).as(on.toString()).isEqualTo(200);
    assertThat(on.body().get("outcome").asText()).isEqualTo("ok");
    assertThat(sim.powerOn()).isTrue();
    assertThat(app.get(path).body().get("state").asText()).isEqualTo("on");
    // ipmitool itself agrees with what the API says.
    assertThat(sim.ipmitool(IpmiSim.PASSWORD, "chassis", "power", "status").output())
        .contains("Chassis Power is on");

    assertThat(app.post(path, Map.of("action", "off")).status()).isEqualTo(200);
    assertThat(sim.powerOn()).isFalse();
    assertThat(app.get(path).body().get("state").asText()).isEqualTo("off");

    app.post(path, Map.of("action", "on"));
    int before = sim.controlLog().size();
    Resp cycle = app.post(path, Map.of("action", "cycle"));
    assertThat(cycle.status()).as(cycle.toString()).isEqualTo(200);
    // A cycle is off, then on again a moment later.
    awaitLog(Duration.ofSeconds(10), () -> {
      var after = sim.controlLog().subList(before, sim.controlLog().size());
      int off = after.indexOf("set power 0");
      return off >= 0 && after.subList(off, after.size()).contains("set power 1");
    });
    assertThat(app.post(path, Map.of("action", "reset")).status()).isEqualTo(200);
    assertThat(app.post(path, Map.of("action", "soft")).status()).isEqualTo(200);
    assertThat(sim.controlLog()).contains("set reset 1", "set shutdown 1");

    JsonNode ev = app.get("/api/v1/hosts/" + id + "/events?type=bmc.power").body().get("items");
    assertThat(ev).hasSize(6);
    assertThat(ev.get(0).get("after").get("action").asText()).isEqualTo("on");
    assertThat(ev.get(0).get("after").get("outcome").asText()).isEqualTo("ok");

    Resp bad = app.post(path, Map.of("action", "explode"));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.body().get("field").asText()).isEqualTo("action");
  }

  @ApiTest
  void aWrongPasswordIsA502ThatLeavesTheHostAlone(RunningApp app) throws Exception {
    String env = Fixtures.environment(app);
    String id = hostWithBmc(app, env, sim.port(), "not-the-password");
    Resp hostBefore = app.get("/api/v1/hosts/" + id);

    Resp r = app.post("/api/v1/hosts/" + id + "/power", Map.of("action", "on"));
    assertThat(r.status()).as(r.toString()).isEqualTo(502);
    assertThat(r.body().get("field").asText()).isEqualTo("bmc");
    // The BMC's (ipmitool's) own words: the password's HMAC did not match.
    assertThat(r.body().get("message").asText()).contains("RAKP 2 HMAC is invalid")
        .doesNotContain("not-the-password");

    Resp status = app.get("/api/v1/hosts/" + id + "/power");
    assertThat(status.status()).isEqualTo(200);
    assertThat(status.body().get("state").asText()).isEqualTo("unknown");
    assertThat(status.body().get("detail").asText()).contains("HMAC");

    assertThat(app.get("/api/v1/hosts/" + id).raw()).isEqualTo(hostBefore.raw());
    JsonNode ev = app.get("/api/v1/hosts/" + id + "/events?type=bmc.power").body().get("items");
    assertThat(ev.get(0).get("after").get("outcome").asText()).isEqualTo("refused");
    assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m != null && m.contains("not-the-password"));
  }

  @ApiTest
  void aSilentBmcIsA504WithinItsTimeout(RunningApp app) throws Exception {
    String env = Fixtures.environment(app);
    int nobody = IpmiSim.freeUdpPort();
    String id = hostWithBmc(app, env, nobody, "whatever");
    Resp hostBefore = app.get("/api/v1/hosts/" + id);

    long t0 = System.nanoTime();
    Resp r = app.post("/api/v1/hosts/" + id + "/power", Map.of("action", "cycle"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.status()).as(r.toString()).isEqualTo(504);
    assertThat(r.body().get("field").asText()).isEqualTo("bmc");
    assertThat(r.body().get("message").asText()).contains("no answer").contains("2 attempts");
    // Two attempts of at most 2 s each, plus the request's slack.
    assertThat(ms).isLessThan(8_000);
    assertThat(app.get("/api/v1/hosts/" + id).raw()).isEqualTo(hostBefore.raw());
  }

  @ApiTest
  void driversOtherThanIpmiAreRefused(RunningApp app) {
    String id = Fixtures.host(app, org.rackboot.api.testsupport.Names.mac()).get("id").asText();
    Map<String, Object> redfish = creds(623, "pw");
    redfish.put("driver", "redfish");
    Resp r = app.call("PUT", "/api/v1/hosts/" + id + "/bmc", app.adminToken(), redfish);
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.body().get("field").asText()).isEqualTo("driver");
    assertThat(r.body().get("message").asText()).contains("not supported yet");
    Map<String, Object> odd = creds(623, "pw");
    odd.put("driver", "telnet");
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/bmc", app.adminToken(), odd)
        .body().get("field").asText()).isEqualTo("driver");
    Map<String, Object> port = creds(70000, "pw");
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/bmc", app.adminToken(), port)
        .body().get("field").asText()).isEqualTo("port");
    Map<String, Object> addr = creds(623, "pw");
    addr.put("address", "$(reboot)");
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/bmc", app.adminToken(), addr)
        .body().get("field").asText()).isEqualTo("address");
    // Nothing was stored.
    Resp get = app.get("/api/v1/hosts/" + id + "/bmc");
    assertThat(get.status()).isEqualTo(404);
    assertThat(app.get("/api/v1/hosts/" + id + "/events?type=bmc.credentials_set").body()
        .get("items")).isEmpty();
  }

  @ApiTest
  void powerFollowsTheRebuildScopes(RunningApp app) throws Exception {
    String env = Fixtures.environment(app);
    String other = Fixtures.environment(app);
    String id = hostWithBmc(app, env, sim.port(), IpmiSim.PASSWORD);
    String path = "/api/v1/hosts/" + id + "/power";
    Map<String, String> on = Map.of("action", "on");

    String viewer = app.token("viewer", env);
    assertThat(app.get(path, viewer).status()).isEqualTo(200);
    assertThat(app.call("POST", path, viewer, on).status()).isEqualTo(403);
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/bmc", viewer, creds(623, "x"))
        .status()).isEqualTo(403);

    String elsewhere = app.token("operator", other);
    Resp r = app.call("POST", path, elsewhere, on);
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body().get("field").asText()).isEqualTo("environment");
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/bmc", elsewhere, creds(623, "x"))
        .status()).isEqualTo(403);
    assertThat(app.call("GET", "/api/v1/hosts/" + id + "/bmc", elsewhere, null).status())
        .isEqualTo(403);

    // Who may rebuild here may power here; automation may not set credentials.
    assertThat(app.call("POST", path, app.token("automation", env), on).status()).isEqualTo(200);
    assertThat(app.call("POST", path, app.token("operator", env), on).status()).isEqualTo(200);
    assertThat(app.call("PUT", "/api/v1/hosts/" + id + "/bmc", app.token("automation", env),
        creds(sim.port(), "x")).status()).isEqualTo(403);
    Resp byOperator = app.call("PUT", "/api/v1/hosts/" + id + "/bmc", app.token("operator", env),
        creds(sim.port(), IpmiSim.PASSWORD));
    assertThat(byOperator.status()).as(byOperator.toString()).isEqualTo(200);
  }

  @ApiTest
  void aRebuildWithPowerBootsFromTheNetworkOnce(RunningApp app) throws Exception {
    String env = Fixtures.environment(app);
    String id = hostWithBmc(app, env, sim.port(), IpmiSim.PASSWORD);
    app.post("/api/v1/hosts/" + id + "/power", Map.of("action", "on"));
    int before = sim.controlLog().size();

    Resp r = app.post("/api/v1/hosts/" + id + "/rebuild", Map.of("power", "cycle"));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.body().get("state").asText()).isEqualTo("provisioning");
    assertThat(r.body().get("power").get("outcome").asText()).isEqualTo("ok");
    awaitLog(Duration.ofSeconds(10), () -> {
      var after = sim.controlLog().subList(before, sim.controlLog().size());
      int boot = after.indexOf("set boot pxe");
      int off = after.indexOf("set power 0");
      return boot >= 0 && off > boot && after.subList(off, after.size()).contains("set power 1");
    });
    assertThat(sim.ipmitool(IpmiSim.PASSWORD, "chassis", "bootparam", "get", "5").output())
        .contains("Force PXE");
    JsonNode ev = app.get("/api/v1/hosts/" + id + "/events?type=bmc.power").body().get("items");
    assertThat(ev.get(ev.size() - 1).get("detail").asText()).contains("next boot: network once");

    // A UEFI host (its agent reported firmware: uefi) gets the EFI boot flag as well.
    JsonNode uefiRole = Fixtures.role(app, env, "bmcimg", "1");
    String uefi = Fixtures.readyHost(app, env, uefiRole.get("name").asText()).get("id").asText();
    app.jdbi().useHandle(h -> h.createUpdate("INSERT INTO hardware_facts (host_id, reported_at,"
        + " facts_json) VALUES (:h, :t, :f)").bind("h", uefi)
        .bind("t", java.time.LocalDateTime.now(java.time.ZoneOffset.UTC))
        .bind("f", "{\"firmware\":\"uefi\"}").execute());
    app.call("PUT", "/api/v1/hosts/" + uefi + "/bmc", app.adminToken(),
        creds(sim.port(), IpmiSim.PASSWORD));
    Resp efi = app.post("/api/v1/hosts/" + uefi + "/rebuild", Map.of("power", "cycle"));
    assertThat(efi.status()).as(efi.toString()).isEqualTo(200);
    assertThat(efi.body().get("power").get("detail").asText())
        .contains("next boot: network once (UEFI)");

    // Without credentials: 409 naming power, and the rebuild is not started.
    JsonNode role = Fixtures.role(app, env, "bmcimg", "1");
    String bare = Fixtures.readyHost(app, env, role.get("name").asText()).get("id").asText();
    Resp refused = app.post("/api/v1/hosts/" + bare + "/rebuild", Map.of("power", "cycle"));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("field").asText()).isEqualTo("power");
    assertThat(app.get("/api/v1/hosts/" + bare).body().get("state").asText()).isEqualTo("ready");
    Resp odd = app.post("/api/v1/hosts/" + bare + "/rebuild", Map.of("power", "off"));
    assertThat(odd.status()).isEqualTo(422);
    assertThat(odd.body().get("field").asText()).isEqualTo("power");

    // The BMC fails after the rebuild was written: said in the answer, the rebuild stays.
    String silent = hostWithBmc(app, env, IpmiSim.freeUdpPort(), "pw");
    Resp late = app.post("/api/v1/hosts/" + silent + "/rebuild", Map.of("power", "cycle"));
    assertThat(late.status()).as(late.toString()).isEqualTo(200);
    assertThat(late.body().get("state").asText()).isEqualTo("provisioning");
    assertThat(late.body().get("power").get("outcome").asText()).isEqualTo("unreachable");
  }

  /** Slow BMCs hold BMC threads, not the API: other requests are answered meanwhile. */
  @ApiTest
  void manySilentBmcsDoNotBlockTheApi(RunningApp app) throws Exception {
    String env = Fixtures.environment(app);
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(hostWithBmc(app, env, IpmiSim.freeUdpPort(), "pw"));
    }
    var pool = java.util.concurrent.Executors.newFixedThreadPool(ids.size());
    try {
      var calls = new java.util.ArrayList<java.util.concurrent.Future<Resp>>();
      for (String id : ids) {
        calls.add(pool.submit(() ->
            app.post("/api/v1/hosts/" + id + "/power", Map.of("action", "on"))));
      }
      Thread.sleep(500);
      // While eight BMC calls wait out their timeouts, reads are answered at once.
      for (int i = 0; i < 5; i++) {
        long t0 = System.nanoTime();
        assertThat(app.get("/api/v1/hosts/" + ids.get(0)).status()).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
      }
      for (var f : calls) {
        assertThat(f.get(30, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(504);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
