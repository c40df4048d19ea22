package org.rackboot.api.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rackboot.api.boot.DhcpEventWindow.Signature;

/** The budget for events about unknown machines, on a fake clock (nanoseconds, moved by hand). */
class EventBudgetTest {

  private static final long SECOND = 1_000_000_000L;
  private static final Signature ROM = new Signature(0, "undionly.kpxe", null, null);

  private final AtomicLong clock = new AtomicLong(5_000 * SECOND);

  private int take(EventBudget b, int tries) {
    int taken = 0;
    for (int i = 0; i < tries; i++) {
      taken += b.tryTake() ? 1 : 0;
    }
    return taken;
  }

  @Test
  void aBurstPassesThenTheRate() {
    EventBudget b = new EventBudget(20, 100, clock::get);
    assertThat(take(b, 150)).isEqualTo(100);
    assertThat(b.refused()).isEqualTo(50);
    clock.addAndGet(SECOND);
    assertThat(take(b, 50)).isEqualTo(20);
    // Never more than the burst, however long it was quiet.
    clock.addAndGet(7200 * SECOND);
    assertThat(take(b, 500)).isEqualTo(100);
  }

  @Test
  void aSlowRateIsNotRoundedAway() {
    EventBudget b = new EventBudget(3, 1, clock::get);
    assertThat(take(b, 5)).isEqualTo(1);
    int taken = 0;
    for (int ms = 0; ms < 10_000; ms += 10) {
      clock.addAndGet(10_000_000L);
      taken += take(b, 1);
    }
    assertThat(taken).isEqualTo(30);
  }

  @Test
  void zeroMeansNoLimit() {
    EventBudget b = new EventBudget(0, 1, clock::get);
    assertThat(take(b, 10_000)).isEqualTo(10_000);
    assertThat(b.refused()).isZero();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new EventBudget(-1, 10, clock::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EventBudget(10, 0, clock::get))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRefusedEventIsTriedAgainAtTheMachinesNextRequest() {
    DhcpEventWindow w = new DhcpEventWindow(60_000, 100, clock::get);
    EventBudget b = new EventBudget(1, 1, clock::get);
    assertThat(w.shouldRecord("02:00:00:00:00:01", ROM, b::tryTake)).isTrue();
    // The budget is spent: the second machine is not recorded, and not remembered either.
    assertThat(w.shouldRecord("02:00:00:00:00:02", ROM, b::tryTake)).isFalse();
    assertThat(w.size()).isEqualTo(1);
    // Its ROM retries 4 s later: the budget has refilled, so now it is recorded.
    clock.addAndGet(4 * SECOND);
    assertThat(w.shouldRecord("02:00:00:00:00:02", ROM, b::tryTake)).isTrue();
    // A repeat inside the window is suppressed before the budget is asked: no token spent.
    assertThat(w.shouldRecord("02:00:00:00:00:01", ROM, b::tryTake)).isFalse();
    assertThat(w.suppressed()).isEqualTo(1);
    assertThat(b.refused()).isEqualTo(1);
  }
}
