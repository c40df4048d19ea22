package org.rackboot.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.List;

/** The {@code boot:} section of rackboot.yml: how booting hosts are told what to do. */
public class BootFactory {

  /**
   * Base URL booting hosts reach this server's HTTP port at (for example
   * http://10.77.0.1:8080). Empty: taken from each request's Host header, which is right
   * whenever hosts reach the server directly.
   */
  @NotNull @JsonProperty private String serverUrl = "";

  /** Directory holding the agent's vmlinuz and initrd.img (api/agent/build-agent.sh). */
  @NotEmpty @JsonProperty private String agentDir = "./var/agent";

  /** Operator install templates; a file here replaces the built-in template of that name. */
  @NotEmpty @JsonProperty private String templateDir = "./var/templates";

  /**
   * Networks (CIDR) where an unknown machine is enlisted: it boots the discovery agent and
   * appears as a discovered host. Elsewhere unknown machines are ignored.
   */
  @NotNull @JsonProperty
  private List<@Pattern(regexp = "[0-9.]+/[0-9]{1,2}", message = "must be a CIDR like 10.0.0.0/8")
      String> autoEnlistNetworks = List.of("0.0.0.0/0");

  /** What discovered and ready hosts boot: "discovery" (refreshes their facts) or "wait". */
  @NotNull
  @Pattern(regexp = "discovery|wait", message = "must be discovery or wait")
  @JsonProperty
  private String idleAction = "discovery";

  /** What the agent does after it reported: poweroff, reboot or hold. */
  @NotNull
  @Pattern(regexp = "poweroff|reboot|hold", message = "must be poweroff, reboot or hold")
  @JsonProperty
  private String afterDiscovery = "poweroff";

  /** What the installer does after a successful install: reboot (into the disk) or poweroff. */
  @NotNull
  @Pattern(regexp = "poweroff|reboot", message = "must be poweroff or reboot")
  @JsonProperty
  private String afterInstall = "reboot";

  /** Kernel arguments every agent boot gets (the console, typically). */
  @NotNull @JsonProperty private String kernelArgs = "console=tty0 console=ttyS0,115200";

  /** Seconds a waiting host sleeps before asking again. */
  @Min(1) @Max(3600) @JsonProperty private int retrySeconds = 30;

  /** Seconds the boot services' host lookup may lag a write made on another Rackboot node. */
  @Min(1) @Max(3600) @JsonProperty private int cacheRefreshSeconds = 5;

  /**
   * Seconds during which repeated proxy-DHCP answers to one MAC (same architecture, boot file,
   * host and host state) are not recorded again as boot.dhcp events, only counted; 0 records
   * every answer.
   */
  @Min(0) @Max(3600) @JsonProperty private int dhcpEventWindowSeconds = 60;

  /**
   * boot.dhcp events about machines the inventory does not know, per second (bursts of ten
   * seconds' worth pass at once); the rest are deferred to the machine's next request and
   * counted. 0: no limit.
   */
  @Min(0) @Max(1_000_000) @JsonProperty private int unknownClientEventsPerSecond = 20;

  public String getServerUrl() {
    return serverUrl;
  }

  public Path getAgentDir() {
    return Path.of(agentDir);
  }

  public Path getTemplateDir() {
    return Path.of(templateDir);
  }

  public List<String> getAutoEnlistNetworks() {
    return autoEnlistNetworks;
  }

  public String getIdleAction() {
    return idleAction;
  }

  public String getAfterDiscovery() {
    return afterDiscovery;
  }

  public String getAfterInstall() {
    return afterInstall;
  }

  public String getKernelArgs() {
    return kernelArgs;
  }

  public int getRetrySeconds() {
    return retrySeconds;
  }

  public int getCacheRefreshSeconds() {
    return cacheRefreshSeconds;
  }

  public int getDhcpEventWindowSeconds() {
    return dhcpEventWindowSeconds;
  }

  public int getUnknownClientEventsPerSecond() {
    return unknownClientEventsPerSecond;
  }
}
