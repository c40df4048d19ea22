package org.rackboot.dhcp.pxe;

import java.net.Inet4Address;
import org.rackboot.dhcp.wire.MacAddress;

/**
 * Decides what a PXE client boots. Called on the packet path for every request that passed the
 * filters and the rate limit: implementations must answer from memory (a cached lookup), never
 * block on a database or the network per packet, and be safe to call from several threads.
 * A thrown exception is counted and the request is not answered.
 */
@FunctionalInterface
public interface BootPolicy {

  BootDecision decide(BootRequest request);

  /**
   * A PXE client asked the site's DHCP server for {@code address} (option 50 of a REQUEST
   * meant for another server, or its ciaddr): the address it will boot from, which later
   * steps that carry no MAC (TFTP) can be matched against. Not answered; nothing by default.
   */
  default void addressRequested(MacAddress mac, Inet4Address address) {}
}
