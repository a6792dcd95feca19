package io.fctoolkit.runtime.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartScheduleTest {

  @Test
  void delays_doubleWithJitterUpToTheMaximum_whileTheProcessKeepsFailing() {
    for (int run = 0; run < 200; run++) {
      // Given
      RestartSchedule schedule =
          new RestartSchedule(
              Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(60));

      // When / Then: half fixed, half random, doubling, capped
      assertThat(schedule.exitedAfter(Duration.ofSeconds(5))).isBetween(50L, 100L);
      assertThat(schedule.startFailed()).isBetween(100L, 200L);
      assertThat(schedule.startFailed()).isBetween(200L, 400L);
      assertThat(schedule.exitedAfter(Duration.ofSeconds(1))).isBetween(400L, 800L);
      assertThat(schedule.startFailed()).isBetween(500L, 1000L);
      assertThat(schedule.startFailed()).isBetween(500L, 1000L);
      assertThat(schedule.attempt()).isEqualTo(6);
    }
  }

  @Test
  void count_startsOver_onlyAfterTheProcessStayedUp() {
    // Given
    RestartSchedule schedule =
        new RestartSchedule(Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(60));
    schedule.exitedAfter(Duration.ofSeconds(1));
    schedule.startFailed();
    schedule.exitedAfter(Duration.ofSeconds(59));
    assertThat(schedule.attempt()).isEqualTo(3);

    // When
    long delay = schedule.exitedAfter(Duration.ofSeconds(60));

    // Then
    assertThat(schedule.attempt()).isEqualTo(1);
    assertThat(delay).isBetween(50L, 100L);
  }

  @Test
  void jitter_spreadsTheDelays() {
    RestartSchedule schedule =
        new RestartSchedule(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(60));
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 100; i++) {
      seen.add(schedule.startFailed());
    }
    assertThat(seen).hasSizeGreaterThan(10);
  }
}
