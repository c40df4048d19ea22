package org.rackboot.api.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.dropwizard.jersey.optional.EmptyOptionalException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.UUID;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure becomes {@link ApiError} JSON naming the field and the reason. These replace
 * Dropwizard's default mappers (switched off in InventoryWiring) so that no error body anywhere
 * in the API has another shape.
 */
public final class ErrorMappers {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

  private ErrorMappers() {}

  public static List<Object> all() {
    return List.of(new Api(), new Json(), new Web(), new Violations(), new TooLarge(),
        new Unexpected());
  }

  static Response body(int status, String field, String message, String host) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError(status, field, message, host)).build();
  }

  /** Refusals from the core. */
  public static final class Api implements ExceptionMapper<ApiException> {
    @Override
    public Response toResponse(ApiException e) {
      return body(e.status(), e.field(), e.getMessage(), e.hostId());
    }
  }

  /** Malformed JSON (400), unknown fields (400) and wrong types or values (422). */
  public static final class Json implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
      // Jackson wraps what the capped body stream throws mid-read; it is still a 413.
      for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof BodyTooLargeException b) {
          return body(413, "body", b.getMessage(), null);
        }
      }
      if (e instanceof JsonParseException p) {
        return body(400, "body", "malformed JSON: " + firstLine(p.getOriginalMessage())
            + location(p), null);
      }
      String field = e instanceof DatabindException d ? path(d) : "body";
      if (e instanceof UnrecognizedPropertyException u) {
        return body(400, field, "unknown field " + Texts.quoteForMessage(u.getPropertyName())
            + "; known fields: " + u.getKnownPropertyIds(), null);
      }
      if (e instanceof ValueInstantiationException v && v.getCause() != null) {
        return body(422, field, firstLine(v.getCause().getMessage()), null);
      }
      if (e instanceof InvalidFormatException f) {
        return body(422, field, "expected " + f.getTargetType().getSimpleName() + ", got "
            + Texts.quoteForMessage(String.valueOf(f.getValue())), null);
      }
      if (e instanceof MismatchedInputException m) {
        if (m.getMessage() != null && m.getMessage().startsWith("No content to map")) {
          return body(400, "body", "a JSON body is required", null);
        }
        return body(422, field, "wrong JSON type"
            + (m.getTargetType() == null ? "" : ": expected " + typeName(m.getTargetType()))
            + " (" + firstLine(m.getOriginalMessage()) + ")", null);
      }
      if (e instanceof JsonMappingException m && m.getCause() instanceof IllegalArgumentException) {
        return body(422, field, firstLine(m.getCause().getMessage()), null);
      }
      return body(422, field, firstLine(e.getOriginalMessage()), null);
    }

    private static String typeName(Class<?> c) {
      if (c == String.class) {
        return "a string";
      }
      if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
        return "an integer";
      }
      if (c == Boolean.class || c == boolean.class) {
        return "true or false";
      }
      if (List.class.isAssignableFrom(c) || c.isArray()) {
        return "an array";
      }
      return c.isRecord() || c.getName().contains("ObjectNode") ? "an object" : c.getSimpleName();
    }

    private static String location(JsonParseException p) {
      return p.getLocation() == null ? ""
          : " at line " + p.getLocation().getLineNr() + " column " + p.getLocation().getColumnNr();
    }
  }

  /** The JSON path of a databind failure, as {@code nics[0].mac}; "body" at the top. */
  static String path(DatabindException d) {
    StringBuilder out = new StringBuilder();
    if (d instanceof JsonMappingException m) {
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          if (out.length() > 0) {
            out.append('.');
          }
          out.append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          out.append('[').append(r.getIndex()).append(']');
        }
      }
    }
    return out.length() == 0 ? "body" : out.toString();
  }

  static String firstLine(String s) {
    if (s == null) {
      return "invalid value";
    }
    String l = s.lines().findFirst().orElse(s);
    return l.length() > 300 ? l.substring(0, 300) + "..." : l;
  }

  /** Jersey's own exceptions (404 for unknown paths, 405, 415, 403 from @RolesAllowed). */
  public static final class Web implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      Response r = e.getResponse();
      if (r.hasEntity()) {
        return r;
      }
      int status = r.getStatus();
      if (e instanceof ForbiddenException) {
        return body(403, "Authorization", "this token's role may not do this", null);
      }
      String message = status == 404 ? "no such resource"
          : status == 405 ? "method not allowed here"
          : status == 415 ? "unsupported media type; send application/json"
          : status == 406 ? "cannot produce an acceptable media type"
          : firstLine(e.getMessage());
      String field = status == 415 ? "Content-Type" : status == 406 ? "Accept"
          : status == 405 ? "method" : status < 500 ? "path" : null;
      if (status >= 500) {
        LOG.error("server error", e);
      }
      Response.ResponseBuilder b = Response.fromResponse(r).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ApiError(status, field, message, null));
      return b.build();
    }
  }

  /** Bean validation (other resources may use @Valid): 422 naming the property. */
  public static final class Violations implements ExceptionMapper<ConstraintViolationException> {
    @Override
    public Response toResponse(ConstraintViolationException e) {
      ConstraintViolation<?> v = e.getConstraintViolations().stream().findFirst().orElse(null);
      if (v == null) {
        return body(422, "body", firstLine(e.getMessage()), null);
      }
      String field = null;
      for (Path.Node n : v.getPropertyPath()) {
        if (n.getName() != null && n.getKind() != jakarta.validation.ElementKind.METHOD) {
          field = n.getName();
        }
      }
      return body(422, field, v.getMessage(), null);
    }
  }

  /** A body over api.maxBodySize. */
  public static final class TooLarge implements ExceptionMapper<BodyTooLargeException> {
    @Override
    public Response toResponse(BodyTooLargeException e) {
      return body(413, "body", e.getMessage(), null);
    }
  }

  /** Anything else is our bug: logged with an id the client can quote, 500. */
  public static final class Unexpected implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof BodyTooLargeException b) {
          return body(413, "body", b.getMessage(), null);
        }
        if (t instanceof EmptyOptionalException) {
          return body(404, "path", "not found", null);
        }
        if (t instanceof org.eclipse.jetty.io.EofException) {
          return body(400, "body", "the request body ended early", null);
        }
      }
      String id = UUID.randomUUID().toString().substring(0, 8);
      LOG.error("unexpected error {}", id, e);
      return body(500, null, "internal error " + id + " (see the server log)", null);
    }
  }
}
