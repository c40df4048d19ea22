package org.rackboot.images;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake event sink that keeps what it is told. */
public final class RecordingEvents implements EventSink {

  public record Event(String type, String actor, String subject, String before, String after) {}

  public final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void record(String type, String actor, String subject, String beforeJson, String afterJson) {
    events.add(new Event(type, actor, subject, beforeJson, afterJson));
  }

  public List<String> types() {
    return events.stream().map(Event::type).toList();
  }
}
