package org.rackboot.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One line per kind and interval, and the next line says how many were left out. */
class RateLimitedLogTest {

  @Test
  void logsOncePerIntervalPerKindAndCountsTheRest() {
    Logger logger = ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger("rate-limited-log-test");
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    logger.addAppender(seen);
    AtomicLong now = new AtomicLong(1_000);
    RateLimitedLog log = new RateLimitedLog(logger, Duration.ofSeconds(10), now::get);

    assertThat(log.warn("db", "database away")).isTrue();
    for (int i = 0; i < 450; i++) {
      assertThat(log.warn("db", "database away")).isFalse();
    }
    // Another kind has its own interval.
    assertThat(log.warn("events", "holding events")).isTrue();
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertThat(log.warn("db", "database away")).isTrue();
    assertThat(log.warn("db", "database away")).isFalse();

    assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "database away",
        "holding events",
        "database away (450 more like it since the last such line, not logged)");
    assertThat(seen.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
  }
}
