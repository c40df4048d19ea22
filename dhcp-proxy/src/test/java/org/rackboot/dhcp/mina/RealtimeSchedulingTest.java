package org.rackboot.dhcp.mina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Runs chrt for real: needs root (CAP_SYS_NICE), as the tests with real peers do. */
class RealtimeSchedulingTest {

  @Test
  void aThreadMovesToSchedFifoAndOnlyThatThread() throws Exception {
    AtomicReference<Optional<String>> failure = new AtomicReference<>();
    AtomicInteger policy = new AtomicInteger(-1);
    Thread t = new Thread(() -> {
      failure.set(RealtimeScheduling.applyToCurrentThread(1));
      try {
        policy.set(RealtimeScheduling.currentThreadPolicy());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    t.start();
    t.join(30_000);
    assertThat(failure.get()).isEmpty();
    assertThat(policy.get()).isEqualTo(RealtimeScheduling.POLICY_FIFO);
    assertThat(RealtimeScheduling.currentThreadPolicy()).isZero();
  }

  @Test
  void aPriorityOutsideOneToNinetyNineIsRefusedBeforeAnythingRuns() {
    assertThatThrownBy(() -> RealtimeScheduling.applyToCurrentThread(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-99, not 0");
    assertThatThrownBy(() -> RealtimeScheduling.applyToCurrentThread(100))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-99, not 100");
  }

  @Test
  void theThreadIdIsTheLastPartOfTheThreadSelfLink() {
    assertThat(RealtimeScheduling.threadId("4079/task/4123")).isEqualTo("4123");
    for (String bad : new String[] {"4079", "4079/task/", "4079/task/12x", "../task/1;rm"}) {
      assertThatThrownBy(() -> RealtimeScheduling.threadId(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
    }
  }
}
