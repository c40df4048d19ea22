package org.rackboot.api.resources;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import org.rackboot.api.core.ApiException;
import org.rackboot.api.core.Texts;

/** ETags, If-Match, cursors and query parameters, parsed the same way everywhere. */
final class Http {

  private Http() {}

  /** The entity tag of a version: strong, the decimal version in quotes. */
  static EntityTag etag(long version) {
    return new EntityTag(Long.toString(version));
  }

  static Response ok(Object entity, long version) {
    return Response.ok(entity).tag(etag(version)).build();
  }

  /**
   * The version an If-Match header demands, null when absent or {@code *}. A tag that is not
   * one of our versions can never match: 412, as RFC 9110 section 13.1.1 says.
   */
  static Long ifMatch(String header) {
    if (header == null || header.isBlank() || header.strip().equals("*")) {
      return null;
    }
    String t = header.strip();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new ApiException(412, "If-Match", "entity tag " + Texts.quoteForMessage(header)
          + " matches no version of this resource");
    }
  }

  static int limit(String text, int dflt, int max) {
    if (text == null || text.isEmpty()) {
      return dflt;
    }
    int limit;
    try {
      limit = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > max) {
      throw new ApiException(400, "limit", "must be an integer between 1 and " + max + ", got "
          + Texts.quoteForMessage(text));
    }
    return limit;
  }

  /** Opaque cursor: base64url of the last row's position. */
  static String cursor(long seq) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("h:" + seq).getBytes(StandardCharsets.US_ASCII));
  }

  static long fromCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (s.startsWith("h:")) {
        long v = Long.parseLong(s.substring(2));
        if (v >= 0) {
          return v;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw new ApiException(400, "cursor", "not a cursor this API handed out: "
        + Texts.quoteForMessage(cursor));
  }

  static Instant instant(String field, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ApiException(400, field, "must be an ISO-8601 UTC time such as"
          + " 2026-11-25T12:00:00Z, got " + Texts.quoteForMessage(value));
    }
  }

  static Boolean bool(String field, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ApiException(400, field, "must be true or false, got "
          + Texts.quoteForMessage(value));
    };
  }
}
