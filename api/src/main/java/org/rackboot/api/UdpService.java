package org.rackboot.api;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import org.rackboot.api.core.StartupFailure;
import org.rackboot.api.health.UdpServiceHealthCheck;

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

    /** A listener from a server's own start, isBound and close. */
    static Listener of(Start start, BooleanSupplier isBound, Runnable close) {
      return new Listener() {
        @Override
        public void start() throws IOException {
          start.run();
        }

        @Override
        public boolean isBound() {
          return isBound.getAsBoolean();
        }

        @Override
        public void close() {
          close.run();
        }
      };
    }
  }

  /** A server's start: binds, or throws the bind failure. */
  @FunctionalInterface
  public interface Start {
    void run() throws IOException;
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

  /** Runs this service in Dropwizard's lifecycle, with a health check named {@code healthName}. */
  public void register(Environment environment, String healthName) {
    environment.lifecycle().manage(this);
    environment.healthChecks().register(healthName, new UdpServiceHealthCheck(name, this::isBound));
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
