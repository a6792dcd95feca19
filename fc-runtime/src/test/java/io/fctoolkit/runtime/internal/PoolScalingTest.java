package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolScalingTest {

  private static final long T0 = 1_000_000_000L;
  private static final Duration IDLE = Duration.ofMinutes(5);
  private static final Duration RETIRE = Duration.ofSeconds(2);

  // concurrency 10, min 0, max 10, standby 1, 2 launches at once
  private final PoolScaling scaling =
      new PoolScaling(new PoolSizing(10, 0, 10, 1, 2), IDLE, RETIRE, T0);

  @Test
  void launches_areStandbyOnlyOnceTheDemandIsCovered() {
    scaling.route(true);
    // 5 requests need one instance: the first launch covers them, the second is the standby
    assertThat(scaling.launches(0, 0, 5, true, T0)).containsExactly(false, true);
    // one ready instance covers the demand: the next launch is standby
    assertThat(scaling.launches(1, 0, 5, false, T0)).containsExactly(true);
    // one starting already covers it: the one begun beside it is standby too
    assertThat(scaling.launches(0, 1, 5, false, T0)).containsExactly(true);
  }

  @Test
  void launches_whenUnrouted_areNeverStandbyAndKeepNothingAhead() {
    assertThat(scaling.launches(0, 0, 15, true, T0)).containsExactly(false, false);
    assertThat(scaling.launches(0, 0, 0, false, T0)).isEmpty();
    assertThat(scaling.keep(0)).isZero();
  }

  @Test
  void afterAFailedStart_backgroundLaunchesWait_butRequestedOnesDoNot() {
    scaling.route(true);
    scaling.startFailed(T0);
    long justBefore = T0 + PoolScaling.START_RETRY.toNanos() - 1;
    assertThat(scaling.launches(0, 0, 0, false, justBefore)).isEmpty();
    assertThat(scaling.launches(0, 0, 5, true, justBefore)).containsExactly(false, true);
    assertThat(scaling.launches(0, 0, 0, false, T0 + PoolScaling.START_RETRY.toNanos()))
        .containsExactly(true);
    // a start that succeeds ends the pause at once
    scaling.startFailed(T0);
    scaling.started(T0 + 1);
    assertThat(scaling.launches(0, 0, 0, false, T0 + 1)).containsExactly(true);
  }

  @Test
  void idle_isTheFunctionsTimeout_untilAnAliasMovesAway_thenTheRetireTimeout() {
    // never routed (invoked by number): the function's own idle timeout
    assertThat(scaling.idleNanos(T0)).isEqualTo(IDLE.toNanos());
    scaling.route(true);
    assertThat(scaling.idleNanos(T0)).isEqualTo(IDLE.toNanos());
    scaling.route(false);
    assertThat(scaling.idleNanos(T0)).isEqualTo(RETIRE.toNanos());
    // still retiring when told again that it is unrouted
    scaling.route(false);
    assertThat(scaling.idleNanos(T0)).isEqualTo(RETIRE.toNanos());
    scaling.route(true);
    assertThat(scaling.idleNanos(T0)).isEqualTo(IDLE.toNanos());
  }

  @Test
  void keepFor_holdsIdleInstancesUntilItEnds_orUntilTheRoutingChanges() {
    scaling.keepFor(Duration.ofSeconds(10), T0);
    assertThat(scaling.idleNanos(T0 + 1)).isEqualTo(Long.MAX_VALUE);
    assertThat(scaling.idleNanos(T0 + Duration.ofSeconds(10).toNanos())).isEqualTo(IDLE.toNanos());
    // a shorter keep does not cut a longer one short
    scaling.keepFor(Duration.ofSeconds(1), T0);
    assertThat(scaling.idleNanos(T0 + Duration.ofSeconds(5).toNanos())).isEqualTo(Long.MAX_VALUE);
    // the alias move it protected is done
    scaling.route(true);
    assertThat(scaling.idleNanos(T0 + 1)).isEqualTo(IDLE.toNanos());
  }

  @Test
  void keep_andWarmTarget_followTheSizing() {
    scaling.route(true);
    assertThat(scaling.keep(0)).isEqualTo(1);
    assertThat(scaling.keep(10)).isEqualTo(2);
    assertThat(scaling.warmTarget(-3)).isZero();
    assertThat(scaling.warmTarget(4)).isEqualTo(4);
    assertThat(scaling.warmTarget(40)).isEqualTo(10);
  }

  @Test
  void launches_areBoundedByTheParallelStarts() {
    scaling.route(true);
    List<Boolean> burst = scaling.launches(0, 0, 2000, true, T0);
    assertThat(burst).containsExactly(false, false);
    assertThat(scaling.launches(0, 2, 2000, true, T0)).isEmpty();
  }
}
