package org.rackboot.api;

import io.dropwizard.core.setup.Environment;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the server first and only then let the JVM exit. The JVM runs its
 * shutdown hooks all at once, and the embedded H2 database (AUTO_SERVER, which rules out
 * DB_CLOSE_ON_EXIT=FALSE) closes itself from one of them while Jetty's hook is still stopping
 * the managed objects: boot events buffered at that moment failed with "Database is already
 * closed". Stopped here, in order, the events writer drains before the pool closes; the hooks
 * that run afterwards find nothing left to do.
 */
final class OrderlyStop {

  private static final Logger LOG = LoggerFactory.getLogger(OrderlyStop.class);

  private OrderlyStop() {}

  static void register(Environment env) {
    env.lifecycle().addServerLifecycleListener(server -> {
      for (String name : List.of("TERM", "INT")) {
        try {
          Signal.handle(new Signal(name), signal -> {
            // Not on the signal dispatcher thread: stopping takes seconds.
            Thread stopper = new Thread(() -> {
              try {
                server.stop();
              } catch (Exception e) {
                LOG.warn("stopping on SIG{}: {}", name, e.toString());
              }
              // The exit status the JVM gives a process ended by this signal.
              System.exit(128 + signal.getNumber());
            }, "orderly-stop");
            stopper.start();
          });
        } catch (IllegalArgumentException e) {
          // The JVM runs with -Xrs or the signal is in use: its shutdown hooks stop everything.
          LOG.debug("no handler for SIG{}: {}", name, e.toString());
        }
      }
    });
  }
}
