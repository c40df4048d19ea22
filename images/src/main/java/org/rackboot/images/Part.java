package org.rackboot.images;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an artifact is for when a host boots or installs. */
public enum Part {
  KERNEL,
  INITRD,
  ROOTFS,
  DISK,
  OTHER;

  /** Parses "kernel", "initrd", "rootfs", "disk", "other" in any case; refuses the rest. */
  @JsonCreator
  public static Part of(String s) {
    if (s != null) {
      for (Part p : values()) {
        if (p.name().equalsIgnoreCase(s.trim())) {
          return p;
        }
      }
    }
    throw ImageStoreException.invalid("part",
        "expected one of kernel, initrd, rootfs, disk, other, got '" + Names.shorten(s) + "'");
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
