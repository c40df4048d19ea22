package org.rackboot.api.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.images.Artifact;
import org.rackboot.images.ImageStore;
import org.rackboot.images.Manifest;

/**
 * {@code image-import SOURCE rackboot.yml}: imports an image from a directory or a tarball (plain
 * or gzip) whose root holds manifest.json, and publishes it.
 */
public final class ImageImportCommand extends ConfiguredCommand<RackbootConfiguration> {

  public ImageImportCommand() {
    super("image-import", "Import and publish an image from a directory or tarball holding manifest.json");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("source").help("directory or .tar/.tar.gz with manifest.json at its root");
    subparser.addArgument("--name").help("image name (overrides manifest.json)");
    subparser.addArgument("--image-version").dest("imageVersion").help("image version (overrides manifest.json)");
    subparser.addArgument("--actor").help("who to record as the creator (default cli:<user>)");
    super.configure(subparser);
  }

  @Override
  protected void run(Bootstrap<RackbootConfiguration> bootstrap, Namespace ns, RackbootConfiguration config) {
    Path source = Path.of(ns.getString("source"));
    if (!Files.exists(source)) {
      throw new IllegalArgumentException("source " + source + " does not exist");
    }
    ImageStore store = ImageCommands.open(config);
    Manifest m = store.importer().importTree(source, ns.getString("name"), ns.getString("imageVersion"),
        ImageCommands.actor(ns.getString("actor")));
    System.out.println("published " + m.ref());
    for (Artifact a : m.artifacts()) {
      System.out.printf("  %-7s %-30s %s %d%n", a.part().wire(), a.name(), a.sha256(), a.size());
    }
  }

  @Override
  public void onError(io.dropwizard.core.cli.Cli cli, Namespace namespace, Throwable e) {
    ImageCommands.printError(cli, e);
  }
}
