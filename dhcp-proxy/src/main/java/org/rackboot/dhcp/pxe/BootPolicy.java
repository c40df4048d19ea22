package org.rackboot.dhcp.pxe;

/**
 * Decides what a PXE client boots. Called on the packet path for every request that passed the
 * filters and the rate limit: implementations must answer from memory (a cached lookup), never
 * block on a database or the network per packet, and be safe to call from several threads.
 * A thrown exception is counted and the request is not answered.
 */
@FunctionalInterface
public interface BootPolicy {

  BootDecision decide(BootRequest request);
}
