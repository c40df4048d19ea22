package org.rackboot.images;

/** One file of an image: its name within the image, what it is for, and its content. */
public record Artifact(String name, Part part, Sha256 sha256, long size) {}
