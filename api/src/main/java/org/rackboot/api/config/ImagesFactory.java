package org.rackboot.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;

/** The {@code images:} section of rackboot.yml. */
public class ImagesFactory {

  /** Where content-addressed blobs live. */
  @NotEmpty @JsonProperty private String storeDir = "./var/images";

  /** The image-store health check turns red below this much free space. */
  @NotNull @JsonProperty private DataSize minFreeSpace = DataSize.gibibytes(1);

  public Path getStoreDir() {
    return Path.of(storeDir);
  }

  public DataSize getMinFreeSpace() {
    return minFreeSpace;
  }
}
