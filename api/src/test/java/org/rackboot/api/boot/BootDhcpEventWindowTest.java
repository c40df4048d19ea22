package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rackboot.api.boot.DhcpEventWindow.Signature;
import org.rackboot.api.core.HostState;

/** The de-duplication of boot.dhcp events, on a fake clock (nanoseconds, moved by hand). */
class BootDhcpEventWindowTest {

  private static final long SECOND = 1_000_000_000L;
  private static final String MAC = "52:54:00:12:34:56";
  private static final Signature ROM = new Signature(0, "undionly.kpxe", null, null);

  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

  private DhcpEventWindow window(long windowSeconds, int maxMacs) {
    return new DhcpEventWindow(windowSeconds * 1000, maxMacs, clock::get);
  }

  @Test
  void firstAnswerIsRecordedRepeatsInsideTheWindowAreCountedOnly() {
    DhcpEventWindow w = window(60, 100);
    assertThat(w.shouldRecord(MAC, ROM)).isTrue();
    // A PXE ROM retries DISCOVER after 4, 8, 16 s; EDK2 asks again on 4011 at once.
    clock.addAndGet(4 * SECOND);
    assertThat(w.shouldRecord(MAC, ROM)).isFalse();
    clock.addAndGet(8 * SECOND);
    assertThat(w.shouldRecord(MAC, new Signature(0, "undionly.kpxe", null, null))).isFalse();
    assertThat(w.suppressed()).isEqualTo(2);
  }

  @Test
  void theWindowCountsFromTheLastRecordedAnswerNotTheLastRepeat() {
    DhcpEventWindow w = window(60, 100);
    assertThat(w.shouldRecord(MAC, ROM)).isTrue();
    clock.addAndGet(59 * SECOND);
    assertThat(w.shouldRecord(MAC, ROM)).isFalse();
    // 60 s after the recorded one: a new attempt, even though a repeat came 1 s ago.
    clock.addAndGet(SECOND);
    assertThat(w.shouldRecord(MAC, ROM)).isTrue();
    clock.addAndGet(SECOND);
    assertThat(w.shouldRecord(MAC, ROM)).isFalse();
    assertThat(w.suppressed()).isEqualTo(2);
  }

  @Test
  void aNewBootStepIsRecordedInsideTheWindow() {
    DhcpEventWindow w = window(60, 100);
    assertThat(w.shouldRecord(MAC, ROM)).isTrue();
    // iPXE, chain-loaded by the ROM, is told its script URL: another step of the same boot.
    Signature ipxe = new Signature(0, "http://10.0.0.1:8080/boot/ipxe?mac=" + MAC, null, null);
    assertThat(w.shouldRecord(MAC, ipxe)).isTrue();
    assertThat(w.shouldRecord(MAC, ipxe)).isFalse();
    // The agent enlisted the machine: its next boot is the host's, with a state.
    assertThat(w.shouldRecord(MAC, new Signature(0, "undionly.kpxe", "h1", HostState.DISCOVERED)))
        .isTrue();
    // Rebuilt: same file, same host, another state -> another boot.
    assertThat(w.shouldRecord(MAC, new Signature(0, "undionly.kpxe", "h1", HostState.PROVISIONING)))
        .isTrue();
    // Another architecture from the same MAC (firmware switched from BIOS to UEFI).
    assertThat(w.shouldRecord(MAC, new Signature(7, "ipxe.efi", "h1", HostState.PROVISIONING)))
        .isTrue();
    assertThat(w.suppressed()).isEqualTo(1);
  }

  @Test
  void macsAreIndependent() {
    DhcpEventWindow w = window(60, 100);
    assertThat(w.shouldRecord("02:00:00:00:00:01", ROM)).isTrue();
    assertThat(w.shouldRecord("02:00:00:00:00:02", ROM)).isTrue();
    assertThat(w.shouldRecord("02:00:00:00:00:01", ROM)).isFalse();
    assertThat(w.size()).isEqualTo(2);
  }

  @Test
  void aZeroWindowRecordsEveryAnswer() {
    DhcpEventWindow w = window(0, 100);
    for (int i = 0; i < 5; i++) {
      assertThat(w.shouldRecord(MAC, ROM)).isTrue();
    }
    assertThat(w.suppressed()).isZero();
    assertThat(w.size()).isZero();
  }

  @Test
  void aboveTheBoundExpiredMacsAreForgotten() {
    DhcpEventWindow w = window(60, 3);
    w.shouldRecord("02:00:00:00:00:01", ROM);
    w.shouldRecord("02:00:00:00:00:02", ROM);
    clock.addAndGet(61 * SECOND);
    w.shouldRecord("02:00:00:00:00:03", ROM);
    assertThat(w.size()).isEqualTo(3);
    // The fourth MAC goes over the bound: the two expired ones go, the live ones stay.
    assertThat(w.shouldRecord("02:00:00:00:00:04", ROM)).isTrue();
    assertThat(w.size()).isEqualTo(2);
    assertThat(w.shouldRecord("02:00:00:00:00:03", ROM)).isFalse();
    assertThat(w.shouldRecord("02:00:00:00:00:04", ROM)).isFalse();
  }

  @Test
  void aboveTheBoundWithNothingExpiredTheMemoryIsClearedNotGrown() {
    DhcpEventWindow w = window(60, 3);
    for (int i = 1; i <= 4; i++) {
      assertThat(w.shouldRecord("02:00:00:00:00:0" + i, ROM)).isTrue();
    }
    assertThat(w.size()).isZero();
    // Forgotten: the next answer is recorded again (an extra event, not unbounded memory).
    assertThat(w.shouldRecord("02:00:00:00:00:01", ROM)).isTrue();
  }

  @Test
  void refusesANegativeWindowOrNoRoom() {
    assertThatThrownBy(() -> new DhcpEventWindow(-1, 10, clock::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DhcpEventWindow(1000, 0, clock::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
