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
  /** The sha256 of this install attempt's provisioning token; null when none is issued. */
  public String provisioningTokenHash;
  /**
   * The attempt's token itself while the installer has not used it yet (so a firmware retry of
   * the boot NIC gets the same token back); null once it was used.
   */
  public String provisioningTokenPending;
  /** The boot NIC the attempt's token was issued to. */
  public String provisioningTokenMac;
  /** The sha256 of the host's check-in token, issued at install success; null otherwise. */
  public String checkinTokenHash;
  public String rebuildRequestedBy;
  public Instant rebuildRequestedAt;
  public long version;
  public Instant createdAt;
  public Instant updatedAt;

  /** Ends the install attempt's provisioning token: its hash, its re-sendable copy, its NIC. */
  public void endProvisioningToken() {
    provisioningTokenHash = null;
    provisioningTokenPending = null;
    provisioningTokenMac = null;
  }

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
