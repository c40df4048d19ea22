package org.rackboot.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** The {@code tftp:} section of rackboot.yml. */
public class TftpFactory {

  @JsonProperty private boolean enabled = true;

  @NotEmpty @JsonProperty private String bindAddress = "0.0.0.0";

  @Min(0) @Max(65535) @JsonProperty private int port = 69;

  /** Directory of static boot files (iPXE binaries and the like). */
  @NotEmpty @JsonProperty private String root = "./var/tftp";

  public boolean isEnabled() {
    return enabled;
  }

  public String getBindAddress() {
    return bindAddress;
  }

  public int getPort() {
    return port;
  }

  public Path getRoot() {
    return Path.of(root);
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(bindAddress, port);
  }
}
