package org.rackboot.tftp.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rackboot.tftp.transfer.Transfer.Action.DONE;
import static org.rackboot.tftp.transfer.Transfer.Action.GIVE_UP;
import static org.rackboot.tftp.transfer.Transfer.Action.NONE;
import static org.rackboot.tftp.transfer.Transfer.Action.SEND_DATA;
import static org.rackboot.tftp.transfer.Transfer.Action.SEND_OACK;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transfer state machine with a fake clock in microseconds. */
class TransferTest {

  static final long T = 1_000_000; // timeout: 1 s

  @Test
  void lockStepWithoutOptions() {
    Transfer t = new Transfer(1000, 512, 1, T, 3, false);
    assertThat(t.start(0)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(1);
    assertThat(t.sendCount()).isEqualTo(1);
    assertThat(t.lengthOf(1)).isEqualTo(512);
    assertThat(t.onAck(1, 10)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(2);
    assertThat(t.lengthOf(2)).isEqualTo(488);
    assertThat(t.onAck(2, 20)).isEqualTo(DONE);
    assertThat(t.finished()).isTrue();
  }

  @Test
  void multipleOfBlockSizeEndsWithAnEmptyBlock() {
    Transfer t = new Transfer(1024, 512, 1, T, 3, false);
    assertThat(t.lastBlock()).isEqualTo(3);
    assertThat(t.lengthOf(3)).isZero();
    Transfer empty = new Transfer(0, 512, 1, T, 3, false);
    empty.start(0);
    assertThat(empty.lengthOf(1)).isZero();
    assertThat(empty.onAck(1, 1)).isEqualTo(DONE);
  }

  @Test
  void oackThenAckZeroStartsData() {
    Transfer t = new Transfer(10, 512, 1, T, 3, true);
    assertThat(t.start(0)).isEqualTo(SEND_OACK);
    assertThat(t.onAck(5, 1)).isEqualTo(NONE);
    assertThat(t.onAck(0, 2)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(1);
    assertThat(t.onAck(0, 3)).isEqualTo(NONE);
  }

  @Test
  void unansweredOackIsResentThenGivenUp() {
    Transfer t = new Transfer(10, 512, 1, T, 2, true);
    t.start(0);
    assertThat(t.onTimeout(T - 1)).isEqualTo(NONE);
    assertThat(t.onTimeout(T)).isEqualTo(SEND_OACK);
    assertThat(t.onTimeout(2 * T)).isEqualTo(SEND_OACK);
    assertThat(t.onTimeout(3 * T)).isEqualTo(GIVE_UP);
    assertThat(t.onTimeout(4 * T)).isEqualTo(NONE);
  }

  /** RFC 1123 4.2.3.1: a duplicate ACK must not trigger DATA; only the timer resends. */
  @Test
  void duplicateAckSendsNothing() {
    Transfer t = new Transfer(5000, 512, 1, T, 3, false);
    t.start(0);
    assertThat(t.onAck(1, 10)).isEqualTo(SEND_DATA);
    assertThat(t.onAck(1, 11)).isEqualTo(NONE);
    assertThat(t.onAck(1, 12)).isEqualTo(NONE);
    assertThat(t.onTimeout(10 + T)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(2);
  }

  @Test
  void retriesResetOnProgressAndAreBounded() {
    Transfer t = new Transfer(5000, 512, 1, T, 2, false);
    t.start(0);
    assertThat(t.onTimeout(T)).isEqualTo(SEND_DATA);
    assertThat(t.onTimeout(2 * T)).isEqualTo(SEND_DATA);
    assertThat(t.retries()).isEqualTo(2);
    assertThat(t.onAck(1, 2 * T + 5)).isEqualTo(SEND_DATA);
    assertThat(t.retries()).isZero();
    assertThat(t.onTimeout(3 * T + 5)).isEqualTo(SEND_DATA);
    assertThat(t.onTimeout(4 * T + 5)).isEqualTo(SEND_DATA);
    assertThat(t.onTimeout(5 * T + 5)).isEqualTo(GIVE_UP);
    assertThat(t.finished()).isTrue();
    assertThat(t.onlyLastAckMissing()).as("given up at block 2 of 10").isFalse();
  }

  /** A client that does not dally leaves without the server seeing its final ACK if it is lost. */
  @Test
  void givingUpOnTheLastAckAloneIsTold() {
    Transfer t = new Transfer(1000, 512, 1, T, 1, false);
    assertThat(t.start(0)).isEqualTo(SEND_DATA);
    assertThat(t.onlyLastAckMissing()).isFalse();
    assertThat(t.onAck(1, 1)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(t.lastBlock());
    assertThat(t.onTimeout(1 + T)).isEqualTo(SEND_DATA);
    assertThat(t.onTimeout(1 + 2 * T)).isEqualTo(GIVE_UP);
    assertThat(t.onlyLastAckMissing()).isTrue();

    // A window with more than the last block outstanding is a failure, not a lost final ACK.
    Transfer w = new Transfer(10 * 512 + 7, 512, 4, T, 1, false);
    w.start(0);
    w.onAck(4, 1);
    w.onAck(8, 2);
    assertThat(w.sendFrom()).isEqualTo(9);
    assertThat(w.onTimeout(2 + T)).isEqualTo(SEND_DATA);
    assertThat(w.onTimeout(2 + 2 * T)).isEqualTo(GIVE_UP);
    assertThat(w.onlyLastAckMissing()).isFalse();
  }

  /** 33 MiB at blksize 512: block 65535 is followed by 0, and ACKs after the wrap still count. */
  @Test
  void blockNumbersRollOverToZero() {
    long size = 33L << 20;
    Transfer t = new Transfer(size, 512, 1, T, 3, false);
    t.start(0);
    long now = 0;
    for (long b = 1; b < t.lastBlock(); b++) {
      assertThat(t.onAck(Transfer.wireBlock(b), ++now)).isEqualTo(SEND_DATA);
      assertThat(t.sendFrom()).isEqualTo(b + 1);
    }
    assertThat(Transfer.wireBlock(65535)).isEqualTo(65535);
    assertThat(Transfer.wireBlock(65536)).isZero();
    assertThat(t.offsetOf(65536)).isEqualTo(65535L * 512);
    assertThat(t.lastBlock()).isEqualTo(67585);
    assertThat(t.onAck(Transfer.wireBlock(67585), ++now)).isEqualTo(DONE);
  }

  @Test
  void staleAckFromBeforeTheWrapIsIgnored() {
    Transfer t = new Transfer(40L << 20, 512, 1, T, 3, false);
    t.start(0);
    for (long b = 1; b <= 65536; b++) {
      t.onAck(Transfer.wireBlock(b), b);
    }
    // Now waiting for block 65537 (wire 1); an old ACK 65535 must not move anything.
    assertThat(t.onAck(65535, 70_000)).isEqualTo(NONE);
    assertThat(t.onAck(1, 70_001)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(65538);
  }

  @Test
  void windowsOfFour() {
    Transfer t = new Transfer(10 * 512 + 7, 512, 4, T, 3, true);
    t.start(0);
    assertThat(t.onAck(0, 1)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(1);
    assertThat(t.sendCount()).isEqualTo(4);
    assertThat(t.onAck(4, 2)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(5);
    assertThat(t.sendCount()).isEqualTo(4);
    assertThat(t.onAck(8, 3)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(9);
    assertThat(t.sendCount()).isEqualTo(3); // 9, 10 and the 7-byte block 11
    assertThat(t.onAck(11, 4)).isEqualTo(DONE);
  }

  /** RFC 7440 section 4: the client ACKs the last block before a gap; resend from there. */
  @Test
  void ackInsideTheWindowRestartsAfterIt() {
    Transfer t = new Transfer(100 * 512, 512, 8, T, 3, true);
    t.start(0);
    t.onAck(0, 1);
    assertThat(t.onAck(5, 2)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(6);
    assertThat(t.sendCount()).isEqualTo(8);
    // The late ACK of the old window's end is now behind, and a repeat of 5 is a duplicate.
    assertThat(t.onAck(5, 3)).isEqualTo(NONE);
    assertThat(t.onAck(13, 4)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(14);
  }

  @Test
  void timeoutResendsTheWholeUnacknowledgedWindow() {
    Transfer t = new Transfer(100 * 512, 512, 8, T, 3, true);
    t.start(0);
    t.onAck(0, 0);
    t.onAck(8, 10);
    assertThat(t.onTimeout(10 + T)).isEqualTo(SEND_DATA);
    assertThat(t.sendFrom()).isEqualTo(9);
    assertThat(t.sendCount()).isEqualTo(8);
  }

  @Test
  void windowsAcrossTheRollover() {
    Transfer t = new Transfer(70_000L * 512, 512, 16, T, 3, true);
    t.start(0);
    t.onAck(0, 0);
    long acked = 0;
    while (acked + 16 < 65600) {
      acked += 16;
      assertThat(t.onAck(Transfer.wireBlock(acked), acked)).isEqualTo(SEND_DATA);
    }
    assertThat(t.sendFrom()).isEqualTo(acked + 1);
    assertThat(acked).isGreaterThan(65536);
  }

  @Test
  void negotiationAcceptsCapsAndLeavesOutBadValues() {
    TransferLimits limits = new TransferLimits(1468, 16, T, 5, true);
    Negotiation n = Negotiation.negotiate(
        Map.of("blksize", "9000", "windowsize", "64", "tsize", "0", "timeout", "3"), 4242, limits);
    assertThat(n.blockSize()).isEqualTo(1468);
    assertThat(n.windowSize()).isEqualTo(16);
    assertThat(n.timeoutMicros()).isEqualTo(3_000_000);
    assertThat(n.oack()).containsEntry("tsize", "4242").containsEntry("blksize", "1468")
        .containsEntry("windowsize", "16").containsEntry("timeout", "3");

    Negotiation bad = Negotiation.negotiate(Map.of("blksize", "7", "windowsize", "0",
        "timeout", "256", "tsize", "-1", "unknown", "1"), 10, limits);
    assertThat(bad.oack()).isEmpty();
    assertThat(bad.blockSize()).isEqualTo(512);
    assertThat(bad.windowSize()).isEqualTo(1);
    assertThat(bad.timeoutMicros()).isEqualTo(T);
  }

  /** A window must fit the socket's send buffer: RFC 7440 lets the server answer a smaller one. */
  @Test
  void windowIsHeldToTheSendBuffer() {
    TransferLimits limits = TransferLimits.defaults();
    // 212992 bytes (Linux's common net.core.wmem_max): 12 datagrams of 16384 + 32.
    Negotiation n = Negotiation.negotiate(
        new java.util.LinkedHashMap<>(Map.of("blksize", "16384", "windowsize", "64")), 1 << 30,
        limits, 212_992);
    assertThat(n.windowSize()).isEqualTo(12);
    assertThat(n.oack()).containsEntry("windowsize", "12").containsEntry("blksize", "16384");
    // Small windows are untouched; a block larger than the buffer still gets lock-step.
    assertThat(Negotiation.negotiate(Map.of("blksize", "1468", "windowsize", "16"), 1 << 30, limits,
        212_992).windowSize()).isEqualTo(16);
    assertThat(Negotiation.negotiate(Map.of("blksize", "65464", "windowsize", "8"), 1 << 30, limits,
        60_000).oack()).containsEntry("windowsize", "1");
  }

  @Test
  void adaptiveTimeoutFollowsTheRoundTripAndBacksOff() {
    Transfer t = new Transfer(100 * 512, 512, 1, T, 3, false, true);
    t.start(0);
    assertThat(t.timeoutMicros()).isEqualTo(T);
    long now = 0;
    for (int b = 1; b <= 20; b++) {
      now += 2_000; // 2 ms round trips
      t.onAck(b, now);
    }
    assertThat(t.timeoutMicros()).isEqualTo(Transfer.MIN_ADAPTIVE_TIMEOUT_MICROS);
    long rto = t.timeoutMicros();
    assertThat(t.onTimeout(now + rto - 1)).isEqualTo(NONE);
    assertThat(t.onTimeout(now + rto)).isEqualTo(SEND_DATA);
    assertThat(t.timeoutMicros()).isEqualTo(2 * rto);
  }

  @Test
  void adaptiveTimeoutGivesUpOnlyAfterTheFullConfiguredSilence() {
    Transfer t = new Transfer(100 * 512, 512, 1, T, 2, false, true);
    t.start(0);
    t.onAck(1, 1000);
    long now = 1000;
    Transfer.Action a;
    do {
      now = t.deadline();
      a = t.onTimeout(now);
    } while (a == SEND_DATA);
    assertThat(a).isEqualTo(GIVE_UP);
    assertThat(now - 1000).isGreaterThanOrEqualTo(3 * T);
  }
}
