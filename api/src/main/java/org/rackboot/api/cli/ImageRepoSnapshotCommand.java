package org.rackboot.api.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.rackboot.api.config.RackbootConfiguration;
import org.rackboot.images.ImageStore;
import org.rackboot.images.RepoSnapshot;

/**
 * {@code repo-snapshot-import SOURCE --name N --snapshot-version V rackboot.yml}: imports any
 * directory tree or tarball (an apt or yum repository...) as a read-only snapshot served at
 * {@code /repos/N/V/}.
 */
public final class ImageRepoSnapshotCommand extends ConfiguredCommand<RackbootConfiguration> {

  public ImageRepoSnapshotCommand() {
    super("repo-snapshot-import", "Import a directory tree or tarball as a named, versioned repository snapshot");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("source").help("directory or .tar/.tar.gz");
    subparser.addArgument("--name").required(true).help("snapshot name, e.g. debian-bookworm-main");
    subparser.addArgument("--snapshot-version").dest("snapshotVersion").required(true)
        .help("snapshot version, e.g. 2026.11.25");
    subparser.addArgument("--notes").help("free text kept with the snapshot");
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
    RepoSnapshot s = store.repos().importTree(source, ns.getString("name"), ns.getString("snapshotVersion"),
        ns.getString("notes"), ImageCommands.actor(ns.getString("actor")));
    System.out.printf("published repository snapshot %s/%s: %d files, %d bytes, served at /repos/%s/%s/%n",
        s.name(), s.version(), s.fileCount(), s.totalSize(), s.name(), s.version());
  }

  @Override
  public void onError(io.dropwizard.core.cli.Cli cli, Namespace namespace, Throwable e) {
    ImageCommands.printError(cli, e);
  }
}
