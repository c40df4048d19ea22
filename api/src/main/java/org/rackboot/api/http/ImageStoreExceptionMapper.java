package org.rackboot.api.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rackboot.images.ImageStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns store refusals into 4xx (naming the field) or 5xx with a plain message. */
public final class ImageStoreExceptionMapper implements ExceptionMapper<ImageStoreException> {

  private static final Logger LOG = LoggerFactory.getLogger(ImageStoreExceptionMapper.class);

  @Override
  public Response toResponse(ImageStoreException e) {
    int status = switch (e.reason()) {
      case INVALID -> 422;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      // 507 Insufficient Storage (RFC 4918 section 11.5) tells a client retrying is pointless.
      case STORAGE -> String.valueOf(e.getMessage()).contains("No space left") ? 507 : 500;
    };
    if (status >= 500) {
      LOG.error("image store: {}", e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", status);
    body.put("message", e.getMessage());
    // Every refusal names a field: the store's conflicts are all about a version (already
    // published, none to roll back to, not pinned in the environment before), the rest about
    // the resource in the path.
    String field = e.field() != null ? e.field()
        : status == 409 ? "version"
        : status < 500 ? "path" : null;
    if (field != null) {
      body.put("field", field);
    }
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
  }
}
