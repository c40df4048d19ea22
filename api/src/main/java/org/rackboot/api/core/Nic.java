package org.rackboot.api.core;

import org.rackboot.dhcp.wire.MacAddress;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A network interface of a host: its MAC (unique in the inventory), a name, the boot flag. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Nic(MacAddress mac, String name, boolean boot) {}
