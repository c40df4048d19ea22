package org.rackboot.api.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Caps request bodies of {@link LimitedBody} resources: a declared Content-Length over the
 * limit is refused before anything is read, and a chunked body is cut off as it streams.
 */
public final class BodySizeLimit implements DynamicFeature {

  private final long limit;

  public BodySizeLimit(long limit) {
    this.limit = limit;
  }

  @Override
  public void configure(ResourceInfo info, FeatureContext context) {
    if (info.getResourceClass().isAnnotationPresent(LimitedBody.class)
        || info.getResourceMethod().isAnnotationPresent(LimitedBody.class)) {
      context.register(new Filter());
    }
  }

  private final class Filter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      check(request);
    }
  }

  private void check(ContainerRequestContext request) {
    if (request.getLength() > limit) {
      throw new BodyTooLargeException(limit);
    }
    if (request.hasEntity()) {
      request.setEntityStream(new Capped(request.getEntityStream(), limit));
    }
  }

  private static final class Capped extends FilterInputStream {
    private final long limit;
    private long read;

    Capped(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && ++read > limit) {
        throw new BodyTooLargeException(limit);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0 && (read += n) > limit) {
        throw new BodyTooLargeException(limit);
      }
      return n;
    }
  }
}
