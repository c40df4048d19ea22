package org.rackboot.api.core;

/** An image name and version, as the image store spells them. */
public record ImageRef(String name, String version) {

  /** The ref, or null when either part is missing (a role without an image). */
  public static ImageRef ofNullable(String name, String version) {
    return name == null || version == null ? null : new ImageRef(name, version);
  }

  @Override
  public String toString() {
    return name + ":" + version;
  }
}
