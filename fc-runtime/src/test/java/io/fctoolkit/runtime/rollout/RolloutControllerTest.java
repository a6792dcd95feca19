package io.fctoolkit.runtime.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Decision;
import io.fctoolkit.core.RolloutStatus.State;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.SmokeRequest;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The controller on an in-memory alias, counters and store: every decision without instances. */
class RolloutControllerTest {

  /** One alias with revisions, counters set by the test, moves recorded. */
  static final class FakeTarget implements RolloutTarget {
    Alias alias = new Alias("fn", "live", AliasTarget.of(1), 1, null);
    final Map<Integer, VersionCounters> counters = new HashMap<>();
    final List<AliasTarget> moves = new ArrayList<>();
    boolean triggered;
    int backs;

    @Override
    public Optional<Alias> alias(String function, String name) {
      return Optional.ofNullable(alias);
    }

    @Override
    public Alias move(AliasUpdate update) {
      if (alias == null || update.expectedRevision() != alias.revision()) {
        throw ConflictException.staleRevision(
            "alias", update.expectedRevision(), alias == null ? 0 : alias.revision());
      }
      alias = new Alias("fn", "live", update.target(), alias.revision() + 1, alias.target());
      moves.add(update.target());
      return alias;
    }

    @Override
    public Alias moveBack(AliasUpdate update) {
      backs++;
      return move(update);
    }

    @Override
    public VersionCounters counters(String function, int version) {
      return counters.getOrDefault(version, VersionCounters.empty(GateCheckTest.BOUNDS));
    }

    /** Status each smoke request (by name) answers; 200 for any other. */
    final Map<String, Integer> smokeAnswers = new HashMap<>();

    final List<String> smoked = new ArrayList<>();

    @Override
    public InvokeResponse invokeVersion(String function, int version, SmokeRequest request) {
      smoked.add(request.name() + "@v" + version + " with " + moves.size() + " moves");
      return new InvokeResponse(
          smokeAnswers.getOrDefault(request.name(), 200),
          Map.of(),
          "broken".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          version,
          Duration.ofMillis(3));
    }

    @Override
    public boolean triggered(String function, String name) {
      return triggered;
    }

    void serve(int version, long requests, long errors) {
      VersionCounters now = counters(null, version);
      VersionCounters add = GateCheckTest.counters(requests, errors, 5);
      long[] latency = now.latency().clone();
      for (int i = 0; i < latency.length; i++) {
        latency[i] += add.latency()[i];
      }
      counters.put(
          version,
          new VersionCounters(
              now.requests() + requests,
              now.errors() + errors,
              GateCheckTest.BOUNDS,
              latency,
              now.records(),
              now.retries(),
              now.deadLetters()));
    }
  }

  static final class MemoryStore implements RolloutStore {
    List<RolloutStatus> saved = List.of();

    @Override
    public List<RolloutStatus> load() {
      return saved;
    }

    @Override
    public void save(List<RolloutStatus> rollouts) {
      saved = List.copyOf(rollouts);
    }
  }

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-12-06T12:00:00Z");

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

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  final FakeTarget target = new FakeTarget();
  final MemoryStore store = new MemoryStore();
  final MutableClock clock = new MutableClock();
  final List<FcEvent> events = new ArrayList<>();

  static RolloutStrategy strategy() {
    return new RolloutStrategy(
        List.of(BigDecimal.TEN, BigDecimal.valueOf(50)),
        100,
        Duration.ofSeconds(5),
        Duration.ofSeconds(60),
        RolloutStrategy.Inconclusive.ROLLBACK,
        RolloutGates.DEFAULT);
  }

  RolloutController controller() throws Exception {
    return new RolloutController(target, store, clock, events::add);
  }

  static RolloutRequest request(Long expectedRevision) {
    return new RolloutRequest("fn", "live", 2, "r2", strategy(), expectedRevision);
  }

  private static List<String> actions(RolloutStatus s) {
    return s.history().stream().map(Decision::action).toList();
  }

  @Test
  void goodRelease_advancesStepByStep_andIsPromoted() throws Exception {
    RolloutController c = controller();
    // When: started, the alias takes the first step at once, with key affinity
    RolloutStatus started = c.start(request(1L));
    assertThat(target.alias.target())
        .isEqualTo(AliasTarget.canary(1, 2, BigDecimal.TEN, Affinity.KEY));
    assertThat(started.state()).isEqualTo(State.PROGRESSING);
    assertThat(store.saved).hasSize(1);
    // samples arrive, but the interval is not over: wait
    target.serve(2, 150, 0);
    target.serve(1, 1000, 0);
    clock.advance(Duration.ofSeconds(2));
    c.tick();
    assertThat(c.status("fn", "live").orElseThrow().samples()).isEqualTo(150);
    assertThat(target.moves).hasSize(1);
    // interval over: step 2
    clock.advance(Duration.ofSeconds(4));
    c.tick();
    assertThat(target.alias.target().canaryWeight()).isEqualByComparingTo("50");
    // the new step counts its own samples: 150 before it do not count
    clock.advance(Duration.ofSeconds(6));
    c.tick();
    assertThat(target.alias.target().hasCanary()).isTrue();
    target.serve(2, 120, 1);
    c.tick();
    // Then
    RolloutStatus done = c.status("fn", "live").orElseThrow();
    assertThat(done.state()).isEqualTo(State.PROMOTED);
    assertThat(target.alias.target()).isEqualTo(AliasTarget.of(2));
    assertThat(actions(done)).containsExactly("start", "advance", "promote");
    assertThat(done.history().get(1).samples()).isEqualTo(150);
    assertThat(done.history().get(2).samples()).isEqualTo(120);
    assertThat(store.saved.get(0).state()).isEqualTo(State.PROMOTED);
  }

  @Test
  void badRelease_isRolledBackAtOnce_withTheFailedCheckAsReason() throws Exception {
    RolloutController c = controller();
    c.start(request(null));
    // 30% errors: after 20 samples the 1% limit over 100 samples is out of reach
    target.serve(2, 20, 6);
    c.tick();
    RolloutStatus s = c.status("fn", "live").orElseThrow();
    assertThat(s.state()).isEqualTo(State.ROLLED_BACK);
    assertThat(s.weight()).isEqualByComparingTo("0");
    assertThat(target.alias.target()).isEqualTo(AliasTarget.of(1));
    assertThat(s.reason()).contains("errorRate").contains("6 of 20");
    assertThat(actions(s)).containsExactly("start", "rollback");
    assertThat(target.backs).isOne();
    assertThat(s.history().get(1).samples()).isEqualTo(20);
    assertThat(events).anyMatch(e -> e.level() == FcEvent.Level.WARN);
    // nothing moves any more
    target.serve(2, 100, 100);
    c.tick();
    assertThat(target.moves).hasSize(2);
  }

  @Test
  void tooFewSamples_rollBackAfterMaxStepTime_neverPromote() throws Exception {
    RolloutController c = controller();
    c.start(request(null));
    target.serve(2, 40, 0);
    clock.advance(Duration.ofSeconds(59));
    c.tick();
    assertThat(c.status("fn", "live").orElseThrow().state()).isEqualTo(State.PROGRESSING);
    clock.advance(Duration.ofSeconds(1));
    c.tick();
    RolloutStatus s = c.status("fn", "live").orElseThrow();
    assertThat(s.state()).isEqualTo(State.ROLLED_BACK);
    assertThat(s.reason()).contains("inconclusive").contains("40 of 100");
  }

  @Test
  void aliasMovedByHand_stopsTheRollout_andLeavesTheAliasAlone() throws Exception {
    RolloutController c = controller();
    c.start(request(null));
    // someone moves the alias outside the rollout
    target.alias = new Alias("fn", "live", AliasTarget.of(3), target.alias.revision() + 1, null);
    target.serve(2, 20, 6);
    c.tick();
    RolloutStatus s = c.status("fn", "live").orElseThrow();
    assertThat(s.state()).isEqualTo(State.ABORTED);
    assertThat(s.reason()).contains("outside the rollout");
    assertThat(target.alias.target()).isEqualTo(AliasTarget.of(3));
  }

  @Test
  void start_isIdempotent_refusesASecondCanary_andChecksTheRevision() throws Exception {
    assertThatThrownBy(() -> controller().start(request(7L))).isInstanceOf(ConflictException.class);
    RolloutController c = controller();
    RolloutStatus first = c.start(request(1L));
    assertThat(c.start(request(null))).isEqualTo(first);
    assertThatThrownBy(() -> c.start(new RolloutRequest("fn", "live", 3, null, strategy(), null)))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("is rolling out version 2");
    assertThat(c.abort("fn", "live", "by hand").state()).isEqualTo(State.ABORTED);
    assertThat(target.alias.target()).isEqualTo(AliasTarget.of(1));
  }

  @Test
  void restart_resumesAtTheAliasesStep_orRecordsWhatTheAliasSays() throws Exception {
    RolloutController c = controller();
    c.start(request(null));
    target.serve(2, 150, 0);
    clock.advance(Duration.ofSeconds(6));
    c.tick();
    assertThat(target.alias.target().canaryWeight()).isEqualByComparingTo("50");

    // When: the runtime restarts (counters start from zero again)
    target.counters.clear();
    RolloutController resumed = controller();
    RolloutStatus s = resumed.status("fn", "live").orElseThrow();
    assertThat(s.state()).isEqualTo(State.PROGRESSING);
    assertThat(s.step()).isEqualTo(1);
    assertThat(actions(s)).endsWith("resume");
    resumed.tick();
    target.serve(2, 100, 0);
    clock.advance(Duration.ofSeconds(6));
    resumed.tick();
    assertThat(resumed.status("fn", "live").orElseThrow().state()).isEqualTo(State.PROMOTED);

    // And: a rollout whose move back was written but not its record is found rolled back
    MemoryStore crashed = new MemoryStore();
    crashed.saved = List.of(s);
    target.alias = new Alias("fn", "live", AliasTarget.of(1), 9, null);
    RolloutStatus found =
        new RolloutController(target, crashed, clock, events::add)
            .status("fn", "live")
            .orElseThrow();
    assertThat(found.state()).isEqualTo(State.ROLLED_BACK);
    assertThat(found.aliasRevision()).isEqualTo(9);
    assertThat(crashed.saved.get(0).state()).isEqualTo(State.ROLLED_BACK);
  }

  @Test
  void paused_holdsItsWeightPastTheIntervalAndMaxStepTime_andResumeStartsTheStepOver()
      throws Exception {
    RolloutController c = controller();
    c.start(request(null));
    target.serve(2, 150, 0);
    // When: paused with the step's samples in and its interval over
    RolloutStatus paused = c.pause("fn", "live", "looking at the logs");
    clock.advance(Duration.ofSeconds(90));
    c.tick();
    // Then: nothing advanced, nothing timed out
    assertThat(paused.state()).isEqualTo(State.PAUSED);
    assertThat(c.status("fn", "live").orElseThrow().state()).isEqualTo(State.PAUSED);
    assertThat(target.alias.target())
        .isEqualTo(AliasTarget.canary(1, 2, BigDecimal.TEN, Affinity.KEY));
    assertThat(store.saved.get(0).state()).isEqualTo(State.PAUSED);
    assertThat(c.pause("fn", "live", "again")).isEqualTo(c.status("fn", "live").orElseThrow());
    // a paused rollout is still running: a second canary is refused
    assertThatThrownBy(() -> c.start(new RolloutRequest("fn", "live", 3, null, strategy(), null)))
        .isInstanceOf(ConflictException.class);

    // When: resumed, the step starts over: the samples served before do not count
    RolloutStatus resumed = c.resume("fn", "live", "resumed: fine");
    assertThat(resumed.state()).isEqualTo(State.PROGRESSING);
    assertThat(resumed.samples()).isZero();
    c.tick();
    clock.advance(Duration.ofSeconds(6));
    c.tick();
    assertThat(target.alias.target().canaryWeight()).isEqualByComparingTo("10");
    target.serve(2, 100, 0);
    c.tick();
    assertThat(target.alias.target().canaryWeight()).isEqualByComparingTo("50");
    assertThat(actions(c.status("fn", "live").orElseThrow()))
        .containsExactly("start", "pause", "resume", "advance");
  }

  @Test
  void paused_isStillRolledBackByAFailedCheck() throws Exception {
    RolloutController c = controller();
    c.start(request(null));
    c.tick();
    c.pause("fn", "live", "paused");
    target.serve(2, 20, 6);
    c.tick();
    RolloutStatus s = c.status("fn", "live").orElseThrow();
    assertThat(s.state()).isEqualTo(State.ROLLED_BACK);
    assertThat(s.reason()).contains("errorRate");
    assertThat(target.alias.target()).isEqualTo(AliasTarget.of(1));
  }

  @Test
  void promoteNow_skipsTheRemainingSteps_fromProgressingOrPaused() throws Exception {
    RolloutController c = controller();
    c.start(request(null));
    c.pause("fn", "live", "paused");
    // When
    RolloutStatus s = c.promote("fn", "live", "by hand");
    // Then
    assertThat(s.state()).isEqualTo(State.PROMOTED);
    assertThat(s.reason()).isEqualTo("promoted: by hand");
    assertThat(target.alias.target()).isEqualTo(AliasTarget.of(2));
    assertThat(actions(s)).containsExactly("start", "pause", "promote");
    // a finished rollout takes no more actions
    assertThatThrownBy(() -> c.pause("fn", "live", "late"))
        .isInstanceOf(NotFoundException.class)
        .satisfies(e -> assertThat(((NotFoundException) e).hint()).contains("PROMOTED"));
    assertThatThrownBy(() -> c.resume("fn", "live", "late")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> c.promote("fn", "live", "late")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void paused_staysPausedAcrossARestart_andAbortMovesBack() throws Exception {
    RolloutController c = controller();
    c.start(request(null));
    c.pause("fn", "live", "paused");
    // When: the runtime restarts
    RolloutController again = controller();
    RolloutStatus s = again.status("fn", "live").orElseThrow();
    // Then
    assertThat(s.state()).isEqualTo(State.PAUSED);
    assertThat(actions(s)).containsExactly("start", "pause");
    target.serve(2, 1000, 0);
    clock.advance(Duration.ofMinutes(5));
    again.tick();
    again.tick();
    assertThat(again.status("fn", "live").orElseThrow().state()).isEqualTo(State.PAUSED);
    assertThat(again.abort("fn", "live", "aborted").state()).isEqualTo(State.ABORTED);
    assertThat(target.alias.target()).isEqualTo(AliasTarget.of(1));
  }

  @Test
  void approveBefore_waitsAfterThePassedStep_untilApproved_thenMoves() throws Exception {
    RolloutStrategy base = strategy();
    RolloutStrategy approved =
        new RolloutStrategy(
            base.steps(),
            base.minSamples(),
            base.interval(),
            base.maxStepTime(),
            base.onInconclusive(),
            base.gates(),
            List.of(2, 3));
    RolloutController c = controller();
    c.start(new RolloutRequest("fn", "live", 2, "r2", approved, null));
    assertThatThrownBy(() -> c.approve("fn", "live", "too early"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("awaits no approval (it is PROGRESSING at step 1)");
    target.serve(2, 150, 0);
    clock.advance(Duration.ofSeconds(6));
    // When: step 1 passes
    c.tick();
    // Then: the alias stays, the rollout waits for a person, past any maxStepTime
    RolloutStatus waiting = c.status("fn", "live").orElseThrow();
    assertThat(waiting.state()).isEqualTo(State.AWAITING_APPROVAL);
    assertThat(waiting.history().get(1).reason())
        .contains("every check passed at step 1")
        .endsWith("step 2 (50%) waits for a person's approval");
    clock.advance(Duration.ofMinutes(5));
    c.tick();
    assertThat(c.status("fn", "live").orElseThrow().state()).isEqualTo(State.AWAITING_APPROVAL);
    assertThat(target.alias.target().canaryWeight()).isEqualByComparingTo("10");
    assertThat(store.saved.get(0).state()).isEqualTo(State.AWAITING_APPROVAL);
    // a restart keeps it waiting
    assertThat(controller().status("fn", "live").orElseThrow().state())
        .isEqualTo(State.AWAITING_APPROVAL);

    // When: approved, step 2 follows at once
    RolloutStatus step2 = c.approve("fn", "live", "approved: looks good");
    assertThat(step2.state()).isEqualTo(State.PROGRESSING);
    assertThat(target.alias.target().canaryWeight()).isEqualByComparingTo("50");
    // step 2 passes: the promotion (step 3) waits too, and approving it promotes
    c.tick();
    target.serve(2, 100, 0);
    clock.advance(Duration.ofSeconds(6));
    c.tick();
    assertThat(c.status("fn", "live").orElseThrow().state()).isEqualTo(State.AWAITING_APPROVAL);
    assertThat(c.status("fn", "live").orElseThrow().history().get(3).reason())
        .endsWith("the promotion to 100% waits for a person's approval");
    RolloutStatus done = c.approve("fn", "live", "approved");
    assertThat(done.state()).isEqualTo(State.PROMOTED);
    assertThat(target.alias.target()).isEqualTo(AliasTarget.of(2));
    assertThat(actions(done)).containsExactly("start", "await", "advance", "await", "promote");
  }

  @Test
  void awaitingApproval_isStillRolledBackByAFailedCheck() throws Exception {
    RolloutStrategy base = strategy();
    RolloutController c = controller();
    c.start(
        new RolloutRequest(
            "fn",
            "live",
            2,
            null,
            new RolloutStrategy(
                base.steps(),
                base.minSamples(),
                base.interval(),
                base.maxStepTime(),
                base.onInconclusive(),
                base.gates(),
                List.of(2)),
            null));
    target.serve(2, 150, 0);
    clock.advance(Duration.ofSeconds(6));
    c.tick();
    assertThat(c.status("fn", "live").orElseThrow().state()).isEqualTo(State.AWAITING_APPROVAL);
    target.serve(2, 30, 20);
    c.tick();
    assertThat(c.status("fn", "live").orElseThrow().state()).isEqualTo(State.ROLLED_BACK);
    assertThat(target.alias.target()).isEqualTo(AliasTarget.of(1));
  }

  @Test
  void smokeInvocations_runAgainstTheNewVersionBeforeAnyTraffic_andAFailureStopsTheRollout()
      throws Exception {
    List<SmokeRequest> smoke =
        List.of(
            new SmokeRequest("ok.json", "POST", "/", Map.of(), "{}", 200),
            new SmokeRequest("bad-input.json", "POST", "/", Map.of(), "nope", 400));
    target.smokeAnswers.put("bad-input.json", 500);
    RolloutController c = controller();
    // When
    RolloutStatus s = c.start(new RolloutRequest("fn", "live", 2, "r2", strategy(), null, smoke));
    // Then: both ran against v2 before any move, the second failed, nothing moved
    assertThat(target.smoked)
        .containsExactly("ok.json@v2 with 0 moves", "bad-input.json@v2 with 0 moves");
    assertThat(target.moves).isEmpty();
    assertThat(target.alias.target()).isEqualTo(AliasTarget.of(1));
    assertThat(s.state()).isEqualTo(State.ROLLED_BACK);
    assertThat(s.weight()).isEqualByComparingTo("0");
    assertThat(s.reason())
        .isEqualTo(
            "smoke invocation 'bad-input.json' of version 2 answered 500, expected 400: broken");
    assertThat(actions(s)).containsExactly("smoke");
    assertThat(store.saved.get(0).state()).isEqualTo(State.ROLLED_BACK);

    // When: the release is fixed, the smoke passes and the first step follows
    target.smokeAnswers.put("bad-input.json", 400);
    RolloutStatus again =
        c.start(new RolloutRequest("fn", "live", 2, "r2", strategy(), null, smoke));
    assertThat(again.state()).isEqualTo(State.PROGRESSING);
    assertThat(target.alias.target().canaryWeight()).isEqualByComparingTo("10");
    assertThat(again.history().get(0).reason())
        .endsWith("after its 2 smoke invocations answered as expected");
  }
}
