package org.rackboot.images;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Locale;

/** What an artifact is for when a host boots or installs. */
// One named schema for the manifest that goes in (a string) and the one that comes out.
@Schema(enumAsRef = true, description = "What an artifact is for; any case is accepted,"
    + " lower case is returned.")
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
