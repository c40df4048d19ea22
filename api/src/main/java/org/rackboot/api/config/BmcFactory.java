package org.rackboot.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code bmc:} section of rackboot.yml: power control through hosts' BMCs. */
public class BmcFactory {

  /**
   * Base64 of 32 random bytes: the AES-256-GCM key BMC passwords are sealed with in the
   * database. Empty (or null: an unset RACKBOOT_BMC_KEY in the file's default): no BMC
   * credentials can be stored (PUT /bmc answers 409 saying so).
   */
  @JsonProperty private String credentialKey = "";

  /** The ipmitool executable. */
  @NotNull @JsonProperty private String ipmitool = "ipmitool";

  /** Longest one BMC call may take before it counts as unanswered. */
  @NotNull @JsonProperty private Duration timeout = Duration.seconds(10);

  /** Further attempts after a call nobody answered (a refusal is never retried). */
  @Min(0) @Max(5) @JsonProperty private int retries = 2;

  /** BMC calls running at once; more wait in a queue of {@link #queueSize}. */
  @Min(1) @Max(1024) @JsonProperty private int maxConcurrentCalls = 32;

  /** Calls that may wait for a free slot; beyond that the API answers 503. */
  @Min(1) @Max(100000) @JsonProperty private int queueSize = 1000;

  public String getCredentialKey() {
    return credentialKey == null ? "" : credentialKey;
  }

  public String getIpmitool() {
    return ipmitool;
  }

  public Duration getTimeout() {
    return timeout;
  }

  public int getRetries() {
    return retries;
  }

  public int getMaxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  public int getQueueSize() {
    return queueSize;
  }
}
