package org.rackboot.api;

/**
 * The embedded H2 database runs with {@code AUTO_SERVER=TRUE} (rackboot.yml), so that CLI
 * commands reach it while the server holds the file: the first process to open it serves the
 * others over TCP. H2 binds that TCP server to every interface unless {@code h2.bindAddress}
 * says otherwise, and the provisioning network is hostile: bind it to loopback. There it takes
 * only this machine's processes that can read the database's lock file (which holds the key
 * a client must present) and the database user's password.
 */
final class H2Loopback {

  static final String PROPERTY = "h2.bindAddress";

  private H2Loopback() {}

  /**
   * Sets {@code h2.bindAddress} to 127.0.0.1 unless the operator set it. H2 reads it once, when
   * its first class loads, so this runs before any command touches the database.
   */
  static void apply() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "127.0.0.1");
    }
  }
}
