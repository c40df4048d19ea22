package org.rackboot.api.core;

import org.rackboot.dhcp.wire.MacAddress;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Request bodies. Unknown fields are refused (the API's ObjectMapper fails on them) and a wrong
 * JSON type is a 422 naming the field; the values themselves are checked in the core.
 */
public final class Inputs {

  private Inputs() {}

  /** POST /hosts (all fields) and PATCH /hosts/{id} (only the fields present change). */
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
  public record NicInput(MacAddress mac, String name, Boolean boot) {}

  /** PUT /hosts/{id}/role. */
  public record RoleAssignment(String environment, String role) {}

  /** PUT /hosts/{id}/state: the boot flow's transitions (deployed, failed, ready). */
  public record StateChange(String state, String reason) {}

  /** POST /hosts/{id}/checkin: the image a deployed host reports it runs. */
  public record CheckIn(String imageName, String imageVersion) {}

  /** POST /environments. */
  public record EnvironmentInput(String name, String description) {}

  /** POST /roles and PUT /roles/{id}. */
  public record RoleInput(
      String environment,
      String name,
      String imageName,
      String imageVersion,
      String kernelArgs,
      String installTemplate,
      JsonNode variables) {}

  /** POST /tokens. */
  public record TokenInput(String name, String role, List<String> environments) {}
}
