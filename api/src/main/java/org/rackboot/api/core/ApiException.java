package org.rackboot.api.core;

/**
 * A request the API refuses: an HTTP status, the field at fault (a JSON path such as
 * {@code nics[1].mac}, a query or path parameter, or a header) and the reason. Thrown before
 * anything is written, or inside the transaction that is then rolled back.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String field;
  private final String hostId;

  public ApiException(int status, String field, String message) {
    this(status, field, message, null);
  }

  public ApiException(int status, String field, String message, String hostId) {
    super(message);
    this.status = status;
    this.field = field;
    this.hostId = hostId;
  }

  public static ApiException invalid(String field, String message) {
    return new ApiException(422, field, message);
  }

  public static ApiException notFound(String field, String message) {
    return new ApiException(404, field, message);
  }

  public static ApiException conflict(String field, String message) {
    return new ApiException(409, field, message);
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }

  /** The other host involved in a conflict (a MAC or hostname already taken), or null. */
  public String hostId() {
    return hostId;
  }
}
