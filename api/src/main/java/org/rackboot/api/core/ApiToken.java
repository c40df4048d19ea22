package org.rackboot.api.core;

import java.time.Instant;
import java.util.List;

/**
 * A bearer token as listed: never the token itself, nor its hash. {@code expiresAt} is null for
 * a token that does not expire; {@code lastUsedAt} is when it last authenticated a request, to
 * the minute (it is written at most once a minute per token, so that using a token stays a
 * read).
 */
public record ApiToken(
    String id,
    String name,
    String role,
    List<String> environments,
    Instant createdAt,
    String createdBy,
    Instant revokedAt,
    Instant expiresAt,
    Instant lastUsedAt) {}
