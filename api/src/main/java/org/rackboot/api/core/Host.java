package org.rackboot.api.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** A host as the API returns it. The provisioning token hash never leaves the server. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Host(
    String id,
    String hostname,
    String state,
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
    List<Nic> nics,
    Image assignedImage,
    Image runningImage,
    Instant checkedInAt,
    Boolean inSync,
    String rebuildRequestedBy,
    Instant rebuildRequestedAt,
    long version,
    Instant createdAt,
    Instant updatedAt) {

  /** An image reference: name and immutable version. */
  public record Image(String name, String version) {
    static Image of(String name, String version) {
      return name == null ? null : new Image(name, version);
    }
  }

  public static Host of(HostRow r, List<Nic> nics) {
    return new Host(r.id, r.hostname, r.state.wire(), r.environment, r.roleName, r.serial,
        r.assetTag, r.vendor, r.model, r.systemUuid, r.rack, r.rackPosition, r.bmcAddress, r.notes,
        List.copyOf(nics), r.assignedImage == null ? null : Image.of(r.assignedImage.name(), r.assignedImage.version()),
        Image.of(r.runningImageName, r.runningImageVersion), r.checkedInAt, r.inSync(),
        r.rebuildRequestedBy, r.rebuildRequestedAt, r.version, r.createdAt, r.updatedAt);
  }
}
