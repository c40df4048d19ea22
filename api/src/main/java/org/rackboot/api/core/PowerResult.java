package org.rackboot.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer of a power call. GET: {@code state} on, off or unknown, with {@code detail} the
 * BMC's words when it could not be asked. POST: the {@code action} sent, {@code outcome} ok
 * and the BMC's acknowledgement; a failed POST is an error (502/504) instead. After a rebuild
 * with power, {@code outcome} may be failed: the rebuild stays requested.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PowerResult(String action, String state, String outcome, String detail) {

  public static PowerResult state(PowerState s, String detail) {
    return new PowerResult(null, s.wire(), null, detail);
  }
}
