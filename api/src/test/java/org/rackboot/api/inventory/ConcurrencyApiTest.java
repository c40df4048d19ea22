package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** Concurrent writers to one host: no update is lost, and If-Match lets exactly one win. */
class ConcurrencyApiTest {

  @ApiTest
  void concurrentPatchesOfDifferentFieldsAreAllKept(RunningApp app) throws Exception {
    String id = Fixtures.host(app, Names.mac()).get("id").asText();
    String path = "/api/v1/hosts/" + id;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Resp>> all = new ArrayList<>();
      int rounds = 10;
      for (int i = 0; i < rounds; i++) {
        int n = i;
        all.add(CompletableFuture.supplyAsync(() -> app.call("PATCH", path, app.adminToken(),
            Map.of("notes", "n" + n)), pool));
        all.add(CompletableFuture.supplyAsync(() -> app.call("PATCH", path, app.adminToken(),
            Map.of("rackPosition", n)), pool));
      }
      for (CompletableFuture<Resp> f : all) {
        assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
      JsonNode h = app.get(path).body();
      // Every write was applied on top of the one before: version counts them all.
      assertThat(h.get("version").asLong()).isEqualTo(1 + 2L * rounds);
      assertThat(app.get(path + "/events?type=host.updated&limit=1000").body().get("items"))
          .hasSize(2 * rounds);
    } finally {
      pool.shutdownNow();
    }
  }

  @ApiTest
  void withIfMatchExactlyOneOfTheRacersWins(RunningApp app) throws Exception {
    String id = Fixtures.host(app, Names.mac()).get("id").asText();
    String path = "/api/v1/hosts/" + id;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<Resp>> all = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int n = i;
        all.add(CompletableFuture.supplyAsync(() -> app.call("PATCH", path, app.adminToken(),
            Map.of("notes", "racer " + n), "If-Match", "\"1\""), pool));
      }
      int ok = 0;
      int stale = 0;
      for (CompletableFuture<Resp> f : all) {
        int s = f.get(60, TimeUnit.SECONDS).status();
        ok += s == 200 ? 1 : 0;
        stale += s == 412 ? 1 : 0;
      }
      assertThat(ok).isEqualTo(1);
      assertThat(stale).isEqualTo(5);
      assertThat(app.get(path).body().get("version").asLong()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }
}
