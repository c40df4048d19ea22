package org.rackboot.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A role in one environment: the image its hosts run and how they are installed. */
public record Role(
    String id,
    String environment,
    String name,
    String imageName,
    String imageVersion,
    String kernelArgs,
    String installTemplate,
    JsonNode variables,
    long version,
    Instant createdAt,
    Instant updatedAt) {}
