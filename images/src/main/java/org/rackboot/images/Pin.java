package org.rackboot.images;

import java.time.Instant;

/** The image version a role runs in one environment. */
public record Pin(String role, String environment, String image, String version, String pinnedBy, Instant pinnedAt) {}
