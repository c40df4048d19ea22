package org.rackboot.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.net.InetSocketAddress;

/** The {@code dhcpProxy:} section of rackboot.yml. */
public class DhcpProxyFactory {

  @JsonProperty private boolean enabled = true;

  /**
   * Must stay 0.0.0.0 for real PXE clients: a socket bound to a unicast address never receives
   * the broadcast DISCOVER of a client that has no address yet.
   */
  @NotEmpty @JsonProperty private String bindAddress = "0.0.0.0";

  @Min(0) @Max(65535) @JsonProperty private int port = 67;

  /** The PXE boot-server (BINL) port that EDK2 asks after a proxy offer. */
  @Min(0) @Max(65535) @JsonProperty private int bootServerPort = 4011;

  public boolean isEnabled() {
    return enabled;
  }

  public String getBindAddress() {
    return bindAddress;
  }

  public int getPort() {
    return port;
  }

  public int getBootServerPort() {
    return bootServerPort;
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(bindAddress, port);
  }
}
