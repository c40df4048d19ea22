package org.rackboot.dhcp.pxe;

/** Why a well-formed request got no answer; each has its own counter. */
public enum IgnoreReason {
  /** Option 60 does not start with PXEClient or HTTPClient: someone else's client. */
  NOT_PXE("not-pxe"),
  /** A message type a proxy does not answer on this port (RELEASE, DECLINE, ...). */
  MESSAGE_TYPE("message-type"),
  /** A REQUEST naming another server in option 54: the client is talking to the site server. */
  OTHER_SERVER("other-server"),
  /** From a network or relay that this server is not configured for. */
  NETWORK_NOT_SERVED("network-not-served"),
  /** The client's MAC exceeded its request rate. */
  RATE_LIMITED("rate-limited"),
  /** The boot policy answered "ignore". */
  POLICY("policy"),
  /** The boot policy threw. */
  POLICY_ERROR("policy-error");

  private final String metricName;

  IgnoreReason(String metricName) {
    this.metricName = metricName;
  }

  public String metricName() {
    return metricName;
  }
}
