package org.rackboot.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error pages in the API's shape, {@code {"code","field","message"}}, whatever the
 * client accepts: requests Jetty refuses before any servlet runs (an ambiguous URI such as
 * {@code ..%2f..} or {@code //}, a URI or headers too long, a malformed request line) and
 * servlet-level errors alike. Jersey's own errors never get here (ErrorMappers answers them).
 * This class serves the server; {@link ForServlets} the servlet contexts (API and admin).
 */
public final class JsonErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {

  private static final ObjectMapper JSON = new ObjectMapper();

  public JsonErrorHandler() {
    setShowStacks(false);
  }

  @Override
  protected boolean generateAcceptableResponse(Request request, Response response,
      Callback callback, String contentType, List<Charset> charsets, int code, String message,
      Throwable cause) throws IOException {
    return super.generateAcceptableResponse(request, response, callback, "application/json",
        List.of(StandardCharsets.UTF_8), code, message, cause);
  }

  @Override
  protected void writeErrorJson(Request request, PrintWriter writer, int code, String message,
      Throwable cause) {
    writer.write(body(code, message));
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
    return ByteBuffer.wrap(body(status, reason).getBytes(StandardCharsets.UTF_8));
  }

  /** The servlet contexts' error handler, with the same body. */
  public static final class ForServlets extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

    public ForServlets() {
      setShowStacks(false);
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response,
        Callback callback, String contentType, List<Charset> charsets, int code, String message,
        Throwable cause) throws IOException {
      return super.generateAcceptableResponse(request, response, callback, "application/json",
          List.of(StandardCharsets.UTF_8), code, message, cause);
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message,
        Throwable cause) {
      writer.write(body(code, message));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
      return ByteBuffer.wrap(body(status, reason).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The field at fault follows from the status: Jetty refuses the URI, headers or method. */
  static String body(int code, String message) {
    String field = code == 405 ? "method"
        : code == 431 ? "headers"
        : code == 413 ? "body"
        : code < 500 ? "path" : null;
    String m = message == null || message.isBlank()
        ? org.eclipse.jetty.http.HttpStatus.getMessage(code) : message;
    // Jetty's message can quote the request: cut it, and never echo a long URI back.
    if (m.length() > 200) {
      m = m.substring(0, 200) + "...";
    }
    try {
      return JSON.writeValueAsString(new ApiError(code, field, m, null));
    } catch (JsonProcessingException e) {
      return "{\"code\":" + code + ",\"message\":\"error\"}";
    }
  }
}
