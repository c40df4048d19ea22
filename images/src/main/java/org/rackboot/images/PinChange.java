package org.rackboot.images;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Instant;

/** One entry of a pin's history: who moved it, when, from which version (null at first) to which. */
public record PinChange(
    long id,
    String role,
    String environment,
    String action,
    String fromImage,
    String fromVersion,
    String toImage,
    String toVersion,
    String actor,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Instant changedAt) {}
