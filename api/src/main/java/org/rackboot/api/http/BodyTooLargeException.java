package org.rackboot.api.http;

/** Thrown while reading a request body that exceeds the configured limit (413). */
public final class BodyTooLargeException extends RuntimeException {

  public BodyTooLargeException(long limit) {
    super("the request body is larger than the limit of " + limit + " bytes (api.maxBodySize)");
  }
}
