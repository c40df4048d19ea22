package org.rackboot.api.boot;

import java.net.InetSocketAddress;
import java.util.Map;
import org.rackboot.tftp.Lookup;
import org.rackboot.tftp.TftpSource;

/**
 * Put in front of the TFTP sources: records each requested file as a boot event on the host last
 * seen at the client's address, then lets the next source answer.
 */
public final class TftpBootEvents implements TftpSource {

  private final BootEvents events;
  private final BootClients clients;

  public TftpBootEvents(BootEvents events, BootClients clients) {
    this.events = events;
    this.clients = clients;
  }

  @Override
  public Lookup open(String path, InetSocketAddress client) {
    String ip = client.getAddress().getHostAddress();
    events.record("boot.tftp", clients.hostAt(ip), ip, Map.of("file", path, "client", ip));
    return Lookup.notFound();
  }
}
