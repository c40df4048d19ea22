package org.rackboot.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code images:} section of rackboot.yml. */
public class ImagesFactory {

  /** Where content-addressed blobs live. */
  @NotEmpty @JsonProperty private String storeDir = "./var/images";

  /** The image-store health check turns red below this much free space. */
  @NotNull @JsonProperty private DataSize minFreeSpace = DataSize.gibibytes(1);

  /** Unreferenced blobs younger than this are kept by garbage collection. */
  @NotNull @JsonProperty private Duration gcGracePeriod = Duration.hours(24);

  /** How often garbage collection runs by itself; 0 turns that off (the API call still works). */
  @NotNull @JsonProperty private Duration gcInterval = Duration.hours(1);

  /** Hash a blob the first time it is served after it changed on disk. */
  @JsonProperty private boolean verifyOnServe = true;

  /** Largest blob handed to TFTP. */
  @NotNull @JsonProperty private DataSize maxTftpSize = DataSize.mebibytes(64);

  @Valid @NotNull @JsonProperty private Promotion promotion = new Promotion();

  /** Environment order for promotion, and which environments take only versions pinned before. */
  public static class Promotion {
    @NotNull @JsonProperty private List<String> order = new ArrayList<>(List.of("dev", "staging", "prod"));
    @NotNull @JsonProperty private List<String> requirePinnedInPrevious = new ArrayList<>(List.of("prod"));

    public List<String> getOrder() {
      return order;
    }

    public List<String> getRequirePinnedInPrevious() {
      return requirePinnedInPrevious;
    }
  }

  public Path getStoreDir() {
    return Path.of(storeDir);
  }

  public DataSize getMinFreeSpace() {
    return minFreeSpace;
  }

  public Duration getGcGracePeriod() {
    return gcGracePeriod;
  }

  public Duration getGcInterval() {
    return gcInterval;
  }

  public boolean isVerifyOnServe() {
    return verifyOnServe;
  }

  public DataSize getMaxTftpSize() {
    return maxTftpSize;
  }

  public Promotion getPromotion() {
    return promotion;
  }
}
