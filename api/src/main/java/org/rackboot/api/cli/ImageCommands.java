package org.rackboot.api.cli;

import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.api.db.Migrations;
import org.rackboot.api.service.ImageStores;
import org.rackboot.images.ImageStore;

/** What the image CLI commands share: a migrated database and the store, without the server. */
final class ImageCommands {

  private ImageCommands() {}

  static ImageStore open(RackbootConfiguration config) {
    Jdbi jdbi = Migrations.openForCommand(config.getDatabase(), config.isMigrateOnStart());
    return ImageStores.open(config.getImages(), jdbi);
  }

  /** Refusals of the store and bad arguments are one plain line; the rest as the server does. */
  static void printError(io.dropwizard.core.cli.Cli cli, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.rackboot.images.ImageStoreException || t instanceof IllegalArgumentException) {
        cli.getStdErr().println("rackboot: " + t.getMessage());
        return;
      }
    }
    StartupFailures.print(cli, e);
  }

  static String actor(String given) {
    if (given != null && !given.isBlank()) {
      return given;
    }
    String user = System.getProperty("user.name", "unknown");
    return "cli:" + user;
  }
}
