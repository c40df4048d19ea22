package org.rackboot.api.boot;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.rackboot.api.core.BootHost;
import org.rackboot.api.core.ImageRef;
import org.rackboot.api.core.Role;
import org.rackboot.dhcp.wire.MacAddress;
import org.rackboot.images.Manifest;

/** A hand-written inventory in memory, for tests of the boot decision without a database. */
final class InMemoryBootInventory implements BootInventory {

  private final Map<MacAddress, BootHost> byMac = new HashMap<>();
  private final Map<String, BootHost> byId = new HashMap<>();
  private final Map<String, Role> roles = new HashMap<>();
  private final Map<ImageRef, Manifest> manifests = new HashMap<>();

  InMemoryBootInventory host(MacAddress mac, BootHost host) {
    byMac.put(mac, host);
    byId.put(host.id(), host);
    return this;
  }

  InMemoryBootInventory role(Role role) {
    roles.put(role.id(), role);
    return this;
  }

  InMemoryBootInventory image(Manifest m) {
    manifests.put(new ImageRef(m.name(), m.version()), m);
    return this;
  }

  @Override
  public BootHost byMac(MacAddress mac) {
    return byMac.get(mac);
  }

  @Override
  public BootHost byId(String id) {
    return byId.get(id);
  }

  @Override
  public Role role(String roleId) {
    return roles.get(roleId);
  }

  @Override
  public Optional<Manifest> manifest(ImageRef image) {
    return Optional.ofNullable(manifests.get(image));
  }
}
