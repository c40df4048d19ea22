package org.rackboot.api.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rackboot.api.testsupport.ApiTest;
import org.rackboot.api.testsupport.Fixtures;
import org.rackboot.api.testsupport.Names;
import org.rackboot.api.testsupport.RunningApp;
import org.rackboot.api.testsupport.RunningApp.Resp;

/** GET /api/v1/events: filters, the since cursor and long-polling. */
class EventsApiTest {

  @ApiTest
  void filtersByTypeAndTimeAndPagesBySince(RunningApp app) throws Exception {
    Instant start = Instant.now().minusSeconds(1);
    JsonNode h = Fixtures.host(app, Names.mac());
    String id = h.get("id").asText();
    app.call("PATCH", "/api/v1/hosts/" + id, app.adminToken(), Map.of("notes", "a"));
    app.call("PATCH", "/api/v1/hosts/" + id, app.adminToken(), Map.of("notes", "b"));

    Resp updates = app.get("/api/v1/hosts/" + id + "/events?type=host.updated");
    assertThat(updates.body().get("items")).hasSize(2);
    assertThat(updates.body().get("items").get(1).get("before").get("notes").asText())
        .isEqualTo("a");
    assertThat(updates.body().get("items").get(1).get("after").get("notes").asText())
        .isEqualTo("b");

    Resp all = app.get("/api/v1/events?from=" + start + "&type=host.created");
    assertThat(all.body().get("items").findValuesAsText("hostId")).contains(id);
    Resp future = app.get("/api/v1/events?from=" + Instant.now().plusSeconds(3600));
    assertThat(future.body().get("items")).isEmpty();
    Resp past = app.get("/api/v1/events?to=" + start);
    assertThat(past.body().get("items").findValuesAsText("hostId")).doesNotContain(id);

    // Page through this host's events one at a time with since=next.
    long since = 0;
    int count = 0;
    for (int i = 0; i < 10; i++) {
      Resp p = app.get("/api/v1/hosts/" + id + "/events?limit=1&since=" + since);
      if (p.body().get("items").isEmpty()) {
        break;
      }
      assertThat(p.body().get("items").get(0).get("id").asLong()).isGreaterThan(since);
      since = p.body().get("next").asLong();
      count++;
    }
    assertThat(count).isEqualTo(3);
  }

  @ApiTest
  void longPollReturnsWhenANewEventArrives(RunningApp app) throws Exception {
    long latest = app.get("/api/v1/events?since=latest").body().get("next").asLong();
    // Nothing new: returns empty after the wait, with the same cursor.
    Resp empty = app.get("/api/v1/events?since=" + latest + "&wait=1&type=no.such.type");
    assertThat(empty.body().get("items")).isEmpty();
    assertThat(empty.body().get("next").asLong()).isEqualTo(latest);

    CompletableFuture<Resp> poll = CompletableFuture.supplyAsync(
        () -> app.get("/api/v1/events?since=" + latest + "&wait=30&type=host.created"));
    Thread.sleep(300);
    assertThat(poll).isNotDone();
    JsonNode h = Fixtures.host(app, Names.mac());
    Resp got = poll.get(20, TimeUnit.SECONDS);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body().get("items").findValuesAsText("hostId")).contains(h.get("id").asText());
    assertThat(got.body().get("next").asLong()).isGreaterThan(latest);
  }
}
