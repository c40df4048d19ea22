package org.rackboot.dhcp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing with Jazzer. In a normal build (mvn verify) it replays the seed corpus
 * in src/test/resources/org/rackboot/dhcp/wire/DhcpDecoderFuzzTestInputs (the captured
 * packets); to fuzz for real: {@code JAZZER_FUZZ=1 ./mvnw -pl dhcp-proxy test
 * -Dtest=DhcpDecoderFuzzTest}.
 */
class DhcpDecoderFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void decodeEitherRefusesOrRoundTrips(byte[] data) {
    DhcpMessage m;
    try {
      m = DhcpMessage.decode(ByteBuffer.wrap(data));
    } catch (MalformedPacketException expected) {
      return;
    }
    ByteBuffer out = ByteBuffer.allocate(70_000);
    m.encode(out, out.capacity());
    out.flip();
    assertThat(DhcpMessage.decode(out)).isEqualTo(m);
  }
}
