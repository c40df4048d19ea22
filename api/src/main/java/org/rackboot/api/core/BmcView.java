package org.rackboot.api.core;

import java.time.Instant;

/**
 * A host's BMC settings as the API shows them: everything but the password, of which only its
 * presence is told.
 */
public record BmcView(String driver, String address, int port, String username,
    boolean passwordSet, Instant updatedAt, String updatedBy) {}
