package org.rackboot.api.boot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The boot flow's host credentials, random and stored as sha256 only (once used):
 *
 * <ul>
 *   <li>{@code rbp_}: the provisioning token of one install attempt (a rebuild request starts
 *       one). Issued once, to the host's boot NIC, on the installer's kernel command line or in
 *       its template URL. Like Ironic's agent token it is not handed out again once the
 *       installer used it; unlike it, the boot NIC is sent the same token again until then, so a
 *       firmware retry before the kernel ran (a network blip, a PXE ROM that asks twice) still
 *       installs. A repeated script fetch never replaces it, so no bystander can revoke it. It
 *       dies when the result is reported, at the next rebuild request and at retirement.
 *   <li>{@code rbc_}: the check-in token, issued in the answer to a successful result, bound to
 *       the host; it only reports the image the host runs and dies at the next rebuild.
 * </ul>
 */
public final class ProvisionTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ProvisionTokens() {}

  /** A new token: 32 random bytes, URL-safe base64 (safe on a kernel command line). */
  public static String newToken() {
    return random("rbp_");
  }

  /** A new check-in token, same shape as a provisioning token with its own prefix. */
  public static String newCheckInToken() {
    return random("rbc_");
  }

  private static String random(String prefix) {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Constant-time comparison of a presented token against a stored hash. */
  public static boolean matches(String presented, String storedHash) {
    if (presented == null || storedHash == null) {
      return false;
    }
    return MessageDigest.isEqual(
        hash(presented).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
