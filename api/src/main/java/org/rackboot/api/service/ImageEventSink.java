package org.rackboot.api.service;

import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.db.DbConventions;
import org.rackboot.api.db.EventDao;
import org.rackboot.images.EventSink;

/** Writes the image store's events (publish, pin, gc, ...) to the audit log. */
public final class ImageEventSink implements EventSink {

  private final Jdbi jdbi;

  public ImageEventSink(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void record(String type, String actor, String subject, String beforeJson, String afterJson) {
    // The store hands over JSON text already; the DAO's ObjectMapper is not needed.
    jdbi.useHandle(h -> new EventDao(h, null).insertJson(DbConventions.now(),
        actor == null ? "anonymous" : actor, type, subject, beforeJson, afterJson));
  }
}
