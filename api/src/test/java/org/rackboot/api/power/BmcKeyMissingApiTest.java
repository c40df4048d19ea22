package org.rackboot.api.power;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.AppConfig;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** With no bmc.credentialKey, BMC passwords are never stored, not even in clear. */
@AppConfig({"bmc.credentialKey="})
class BmcKeyMissingApiTest {

  @ApiTest
  void credentialsNeedAKey(RunningApp app) {
    String id = Fixtures.host(app, Names.mac()).get("id").asText();
    Resp r = app.call("PUT", "/api/v1/hosts/" + id + "/bmc", app.adminToken(), Map.of(
        "driver", "ipmi", "address", "127.0.0.1", "username", "u", "password", "p"));
    assertThat(r.status()).as(r.toString()).isEqualTo(409);
    assertThat(r.body().get("field").asText()).isEqualTo("bmc.credentialKey");
    assertThat(r.body().get("message").asText()).contains("RACKBOOT_BMC_KEY");
    int rows = app.jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM bmc_credentials").mapTo(Integer.class).one());
    assertThat(rows).isZero();
  }
}
