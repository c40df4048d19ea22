package org.rackboot.images;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Instant;

/** A named, versioned, read-only copy of a directory tree (an apt or yum repository, tarballs...). */
public record RepoSnapshot(
    String name,
    String version,
    String notes,
    int fileCount,
    long totalSize,
    String createdBy,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Instant createdAt) {}
