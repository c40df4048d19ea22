package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.AppConfig;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** The discovery endpoint's token bucket, on an app configured with a small one. */
@AppConfig({"api.discoveryBurst=20", "api.discoveryRatePerSecond=1"})
class DiscoveryRateLimitApiTest {

  private static Resp report(RunningApp app, Object body) {
    return app.call("POST", "/api/v1/discovery?token=" + RunningApp.DISCOVERY_TOKEN, null, body);
  }

  @ApiTest
  void reportsBeyondTheRateAreRefusedWith429(RunningApp app) {
    // Burst 20, then 1 per second: a quick loop of 60 must hit the limit. Bounded loop.
    int limited = 0;
    for (int i = 0; i < 60 && limited == 0; i++) {
      Resp r = report(app, DiscoveryApiTest.labReport(Names.mac(), "LAB-" + Names.name("r")));
      if (r.status() == 429) {
        limited++;
        assertThat(r.header("Retry-After")).isPresent();
      } else {
        assertThat(r.status()).isIn(200, 201);
      }
    }
    assertThat(limited).isEqualTo(1);
  }
}
