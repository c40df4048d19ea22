package org.rackboot.api.core;

/**
 * How to reach one host's BMC, password in clear: lives only in memory while a BMC call runs.
 * {@link #toString()} leaves the password out, so a stray log line or exception message that
 * prints the record shows no secret.
 */
public record BmcCredentials(String driver, String address, int port, String username,
    String password) {

  /** The IPMI-over-LAN driver (ipmitool, lanplus); the only one so far. */
  public static final String IPMI = "ipmi";

  /** IPMI's RMCP port. */
  public static final int IPMI_PORT = 623;

  @Override
  public String toString() {
    return "BmcCredentials[driver=" + driver + ", address=" + address + ", port=" + port
        + ", username=" + username + ", password=(hidden)]";
  }
}
