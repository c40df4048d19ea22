package org.rackboot.tftp.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * UDP segmentation offload on a real loopback socket. Surefire starts the JVM with what the
 * application jar's manifest grants {@code java -jar} (the opened {@code sun.nio.ch}, native
 * access), so the offload must be available here, on any JDK 17+: without them this fails.
 */
class UdpSegmentationTest {

  @Test
  void isAvailableWithWhatTheApplicationJarGrants() {
    UdpSegmentation s = UdpSegmentation.probe();
    assertThat(s.unavailableReason()).isNull();
    assertThat(s.available()).isTrue();
  }

  @Test
  void oneSendLeavesAsDatagramsOfTheSegmentSizeWithAShorterLastOne() throws Exception {
    try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel tx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      tx.connect(rx.getLocalAddress());
      assertThat(UdpSegmentation.probe().enable(tx, 516)).isTrue();
      ByteBuffer out = ByteBuffer.allocateDirect(3 * 516 + 100);
      for (int i = 0; out.hasRemaining(); i++) {
        out.put((byte) i);
      }
      out.flip();
      assertThat(tx.write(out)).isEqualTo(3 * 516 + 100);

      List<Integer> sizes = new ArrayList<>();
      ByteBuffer in = ByteBuffer.allocate(65536);
      int expectedFirstByte = 0;
      for (int d = 0; d < 4; d++) {
        in.clear();
        rx.receive(in);
        in.flip();
        sizes.add(in.remaining());
        // Each datagram starts where the previous one ended: the bytes arrive in order, uncut.
        assertThat(in.get(0)).isEqualTo((byte) expectedFirstByte);
        expectedFirstByte += in.remaining();
      }
      assertThat(sizes).containsExactly(516, 516, 516, 100);
    }
  }

  @Test
  void aSendNoLargerThanOneSegmentIsAnOrdinaryDatagram() throws Exception {
    try (DatagramChannel rx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel tx = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      tx.connect(rx.getLocalAddress());
      assertThat(UdpSegmentation.probe().enable(tx, 1472)).isTrue();
      assertThat(tx.write(ByteBuffer.wrap(new byte[40]))).isEqualTo(40);
      ByteBuffer in = ByteBuffer.allocate(65536);
      rx.receive(in);
      assertThat(in.position()).isEqualTo(40);
    }
  }

  @Test
  void segmentsPerSendStayWithinTheKernelsLimits() {
    assertThat(UdpSegmentation.segmentsPerSend(1472)).isEqualTo(44);
    assertThat(UdpSegmentation.segmentsPerSend(516)).isEqualTo(64);
    assertThat(UdpSegmentation.segmentsPerSend(12)).isEqualTo(64);
    assertThat(UdpSegmentation.segmentsPerSend(8196)).isEqualTo(7);
    assertThat(UdpSegmentation.segmentsPerSend(32_500)).isEqualTo(2);
    assertThat(UdpSegmentation.segmentsPerSend(65_468)).isEqualTo(1);
  }

  @Test
  void blocksTooLargeForTwoPerSendAndAnOffInstanceAreNotSegmented() throws Exception {
    try (DatagramChannel tx = DatagramChannel.open()) {
      assertThat(UdpSegmentation.probe().enable(tx, 40_000)).isFalse();
      UdpSegmentation off = UdpSegmentation.off("told so");
      assertThat(off.available()).isFalse();
      assertThat(off.unavailableReason()).isEqualTo("told so");
      assertThat(off.enable(tx, 1472)).isFalse();
    }
  }
}
