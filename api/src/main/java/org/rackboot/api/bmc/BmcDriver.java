package org.rackboot.api.bmc;

import org.rackboot.api.core.BmcCredentials;
import org.rackboot.api.core.PowerAction;
import org.rackboot.api.core.PowerState;

/**
 * Talks to one kind of BMC. Every method blocks until the BMC answered, refused or stayed
 * silent past the driver's timeout and retries; callers run it off request threads.
 */
public interface BmcDriver {

  PowerState status(BmcCredentials c) throws BmcException;

  /** Sends a chassis power command; returns the BMC's acknowledgement. */
  String power(BmcCredentials c, PowerAction action) throws BmcException;

  /** Makes the next boot, and only the next, a network (PXE) boot; UEFI flag when asked. */
  String bootFromNetworkOnce(BmcCredentials c, boolean uefi) throws BmcException;
}
