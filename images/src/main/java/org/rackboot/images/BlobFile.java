package org.rackboot.images;

import java.nio.file.Path;

/** A stored blob: where its bytes are on disk and how many there are. */
public record BlobFile(Sha256 sha256, Path path, long size) {}
