package org.rackboot.api.core;

import java.time.Instant;

/** An environment such as dev, staging or prod: the unit tokens are scoped to. */
public record EnvironmentInfo(String name, String description, Instant createdAt) {}
