package org.rackboot.images;

import java.time.Instant;

/** A named, versioned, read-only copy of a directory tree (an apt or yum repository, tarballs...). */
public record RepoSnapshot(
    String name, String version, String notes, int fileCount, long totalSize, String createdBy, Instant createdAt) {}
