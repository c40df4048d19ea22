package org.rackboot.api.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Hardware facts: every report kept; the newest per host is the current set. */
public final class FactsDao {

  /** One stored report. */
  @Schema(name = "FactsReport")
  public record Report(long id, Instant reportedAt, JsonNode facts) {}

  private final Handle h;
  private final ObjectMapper json;

  public FactsDao(Handle h, ObjectMapper json) {
    this.h = h;
    this.json = json;
  }

  public void insert(String hostId, Instant at, JsonNode facts) {
    try {
      h.createUpdate("INSERT INTO hardware_facts (host_id, reported_at, facts_json)"
              + " VALUES (:h, :t, :f)")
          .bind("h", hostId).bind("t", DbConventions.ts(at)).bind("f", json.writeValueAsString(facts))
          .execute();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public Optional<Report> current(String hostId) {
    return history(hostId, 1).stream().findFirst();
  }

  /** Newest first. */
  public List<Report> history(String hostId, int limit) {
    return h.createQuery("SELECT * FROM hardware_facts WHERE host_id = :h ORDER BY id DESC"
            + " LIMIT :l")
        .bind("h", hostId).bind("l", limit)
        .map((rs, ctx) -> {
          try {
            return new Report(rs.getLong("id"), DbConventions.instant(rs, "reported_at"),
                json.readTree(rs.getString("facts_json")));
          } catch (JsonProcessingException e) {
            throw new java.sql.SQLException("hardware_facts.facts_json is not JSON", e);
          }
        })
        .list();
  }
}
