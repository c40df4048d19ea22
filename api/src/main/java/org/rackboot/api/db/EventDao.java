package org.rackboot.api.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.rackboot.api.core.Event;

/** The events table (V1): audit and boot events, newest last by id. */
public final class EventDao {

  private final Handle h;
  private final ObjectMapper json;

  public EventDao(Handle h, ObjectMapper json) {
    this.h = h;
    this.json = json;
  }

  /** One row for {@link #insertAll}: an event without before/detail (boot events). */
  public record NewEvent(Instant at, String actor, String type, String hostId, String subject,
      Object after) {}

  /**
   * Inserts many events with one prepared statement (a JDBC batch), in list order; for writers
   * of many small events that need no ids back.
   */
  public void insertAll(List<NewEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    var batch = h.prepareBatch("INSERT INTO events (occurred_at, actor, type, host_id, subject,"
        + " before_json, after_json, detail) VALUES (:at, :actor, :type, :host, :subject,"
        + " NULL, :after, NULL)");
    for (NewEvent e : events) {
      batch.bind("at", DbConventions.ts(e.at())).bind("actor", e.actor()).bind("type", e.type())
          .bind("host", e.hostId()).bind("subject", e.subject()).bind("after", text(e.after()))
          .add();
    }
    batch.execute();
  }

  /** An event whose before and after are already JSON text (the image store's events). */
  public void insertJson(Instant at, String actor, String type, String subject, String beforeJson,
      String afterJson) {
    h.createUpdate("INSERT INTO events (occurred_at, actor, type, subject, before_json,"
            + " after_json) VALUES (:at, :actor, :type, :subject, :before, :after)")
        .bind("at", DbConventions.ts(at)).bind("actor", actor).bind("type", type)
        .bind("subject", subject).bind("before", beforeJson).bind("after", afterJson)
        .execute();
  }

  /**
   * Narrowing of an event listing; null fields do not narrow. {@code withTokenEvents} false
   * leaves out {@code token.*} events: they list the token inventory (names, roles, scopes,
   * who made them), which only admins may read.
   */
  public record Filter(String type, String hostId, Instant from, Instant to,
      boolean withTokenEvents) {
    public Filter(String type, String hostId, Instant from, Instant to) {
      this(type, hostId, from, to, true);
    }
  }

  /** The prefix of every event about API tokens. */
  public static final String TOKEN_EVENTS = "token.";

  public long insert(Instant at, String actor, String type, String hostId, String subject,
      Object before, Object after, String detail) {
    return h.createUpdate("INSERT INTO events (occurred_at, actor, type, host_id, subject,"
            + " before_json, after_json, detail) VALUES (:at, :actor, :type, :host, :subject,"
            + " :before, :after, :detail)")
        .bind("at", DbConventions.ts(at)).bind("actor", actor).bind("type", type).bind("host", hostId)
        .bind("subject", subject).bind("before", text(before)).bind("after", text(after))
        .bind("detail", detail)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
  }

  /**
   * Events with id above {@code since}, oldest first. {@code scope} null is everything;
   * otherwise only events about hosts that are now in one of those environments.
   */
  public List<Event> list(Filter f, Set<String> scope, long since, int limit) {
    StringBuilder sql = new StringBuilder("SELECT e.* FROM events e WHERE e.id > :since");
    Map<String, Object> binds = new LinkedHashMap<>();
    binds.put("since", since);
    if (f.type() != null) {
      sql.append(" AND e.type = :type");
      binds.put("type", f.type());
    }
    if (!f.withTokenEvents()) {
      // Not LIKE: '_' and '%' would be patterns there; a prefix compare is exact on both
      // databases (type is ASCII, written by Rackboot itself).
      sql.append(" AND SUBSTRING(e.type, 1, :tplen) <> :tp");
      binds.put("tplen", TOKEN_EVENTS.length());
      binds.put("tp", TOKEN_EVENTS);
    }
    if (f.hostId() != null) {
      sql.append(" AND e.host_id = :host");
      binds.put("host", f.hostId());
    }
    if (f.from() != null) {
      sql.append(" AND e.occurred_at >= :from");
      binds.put("from", DbConventions.ts(f.from()));
    }
    if (f.to() != null) {
      sql.append(" AND e.occurred_at < :to");
      binds.put("to", DbConventions.ts(f.to()));
    }
    if (scope != null) {
      if (scope.isEmpty()) {
        return List.of();
      }
      sql.append(" AND e.host_id IN (SELECT x.id FROM hosts x WHERE x.environment IN (<scope>))");
    }
    sql.append(" ORDER BY e.id LIMIT :limit");
    binds.put("limit", limit);
    var q = h.createQuery(sql.toString()).bindMap(binds);
    if (scope != null) {
      q.bindList("scope", List.copyOf(scope));
    }
    return q.map(this::event).list();
  }

  public long lastId() {
    return h.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one();
  }

  public long count() {
    return h.createQuery("SELECT COUNT(*) FROM events").mapTo(Long.class).one();
  }

  private String text(Object o) {
    if (o == null) {
      return null;
    }
    try {
      return json.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render event body", e);
    }
  }

  private Event event(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws SQLException {
    return new Event(rs.getLong("id"), DbConventions.instant(rs, "occurred_at"), rs.getString("actor"),
        rs.getString("type"), rs.getString("host_id"), rs.getString("subject"),
        tree(rs.getString("before_json")), tree(rs.getString("after_json")),
        rs.getString("detail"));
  }

  private JsonNode tree(String s) throws SQLException {
    try {
      return s == null ? null : json.readTree(s);
    } catch (JsonProcessingException e) {
      throw new SQLException("event JSON column is not JSON", e);
    }
  }
}
