package org.rackboot.images;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.Instant;
import java.util.List;

/** A published image version; never changes once published. */
public record Manifest(
    String name,
    String version,
    String os,
    String arch,
    String bootArgs,
    String notes,
    String createdBy,
    @JsonFormat(shape = JsonFormat.Shape.STRING) Instant createdAt,
    List<Artifact> artifacts) {

  public String ref() {
    return name + "/" + version;
  }
}
