package org.rackboot.api;

import org.rackboot.api.config.RackbootConfiguration;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.rackboot.api.config.ImagesFactory;
import org.rackboot.api.files.BlobServlet;
import org.rackboot.api.http.ImageStoreExceptionMapper;
import org.rackboot.api.health.ImageStoreIntegrityHealthCheck;
import org.rackboot.api.resources.ImagesResource;
import org.rackboot.api.resources.PinsResource;
import org.rackboot.api.service.ImageStores;
import org.rackboot.api.resources.ReposResource;
import org.rackboot.images.ImageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The image store in the server: its resources, file serving, health check and garbage collection. */
public final class ImagesWiring {

  private static final Logger LOG = LoggerFactory.getLogger(ImagesWiring.class);

  private ImagesWiring() {}

  /**
   * Served artifacts go out byte for byte: gzip would drop Content-Length, break Range offsets
   * and force a copy through the heap. The server is built after run(), so this still applies.
   */
  private static void keepServedFilesUncompressed(RackbootConfiguration config) {
    if (config.getServerFactory() instanceof AbstractServerFactory f && f.getGzipFilterFactory() != null) {
      Set<String> excluded = new HashSet<>();
      if (f.getGzipFilterFactory().getExcludedPaths() != null) {
        excluded.addAll(f.getGzipFilterFactory().getExcludedPaths());
      }
      excluded.add(BlobServlet.BLOBS + "/*");
      excluded.add(BlobServlet.REPOS + "/*");
      f.getGzipFilterFactory().setExcludedPaths(excluded);
    }
  }

  /** Resources, file serving, health check and periodic garbage collection. */
  public static ImageStore register(RackbootConfiguration config, Environment environment, Jdbi jdbi,
      org.rackboot.api.service.RoleCatalog catalog) {
    ImagesFactory images = config.getImages();
    ImageStore store = ImageStores.open(images, jdbi);
    java.time.Duration grace = java.time.Duration.ofMillis(images.getGcGracePeriod().toMilliseconds());
    environment.jersey().register(new ImageStoreExceptionMapper());
    environment.jersey().register(new ImagesResource(store, grace));
    environment.jersey().register(new PinsResource(store.pins(), catalog));
    environment.jersey().register(new ReposResource(store.repos()));
    keepServedFilesUncompressed(config);
    environment.servlets()
        .addServlet("imageFiles", new BlobServlet(store, images.isVerifyOnServe()))
        .addMapping(BlobServlet.BLOBS + "/*", BlobServlet.REPOS + "/*");
    environment.healthChecks().register("imageStoreIntegrity", new ImageStoreIntegrityHealthCheck(store.blobs()));
    long every = images.getGcInterval().toMilliseconds();
    if (every > 0) {
      ScheduledExecutorService gc = environment.lifecycle().scheduledExecutorService("image-gc").threads(1).build();
      environment.lifecycle().manage(new Managed() {
        @Override
        public void start() {
          gc.scheduleWithFixedDelay(() -> {
            try {
              var r = store.gc().collect(grace, "rackboot-gc");
              if (r.deletedBlobs() > 0 || r.deletedTemp() > 0) {
                LOG.info("image gc: {}", r);
              }
            } catch (RuntimeException e) {
              LOG.warn("image gc failed: {}", e.toString());
            }
          }, every, every, TimeUnit.MILLISECONDS);
        }
      });
    }
    return store;
  }
}
