package org.rackboot.images;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** A sha256 digest as 64 lower-case hex characters, normalized once at the edge. */
public record Sha256(@JsonValue String hex) {

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public Sha256 {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "expected sha256 as 64 hex characters, got " + (hex == null ? "nothing" : "'" + abbreviate(hex) + "'"));
    }
  }

  /** Parses hex in either case; refuses anything else with {@link ImageStoreException}. */
  @JsonCreator
  public static Sha256 of(String hex) {
    try {
      return new Sha256(hex == null ? null : hex.trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ImageStoreException.invalid("sha256", e.getMessage());
    }
  }

  public static Sha256 of(byte[] digest) {
    return new Sha256(HexFormat.of().formatHex(digest));
  }

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static Sha256 ofString(String s) {
    return of(newDigest().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  @Override
  public String toString() {
    return hex;
  }
}
