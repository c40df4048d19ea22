package org.rackboot.api.core;

import org.rackboot.dhcp.wire.MacAddress;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;
import java.util.List;

/**
 * Request bodies. Unknown fields are refused (the API's ObjectMapper fails on them) and a wrong
 * JSON type is a 422 naming the field; the values themselves are checked in the core.
 */
public final class Inputs {

  private Inputs() {}

  /** POST /hosts (all fields) and PATCH /hosts/{id} (only the fields present change). */
  @Schema(description = "Every field is optional; environment and role go together.")
  public record HostInput(
      String hostname,
      String environment,
      String role,
      String serial,
      String assetTag,
      String vendor,
      String model,
      String systemUuid,
      String rack,
      Integer rackPosition,
      String bmcAddress,
      String notes,
      List<NicInput> nics) {}

  /** One NIC; {@code boot} marks the interface the host PXE-boots from. */
  public record NicInput(
      @Schema(requiredMode = RequiredMode.REQUIRED) MacAddress mac,
      @Schema(maxLength = 32) String name,
      Boolean boot) {}

  /** PUT /hosts/{id}/role. */
  public record RoleAssignment(
      @Schema(requiredMode = RequiredMode.REQUIRED) String environment,
      @Schema(requiredMode = RequiredMode.REQUIRED) String role) {}

  /** PUT /hosts/{id}/state: the boot flow's transitions (deployed, failed, ready). */
  public record StateChange(
      @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"ready", "deployed", "failed"})
          String state,
      @Schema(maxLength = 1000) String reason) {}

  /** POST /hosts/{id}/checkin: the image a deployed host reports it runs. */
  public record CheckIn(
      @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 200) String imageName,
      @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 200) String imageVersion) {}

  /** POST /environments. */
  public record EnvironmentInput(
      @Schema(requiredMode = RequiredMode.REQUIRED, pattern = "^[a-z0-9][a-z0-9_-]{0,62}$")
          String name,
      @Schema(maxLength = 1000) String description) {}

  /** POST /roles and PUT /roles/{id}. */
  public record RoleInput(
      @Schema(description = "required by POST; PUT may repeat it but a role never moves")
          String environment,
      @Schema(requiredMode = RequiredMode.REQUIRED, pattern = "^[a-z0-9][a-z0-9_-]{0,62}$")
          String name,
      String imageName,
      String imageVersion,
      String kernelArgs,
      String installTemplate,
      JsonNode variables) {}

  /** POST /tokens. */
  public record TokenInput(
      @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 100) String name,
      @Schema(requiredMode = RequiredMode.REQUIRED,
          allowableValues = {Roles.ADMIN, Roles.OPERATOR, Roles.AUTOMATION, Roles.VIEWER})
          String role,
      @Schema(description = "the environments the token is limited to; none: all. Not for"
          + " admin tokens (422): an admin reaches every environment")
          List<String> environments,
      @Schema(description = "when the token stops working: ISO-8601 with a zone, in the"
          + " future (2026-11-25T12:00:00Z); absent: never", format = "date-time")
          String expiresAt) {}

  /** PUT /hosts/{id}/bmc: how Rackboot reaches the host's BMC. */
  public record BmcInput(
      @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"ipmi", "redfish"},
          description = "ipmi (IPMI v2.0 over LAN, lanplus); redfish is not supported yet")
          String driver,
      @Schema(description = "IP address or hostname; absent: the bmcAddress the agent reported")
          String address,
      @Schema(description = "UDP port; absent: 623") Integer port,
      @Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 16) String username,
      @Schema(description = "write-only: never shown again; absent keeps the stored one",
          maxLength = 20, accessMode = Schema.AccessMode.WRITE_ONLY) String password) {

    @Override
    public String toString() {
      return "BmcInput[driver=" + driver + ", address=" + address + ", port=" + port
          + ", username=" + username + ", password=(hidden)]";
    }
  }

  /** POST /hosts/{id}/power. */
  public record PowerInput(
      @Schema(requiredMode = RequiredMode.REQUIRED,
          allowableValues = {"on", "off", "cycle", "reset", "soft"}) String action) {}

  /** POST /hosts/{id}/rebuild, optional body. */
  public record RebuildInput(
      @Schema(allowableValues = {"cycle"}, description = "cycle: set the next boot to the"
          + " network once and power-cycle through the BMC after the rebuild is recorded")
          String power) {}
}
