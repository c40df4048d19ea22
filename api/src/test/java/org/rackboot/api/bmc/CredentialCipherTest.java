package org.rackboot.api.bmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String OTHER_KEY = Base64.getEncoder().encodeToString(
      "0123456789abcdef0123456789abcdef".getBytes());

  @Test
  void sealsAndOpensPerHost() {
    CredentialCipher c = CredentialCipher.fromBase64(KEY);
    String a = c.seal("host-1", "s3cret");
    String b = c.seal("host-1", "s3cret");
    assertThat(a).startsWith("v1:").doesNotContain("s3cret");
    // A fresh nonce each time: the same password never seals to the same text.
    assertThat(a).isNotEqualTo(b);
    assertThat(c.open("host-1", a)).isEqualTo("s3cret");
    // Copied onto another host's row, it does not open.
    assertThatThrownBy(() -> c.open("host-2", a))
        .isInstanceOf(CredentialCipher.SealedValueException.class);
  }

  @Test
  void anotherKeyOrChangedBytesDoNotOpen() {
    String sealed = CredentialCipher.fromBase64(KEY).seal("h", "pw");
    assertThatThrownBy(() -> CredentialCipher.fromBase64(OTHER_KEY).open("h", sealed))
        .isInstanceOf(CredentialCipher.SealedValueException.class);
    byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
    raw[raw.length - 1] ^= 1;
    String flipped = "v1:" + Base64.getEncoder().encodeToString(raw);
    assertThatThrownBy(() -> CredentialCipher.fromBase64(KEY).open("h", flipped))
        .isInstanceOf(CredentialCipher.SealedValueException.class);
    assertThatThrownBy(() -> CredentialCipher.fromBase64(KEY).open("h", "pw"))
        .isInstanceOf(CredentialCipher.SealedValueException.class);
  }

  @Test
  void keysMustBe32BytesOfBase64() {
    assertThatThrownBy(() -> CredentialCipher.fromBase64("c2hvcnQ="))
        .hasMessageContaining("32 bytes").hasMessageContaining("got 5");
    assertThatThrownBy(() -> CredentialCipher.fromBase64("not base64!"))
        .hasMessageContaining("base64");
  }
}
