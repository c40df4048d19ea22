package org.rackboot.api.images;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.images.EventSink;

/** Writes image-store events to the api's audit {@code events} table (V1__events.sql). */
public final class JdbiEventSink implements EventSink {

  private final Jdbi jdbi;

  public JdbiEventSink(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void record(String type, String actor, String subject, String beforeJson, String afterJson) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO events (occurred_at, actor, type, subject, before_json,"
            + " after_json) VALUES (:at, :actor, :type, :subject, :before, :after)")
        .bind("at", LocalDateTime.now(ZoneOffset.UTC))
        .bind("actor", actor == null ? "anonymous" : actor)
        .bind("type", type)
        .bind("subject", subject)
        .bind("before", beforeJson)
        .bind("after", afterJson)
        .execute());
  }
}
