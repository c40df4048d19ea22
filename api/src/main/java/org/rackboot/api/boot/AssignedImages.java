package org.rackboot.api.boot;

import java.util.Optional;
import org.rackboot.api.core.HostRow;
import org.rackboot.images.Pins;

/**
 * The image a host should run: its role's pin in its environment (the image store's pins, which
 * promotion and rollback move), else the image named on the role itself.
 */
public final class AssignedImages {

  /** An image name and version. */
  public record ImageRef(String name, String version) {
    @Override
    public String toString() {
      return name + ":" + version;
    }
  }

  private final Pins pins;

  public AssignedImages(Pins pins) {
    this.pins = pins;
  }

  public Optional<ImageRef> of(HostRow host) {
    if (host.roleName == null || host.environment == null) {
      return Optional.empty();
    }
    return pins.current(host.roleName, host.environment)
        .map(p -> new ImageRef(p.image(), p.version()))
        .or(
            () ->
                host.roleImageName == null || host.roleImageVersion == null
                    ? Optional.empty()
                    : Optional.of(new ImageRef(host.roleImageName, host.roleImageVersion)));
  }

  /** True when the host's last check-in reported the image it should run. */
  public boolean inSync(HostRow host) {
    return of(host)
        .map(
            want ->
                want.name().equals(host.runningImageName)
                    && want.version().equals(host.runningImageVersion))
        .orElse(true);
  }
}
