package org.rackboot.api.boot;

import org.rackboot.dhcp.wire.MacAddress;
import java.util.Optional;
import org.rackboot.api.core.BootHost;
import org.rackboot.api.core.ImageRef;
import org.rackboot.api.core.Role;
import org.rackboot.images.Manifest;

/**
 * The inventory as the boot decision reads it: in memory, so that answering a packet or a
 * script request costs no SQL. {@link HostBootCache} is the real one; tests use an in-memory one.
 */
public interface BootInventory {

  /** The host that owns {@code mac}, or null when none does. */
  BootHost byMac(MacAddress mac);

  /** The host with this id, or null. */
  BootHost byId(String id);

  /** A role by id, or null. */
  Role role(String roleId);

  /** A published image's manifest (immutable once published), or empty when not in the store. */
  Optional<Manifest> manifest(ImageRef image);
}
