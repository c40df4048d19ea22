package org.rackboot.images;

/**
 * Where the image store reports what it changed. The api writes these to its audit events table;
 * the store never knows that table.
 */
@FunctionalInterface
public interface EventSink {

  /** Drops every event: for tools and tests that have no audit log. */
  EventSink NONE = (type, actor, subject, beforeJson, afterJson) -> {};

  /**
   * @param type dotted event type, e.g. {@code image.published}
   * @param actor who made the change
   * @param subject what changed, e.g. {@code image:ubuntu/24.04.1}
   * @param beforeJson state before as JSON, or null
   * @param afterJson state after as JSON, or null
   */
  void record(String type, String actor, String subject, String beforeJson, String afterJson);
}
