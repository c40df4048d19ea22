package org.rackboot.api.boot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which host last spoke from which IP address. TFTP requests carry only the client's address;
 * the address a known host's PXE ROM requests from the site's DHCP server (seen by the proxy)
 * and the host's HTTP script requests (which name its MAC) teach the mapping. Bounded, oldest
 * forgotten first.
 */
public final class BootClients {

  private static final int MAX = 65_536;

  private final Map<String, String> hostByIp =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX;
        }
      };

  public synchronized void remember(String ip, String hostId) {
    if (ip != null && hostId != null) {
      hostByIp.put(ip, hostId);
    }
  }

  /** The host last seen at {@code ip}, or null. */
  public synchronized String hostAt(String ip) {
    return hostByIp.get(ip);
  }
}
