package org.rackboot.api.core;

import java.time.Instant;

/**
 * One row of {@code hosts} plus its role's name and image, as the DAO reads and writes it. Mutable
 * on purpose: a write loads the row, changes fields and stores it back under a version check.
 */
public final class HostRow {
  public long seq;
  public String id;
  public String hostname;
  public HostState state;
  public String environment;
  public String roleId;
  public String serial;
  public String assetTag;
  public String vendor;
  public String model;
  public String systemUuid;
  public String rack;
  public Integer rackPosition;
  public String bmcAddress;
  public String notes;
  public String runningImageName;
  public String runningImageVersion;
  public Instant checkedInAt;
  public String provisioningTokenHash;
  public String rebuildRequestedBy;
  public Instant rebuildRequestedAt;
  public long version;
  public Instant createdAt;
  public Instant updatedAt;

  // Read-only, from the joined role and pin.
  public String roleName;
  /** The image the host should run, as the DAO's query computes it; null without one. */
  public ImageRef assignedImage;

  /**
   * The assigned image equals the image the host reported at its last check-in; null when it
   * has no assigned image.
   */
  public Boolean inSync() {
    if (assignedImage == null) {
      return null;
    }
    return assignedImage.name().equals(runningImageName)
        && assignedImage.version().equals(runningImageVersion);
  }
}
