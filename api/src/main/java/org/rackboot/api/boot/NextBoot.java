package org.rackboot.api.boot;

import org.rackboot.api.core.BootHost;
import org.rackboot.api.core.Role;
import org.rackboot.images.Manifest;

/**
 * What a machine boots next: the one answer {@link BootDecider} gives every boot service. The
 * proxy-DHCP answer, the iPXE script and the installer's plan are each a rendering of it.
 */
public sealed interface NextBoot {

  /** The known host, or null for a machine the inventory does not know. */
  BootHost host();

  /** No answer at all: proxy-DHCP stays silent and the script ends network boot. */
  record Ignore(BootHost host, String reason) implements NextBoot {}

  /** The discovery agent, which reports the machine's facts. */
  record Discovery(BootHost host) implements NextBoot {}

  /**
   * Wait and ask again. {@code blocked} marks an install that cannot start (no image, image or
   * agent missing): an operator must act, and the boot services record why.
   */
  record Wait(BootHost host, String reason, boolean blocked) implements NextBoot {}

  /** Leave network boot; the firmware boots the installed disk. */
  record LocalDisk(BootHost host) implements NextBoot {}

  /**
   * Install {@code image}: with the agent writing its disk artifact, or, for an OS installer
   * image (kernel and initrd, no disk), by booting the image's own kernel.
   */
  record Install(BootHost host, Role role, Manifest image, boolean osInstaller)
      implements NextBoot {}
}
