package org.rackboot.api.service;

import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.config.ImagesFactory;
import org.rackboot.api.core.StartupFailure;
import org.rackboot.images.ImageStore;
import org.rackboot.images.ImageStoreException;
import org.rackboot.images.PinPolicy;

/** Opens the image store the same way for the server and for the CLI commands. */
public final class ImageStores {

  private ImageStores() {}

  /** The store on the configured directory, with its events going to the audit log. */
  public static ImageStore open(ImagesFactory images, Jdbi jdbi) {
    try {
      PinPolicy policy = PinPolicy.of(images.getPromotion().getOrder(),
          images.getPromotion().getRequirePinnedInPrevious());
      return new ImageStore(jdbi, images.getStoreDir(), policy, new ImageEventSink(jdbi),
          Clock.systemUTC(), images.getMaxTftpSize().toBytes());
    } catch (ImageStoreException e) {
      throw new StartupFailure("images: " + e.getMessage(), e);
    }
  }
}
