package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.State;
import io.fctoolkit.core.RolloutStrategy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link RolloutFollower} on scripted platform answers and a clock that only the sleeps move. */
class RolloutFollowerTest {

  private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
  private static final RolloutFollower.Target PROD = new RolloutFollower.Target("grader", "prod");
  private static final RolloutFollower.Target EDGE = new RolloutFollower.Target("grader", "edge");

  private Instant now = T0;
  private final List<String> lines = new ArrayList<>();
  private final Map<String, Deque<Optional<RolloutStatus>>> answers = new HashMap<>();

  private RolloutFollower follower() {
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now;
          }
        };
    return new RolloutFollower(
        (fn, alias) -> {
          Deque<Optional<RolloutStatus>> queue = answers.get(alias);
          // The last answer repeats: the platform keeps saying the same until it changes.
          return queue.size() > 1 ? queue.poll() : queue.peek();
        },
        clock,
        d -> now = now.plus(d),
        Duration.ofSeconds(2),
        lines::add);
  }

  private void script(String alias, RolloutStatus... statuses) {
    Deque<Optional<RolloutStatus>> queue = new ArrayDeque<>();
    for (RolloutStatus s : statuses) {
      queue.add(Optional.ofNullable(s));
    }
    answers.put(alias, queue);
  }

  private static RolloutStatus status(
      String alias, State state, int step, int weight, long samples, Instant started) {
    return new RolloutStatus(
        "grader",
        alias,
        "2026-12-07.1",
        1,
        2,
        state,
        step,
        BigDecimal.valueOf(weight),
        3,
        RolloutStrategy.defaults(),
        started,
        started,
        samples,
        List.of(),
        List.of(),
        state.finished() && state != State.PROMOTED ? "check errorRate failed" : null);
  }

  @Test
  void printsEachStepOnce_andReturnsWhenEveryRolloutEnded() throws Exception {
    script(
        "prod",
        status("prod", State.PROGRESSING, 0, 10, 5, T0),
        status("prod", State.PROGRESSING, 0, 10, 80, T0),
        status("prod", State.PROGRESSING, 1, 50, 3, T0),
        status("prod", State.PROMOTED, 1, 100, 300, T0));
    script(
        "edge",
        status("edge", State.PROGRESSING, 0, 10, 1, T0),
        status("edge", State.ROLLED_BACK, 0, 0, 40, T0));

    RolloutFollower.Outcome outcome =
        follower().follow(List.of(PROD, EDGE), T0, Duration.ofMinutes(10));

    assertThat(outcome.ended()).containsOnlyKeys(PROD, EDGE);
    assertThat(outcome.running()).isEmpty();
    assertThat(outcome.failed()).singleElement().extracting(RolloutStatus::alias).isEqualTo("edge");
    // A new sample count alone prints nothing; each state, step or weight prints once.
    assertThat(lines)
        .containsExactly(
            "grader/prod v2: PROGRESSING at step 1 of 2 (10%), 5 canary samples",
            "grader/edge v2: PROGRESSING at step 1 of 2 (10%), 1 canary samples",
            "grader/edge v2: ROLLED_BACK: check errorRate failed",
            "grader/prod v2: PROGRESSING at step 2 of 2 (50%), 3 canary samples",
            "grader/prod v2: PROMOTED");
    assertThat(now).isEqualTo(T0.plusSeconds(6));
  }

  @Test
  void stopsAtTheTimeout_withTheRunningRolloutsLastStatus() throws Exception {
    script("prod", status("prod", State.AWAITING_APPROVAL, 1, 50, 200, T0));

    RolloutFollower.Outcome outcome = follower().follow(List.of(PROD), T0, Duration.ofSeconds(5));

    assertThat(outcome.ended()).isEmpty();
    assertThat(outcome.running().get(PROD).state()).isEqualTo(State.AWAITING_APPROVAL);
    assertThat(now).isEqualTo(T0.plusSeconds(5));
    assertThat(lines)
        .containsExactly(
            "grader/prod v2: AWAITING_APPROVAL at step 2 of 2 (50%), 200 canary samples; waits for"
                + " a person: mvn fc:rollout -Dfc.alias=prod -Dfc.rollout.action=approve");
  }

  @Test
  void anEarlierRolloutOrNoneIsNotFollowed() throws Exception {
    // The alias's last rollout started before this apply (an earlier release's rollback): the
    // apply moved the alias at once, so there is nothing of its own to wait for.
    script("prod", status("prod", State.ROLLED_BACK, 0, 0, 40, T0.minusSeconds(3600)));
    script("edge", (RolloutStatus) null);

    RolloutFollower.Outcome outcome =
        follower().follow(List.of(PROD, EDGE), T0, Duration.ofMinutes(1));

    assertThat(outcome.gone()).containsExactly(PROD, EDGE);
    assertThat(outcome.failed()).isEmpty();
    assertThat(lines).isEmpty();
    assertThat(now).isEqualTo(T0);
  }
}
