package org.rackboot.tftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where TFTP content comes from: (path, client) to content of known size, or an error. The path
 * is already normalized by {@link TftpPaths}: relative, '/'-separated, no '.', '..' or empty
 * segments. Called on the request thread, once per request: keep it a cached lookup.
 */
@FunctionalInterface
public interface TftpSource {

  Lookup open(String path, InetSocketAddress client) throws IOException;

  /**
   * Asks each source in turn; the first that finds or refuses wins. This is how the application
   * puts per-host generated files in front of the static root.
   */
  static TftpSource chain(TftpSource... sources) {
    List<TftpSource> list = List.of(sources);
    return (path, client) -> {
      for (TftpSource s : list) {
        Lookup l = s.open(path, client);
        if (!(l instanceof Lookup.NotFound)) {
          return l;
        }
      }
      return Lookup.notFound();
    };
  }
}
