package org.rackboot.api.bmc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals BMC passwords for the database with AES-256-GCM. Each value gets a fresh random 96-bit
 * nonce (NIST SP 800-38D's recommended size) and the host id as associated data, so a sealed
 * value copied onto another host's row does not open there. Stored as {@code v1:} + base64
 * (nonce, ciphertext and 128-bit tag), so that a later key or scheme can sit beside it.
 */
public final class CredentialCipher {

  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  private CredentialCipher(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * The cipher of a configured key: base64 of exactly 32 bytes. Throws
   * IllegalArgumentException saying what is wrong (never echoing the key).
   */
  public static CredentialCipher fromBase64(String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not base64");
    }
    if (raw.length != 32) {
      throw new IllegalArgumentException("must be 32 bytes (base64 of 44 characters), got "
          + raw.length + " bytes");
    }
    return new CredentialCipher(raw);
  }

  public String seal(String hostId, String secret) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(hostId.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + ct.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(ct, 0, out, nonce.length, ct.length);
      return PREFIX + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /**
   * Opens a sealed value of host {@code hostId}. Throws {@link SealedValueException} when it
   * does not open: another key, another host's row, or changed bytes.
   */
  public String open(String hostId, String sealed) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new SealedValueException("not a v1 sealed value");
    }
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
      if (in.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new SealedValueException("too short");
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      c.updateAAD(hostId.getBytes(StandardCharsets.UTF_8));
      byte[] pt = c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
      return new String(pt, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException | javax.crypto.AEADBadTagException e) {
      throw new SealedValueException("does not open with bmc.credentialKey (another key, or"
          + " changed bytes)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /** A stored value that does not open with this key. */
  public static final class SealedValueException extends RuntimeException {
    public SealedValueException(String message) {
      super(message);
    }
  }
}
