package org.rackboot.images;

/**
 * Every refusal of the image store, with a reason the API maps to a status code (INVALID 422,
 * NOT_FOUND 404, CONFLICT 409, STORAGE 507/500) and a message naming the field and the problem.
 */
public final class ImageStoreException extends RuntimeException {

  /** Why the store refused. */
  public enum Reason {
    INVALID,
    NOT_FOUND,
    CONFLICT,
    STORAGE
  }

  private final Reason reason;
  private final String field;

  public ImageStoreException(Reason reason, String field, String message, Throwable cause) {
    super(field == null ? message : field + ": " + message, cause);
    this.reason = reason;
    this.field = field;
  }

  public static ImageStoreException invalid(String field, String message) {
    return new ImageStoreException(Reason.INVALID, field, message, null);
  }

  public static ImageStoreException notFound(String what) {
    return new ImageStoreException(Reason.NOT_FOUND, null, what, null);
  }

  public static ImageStoreException conflict(String message) {
    return new ImageStoreException(Reason.CONFLICT, null, message, null);
  }

  public static ImageStoreException storage(String message, Throwable cause) {
    return new ImageStoreException(Reason.STORAGE, null, message, cause);
  }

  public Reason reason() {
    return reason;
  }

  /** The request field at fault, or null. */
  public String field() {
    return field;
  }
}
