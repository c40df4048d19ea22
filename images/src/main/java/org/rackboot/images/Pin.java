package org.rackboot.images;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Instant;

/** The image version a role runs in one environment. */
public record Pin(
    String role,
    String environment,
    String image,
    String version,
    String pinnedBy,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Instant pinnedAt) {}
