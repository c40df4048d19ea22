package org.rackboot.api.core;

import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.rackboot.api.StartupFailure;

/**
 * A UDP listener run as a Dropwizard managed object: bound on start, released on stop. A bind
 * failure becomes a {@link StartupFailure} that names the port, the reason and the fixes.
 */
public final class UdpService implements Managed {

  /** What a UDP server offers to its managed wrapper. */
  public interface Listener extends AutoCloseable {
    void start() throws IOException;

    boolean isBound();

    @Override
    void close();
  }

  private final String name;
  private final String configKey;
  private final InetSocketAddress address;
  private final Listener listener;

  /**
   * @param name what the service is, for messages ("TFTP")
   * @param configKey the rackboot.yml key that sets its port ("tftp.port")
   */
  public UdpService(String name, String configKey, InetSocketAddress address, Listener listener) {
    this.name = name;
    this.configKey = configKey;
    this.address = address;
    this.listener = listener;
  }

  @Override
  public void start() {
    try {
      listener.start();
    } catch (IOException e) {
      throw new StartupFailure(bindFailureMessage(e), e);
    }
  }

  String bindFailureMessage(IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String fix =
        address.getPort() < 1024
            ? "run as root, grant the JVM CAP_NET_BIND_SERVICE"
                + " (setcap cap_net_bind_service=+ep on the java binary), or change "
                + configKey
                + " in the config"
            : "stop whatever holds the port, or change " + configKey + " in the config";
    return "cannot bind "
        + name
        + " to UDP "
        + address.getHostString()
        + ":"
        + address.getPort()
        + ": "
        + reason
        + "; "
        + fix;
  }

  @Override
  public void stop() {
    listener.close();
  }

  public boolean isBound() {
    return listener.isBound();
  }

  public String name() {
    return name;
  }
}
