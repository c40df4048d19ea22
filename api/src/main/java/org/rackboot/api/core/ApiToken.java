package org.rackboot.api.core;

import java.time.Instant;
import java.util.List;

/** A bearer token as listed: never the token itself, nor its hash. */
public record ApiToken(
    String id,
    String name,
    String role,
    List<String> environments,
    Instant createdAt,
    String createdBy,
    Instant revokedAt) {}
