package org.rackboot.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code api:} section of rackboot.yml: the inventory REST API. */
public class ApiFactory {

  /**
   * Shared secret the discovery agent presents (query parameter {@code token}, header
   * {@code X-Rackboot-Discovery-Token} or a bearer token). Empty turns discovery off.
   */
  @JsonProperty private String discoveryToken = "";

  /** Discovery reports accepted per second, across all clients, after the burst. */
  @Min(1) @Max(100000) @JsonProperty private int discoveryRatePerSecond = 20;

  /** Reports accepted at once before the rate applies. */
  @Min(1) @Max(100000) @JsonProperty private int discoveryBurst = 100;

  /** Largest JSON request body the inventory API reads; bigger ones get 413. */
  @NotNull @JsonProperty private DataSize maxBodySize = DataSize.kibibytes(256);

  /** Longest a GET /api/v1/events?wait=N request may wait for new events, in seconds. */
  @Min(0) @Max(300) @JsonProperty private int maxEventWaitSeconds = 60;

  /**
   * How long a verified bearer token is remembered, sparing a database read per request. A
   * revocation takes effect at once on the node that revoked it and within this time on others.
   * 0s turns the cache off.
   */
  @NotNull @JsonProperty private Duration tokenCacheTtl = Duration.seconds(10);

  public Duration getTokenCacheTtl() {
    return tokenCacheTtl;
  }

  public String getDiscoveryToken() {
    return discoveryToken;
  }

  public int getDiscoveryRatePerSecond() {
    return discoveryRatePerSecond;
  }

  public int getDiscoveryBurst() {
    return discoveryBurst;
  }

  public DataSize getMaxBodySize() {
    return maxBodySize;
  }

  public int getMaxEventWaitSeconds() {
    return maxEventWaitSeconds;
  }
}
