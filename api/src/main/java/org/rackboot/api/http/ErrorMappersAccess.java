package org.rackboot.api.http;

import jakarta.ws.rs.core.Response;

/** Builds the standard error response where a resource answers directly instead of throwing. */
public final class ErrorMappersAccess {

  private ErrorMappersAccess() {}

  public static Response response(int status, String field, String message) {
    return ErrorMappers.body(status, field, message, null);
  }
}
