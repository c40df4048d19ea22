package org.rackboot.images;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Imports an image from a local directory or tarball whose root holds {@code manifest.json} (an
 * {@link ImageSpec}; each artifact's {@code file} names its path in the tree, default its name).
 */
public final class ImageImporter {

  public static final String MANIFEST = "manifest.json";
  private static final long MAX_MANIFEST = 1 << 20;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final BlobStore store;
  private final Catalog catalog;

  public ImageImporter(BlobStore store, Catalog catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  /** Imports and publishes; {@code name}/{@code version} override the manifest's when not null. */
  public Manifest importTree(Path source, String name, String version, String actor) {
    TreeIngest ingest = new TreeIngest(store);
    TreeIngest.Listing listing = ingest.check(source);
    if (!listing.files().contains(MANIFEST) && !listing.links().containsKey(MANIFEST)) {
      throw ImageStoreException.invalid("source", source + " has no " + MANIFEST + " at its root");
    }
    if (Files.isDirectory(source)) {
      // Refuse a republish before copying gigabytes.
      ImageSpec early = override(readSpec(source.resolve(MANIFEST)), name, version).normalize();
      if (catalog.exists(early.name(), early.version())) {
        throw ImageStoreException.conflict("image " + early.name() + "/" + early.version()
            + " is already published; versions never change");
      }
    }
    Map<String, BlobFile> files = ingest.ingest(source);
    ImageSpec spec = override(readSpec(files.get(MANIFEST).path()), name, version).normalize();
    List<ImageSpec.ArtifactSpec> resolved = new ArrayList<>();
    for (int i = 0; i < spec.artifacts().size(); i++) {
      ImageSpec.ArtifactSpec a = spec.artifacts().get(i);
      BlobFile b = files.get(a.file());
      if (b == null) {
        throw ImageStoreException.invalid("artifacts[" + i + "].file", "'" + a.file() + "' is not in " + source);
      }
      if (a.sha256() != null && !a.sha256().equals(b.sha256().hex())) {
        throw ImageStoreException.invalid("artifacts[" + i + "].sha256",
            "declared " + a.sha256() + " but '" + a.file() + "' hashes to " + b.sha256());
      }
      if (a.size() != null && a.size() != b.size()) {
        throw ImageStoreException.invalid("artifacts[" + i + "].size",
            "declared " + a.size() + " but '" + a.file() + "' has " + b.size() + " bytes");
      }
      resolved.add(new ImageSpec.ArtifactSpec(a.name(), a.part(), b.sha256().hex(), b.size(), null));
    }
    return catalog.publish(new ImageSpec(spec.name(), spec.version(), spec.os(), spec.arch(),
        spec.bootArgs(), spec.notes(), resolved), actor);
  }

  private static ImageSpec override(ImageSpec s, String name, String version) {
    return new ImageSpec(name != null ? name : s.name(), version != null ? version : s.version(), s.os(),
        s.arch(), s.bootArgs(), s.notes(), s.artifacts());
  }

  static ImageSpec readSpec(Path file) {
    try {
      if (Files.size(file) > MAX_MANIFEST) {
        throw ImageStoreException.invalid(MANIFEST, "expected at most " + MAX_MANIFEST + " bytes, got " + Files.size(file));
      }
      return JSON.readValue(file.toFile(), ImageSpec.class);
    } catch (IOException e) {
      throw ImageStoreException.invalid(MANIFEST, "not a valid manifest: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse(s);
  }
}
