package io.fctoolkit.runtime.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void ceiling_doublesUpToTheMaximum() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(backoff.ceilingMillis(1)).isEqualTo(100);
    assertThat(backoff.ceilingMillis(2)).isEqualTo(200);
    assertThat(backoff.ceilingMillis(4)).isEqualTo(800);
    assertThat(backoff.ceilingMillis(5)).isEqualTo(1000);
    assertThat(backoff.ceilingMillis(99)).isEqualTo(1000);
  }

  @Test
  void delay_isFullJitterWithinTheCeiling() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      long d = backoff.delayMillis(3);
      assertThat(d).isBetween(0L, 400L);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    // Full jitter spreads over the whole range, not just near the ceiling.
    assertThat(min).isLessThan(50);
    assertThat(max).isGreaterThan(350);
  }

  @Test
  void zeroBackoff_retriesAtOnce() {
    assertThat(new Backoff(Duration.ZERO, Duration.ZERO).delayMillis(3)).isZero();
  }
}
