package org.rackboot.images;

/** One file of a repository snapshot. */
public record RepoFile(String path, Sha256 sha256, long size) {}
