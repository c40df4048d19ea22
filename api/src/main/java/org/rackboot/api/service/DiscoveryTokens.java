package org.rackboot.api.service;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.rackboot.dhcp.wire.MacAddress;

/**
 * Per-boot discovery tokens. A discovery script no longer carries the shared discovery secret
 * (anyone on the provisioning network can fetch a discovery script): it carries a token bound
 * to the MAC that asked for the script, valid for {@link #TTL}, and signed with a key derived
 * from the shared secret. Every node that shares the secret verifies it without a database
 * write, and a restart does not invalidate the agents that are booting.
 *
 * <p>Format: {@code rbd_<expiry, epoch seconds>_<base64url HMAC-SHA256(key, mac|expiry)>}, safe
 * on a kernel command line. The MAC is not in the token: a report's MACs are tried, so the
 * token proves which of the report's NICs booted the agent.
 */
public final class DiscoveryTokens {

  /** Long enough for a slow agent download and boot; short enough that a leaked one expires. */
  public static final Duration TTL = Duration.ofHours(1);

  static final String PREFIX = "rbd_";

  private final byte[] key;

  /** @param sharedSecret api.discoveryToken; the key is derived from it, never the secret. */
  public DiscoveryTokens(String sharedSecret) {
    if (sharedSecret == null || sharedSecret.isEmpty()) {
      throw new IllegalArgumentException("no discovery secret: discovery is off");
    }
    this.key = hmac(sharedSecret.getBytes(StandardCharsets.UTF_8),
        "rackboot discovery boot token v1");
  }

  public static boolean looksLikeOne(String token) {
    return token != null && token.startsWith(PREFIX);
  }

  /** A token for the agent booted by {@code mac}, expiring {@link #TTL} after {@code now}. */
  public String issue(MacAddress mac, Instant now) {
    long expiry = now.plus(TTL).getEpochSecond();
    return PREFIX + expiry + "_" + sign(mac, expiry);
  }

  /**
   * The MAC among {@code macs} that {@code token} was issued to; empty when the token is
   * malformed, expired, or issued to none of them.
   */
  public Optional<MacAddress> verify(String token, Collection<MacAddress> macs, Instant now) {
    if (!looksLikeOne(token)) {
      return Optional.empty();
    }
    int sep = token.indexOf('_', PREFIX.length());
    if (sep < 0 || sep - PREFIX.length() > 19) {
      return Optional.empty();
    }
    long expiry;
    try {
      expiry = Long.parseLong(token.substring(PREFIX.length(), sep));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    // A token claiming a far expiry was not made here (issue adds TTL to the present).
    if (expiry < now.getEpochSecond() || expiry > now.plus(TTL).getEpochSecond() + 60) {
      return Optional.empty();
    }
    byte[] presented = token.substring(sep + 1).getBytes(StandardCharsets.US_ASCII);
    for (MacAddress mac : macs) {
      byte[] expected = sign(mac, expiry).getBytes(StandardCharsets.US_ASCII);
      if (MessageDigest.isEqual(presented, expected)) {
        return Optional.of(mac);
      }
    }
    return Optional.empty();
  }

  private String sign(MacAddress mac, long expiry) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        hmac(key, mac + "|" + expiry));
  }

  private static byte[] hmac(byte[] key, String text) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JRE has HmacSHA256", e);
    }
  }
}
