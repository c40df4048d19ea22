package org.rackboot.api.core;

import org.rackboot.dhcp.wire.MacAddress;

/**
 * What the boot services know of one host, from the inventory's cached view: enough to decide
 * what it boots next and to render its boot program and install templates.
 *
 * @param assignedImage the image the host should run (the role's pin in its environment, else
 *     the role's own image; computed by the database query that loads the view), or null
 * @param bootMac the NIC marked as the boot NIC, or null when none is marked
 */
public record BootHost(
    String id,
    String hostname,
    HostState state,
    String environment,
    String serial,
    String rack,
    String roleId,
    String roleName,
    ImageRef assignedImage,
    MacAddress bootMac) {

  /** The host's name for messages: its hostname, else its id. */
  public String label() {
    return hostname != null ? hostname : id;
  }
}
