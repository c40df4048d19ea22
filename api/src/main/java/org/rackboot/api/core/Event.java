package org.rackboot.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One audit or boot event: who did what to which host, with the state before and after. */
public record Event(
    long id,
    Instant occurredAt,
    String actor,
    String type,
    String hostId,
    String subject,
    JsonNode before,
    JsonNode after,
    String detail) {}
