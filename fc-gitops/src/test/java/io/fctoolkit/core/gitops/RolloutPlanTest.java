package io.fctoolkit.core.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformCapabilities;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.Version;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alias with {@code rollout:} in Git: read with defaults, applied as a rollout the platform
 * runs, followed by the plan while it progresses, and, once rolled back, reported as drift and not
 * applied again (Git must not keep describing the failed release as live).
 */
class RolloutPlanTest {

  static final String DEV = "environments/dev/environment.yaml";

  @TempDir Path dir;
  Path root;
  final RolloutPlatform platform = new RolloutPlatform(true);
  final List<FcEvent> events = new ArrayList<>();

  /** The in-memory platform plus rollouts whose state the test sets. */
  static final class RolloutPlatform implements Platform {
    final InMemoryPlatform delegate = new InMemoryPlatform();
    final boolean supports;
    final List<RolloutRequest> started = new ArrayList<>();
    final Map<String, RolloutStatus> rollouts = new HashMap<>();

    RolloutPlatform(boolean supports) {
      this.supports = supports;
    }

    @Override
    public boolean supportsRollouts() {
      return supports;
    }

    @Override
    public RolloutStatus startRollout(RolloutRequest r) {
      if (!supports) {
        return Platform.super.startRollout(r);
      }
      started.add(r);
      Alias alias = describe(r.function()).orElseThrow().alias(r.alias()).orElseThrow();
      BigDecimal first = r.strategy().steps().get(0);
      Alias moved =
          putAlias(
              new AliasUpdate(
                  r.function(),
                  r.alias(),
                  AliasTarget.canary(
                      alias.target().version(), r.canaryVersion(), first, Affinity.KEY),
                  r.expectedRevision()));
      RolloutStatus s =
          status(
              r,
              alias.target().version(),
              RolloutStatus.State.PROGRESSING,
              0,
              first,
              moved.revision(),
              null);
      rollouts.put(r.function() + "/" + r.alias(), s);
      return s;
    }

    static RolloutStatus status(
        RolloutRequest r,
        int primary,
        RolloutStatus.State state,
        int step,
        BigDecimal weight,
        long revision,
        String reason) {
      Instant now = Instant.parse("2026-12-06T12:00:00Z");
      return new RolloutStatus(
          r.function(),
          r.alias(),
          r.release(),
          primary,
          r.canaryVersion(),
          state,
          step,
          weight,
          revision,
          r.strategy(),
          now,
          now,
          42,
          List.of(),
          List.of(),
          reason);
    }

    @Override
    public Optional<RolloutStatus> rollout(String function, String alias) {
      return Optional.ofNullable(rollouts.get(function + "/" + alias));
    }

    @Override
    public String target() {
      return delegate.target();
    }

    @Override
    public PlatformCapabilities capabilities() {
      return delegate.capabilities();
    }

    @Override
    public List<String> functions() {
      return delegate.functions();
    }

    @Override
    public Optional<FunctionState> describe(String function) {
      return delegate.describe(function);
    }

    @Override
    public PublishResult publish(PublishRequest request) {
      return delegate.publish(request);
    }

    @Override
    public Alias putAlias(AliasUpdate update) {
      return delegate.putAlias(update);
    }

    @Override
    public void deleteAlias(String function, String alias, Long expectedRevision) {
      delegate.deleteAlias(function, alias, expectedRevision);
    }

    @Override
    public void deleteVersion(String function, int version) {
      delegate.deleteVersion(function, version);
    }

    @Override
    public TriggerSpec putTrigger(TriggerSpec trigger) {
      return delegate.putTrigger(trigger);
    }

    @Override
    public void deleteTrigger(String function, String trigger) {
      delegate.deleteTrigger(function, trigger);
    }

    @Override
    public InvokeResponse invoke(InvokeRequest request) {
      return delegate.invoke(request);
    }

    @Override
    public FunctionMetrics metrics(String function) {
      return delegate.metrics(function);
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void setUp() {
    root = Fixtures.copyValid(dir.resolve("gitops"));
    // dev serves 2026-11-22.1 first
    Fixtures.replace(
        root, DEV, "        release: 2026-11-22.2\n", "        release: 2026-11-22.1\n");
    assertThat(Applier.apply(root, "dev", platform, events::add).succeeded()).isTrue();
  }

  private int version(String release) {
    return platform.describe("grader").orElseThrow().versions().stream()
        .filter(v -> release.equals(v.releaseId()))
        .mapToInt(Version::number)
        .findFirst()
        .orElseThrow();
  }

  private Plan plan(Platform p) {
    return new Planner(GitOpsRepository.open(root)).plan("dev", p);
  }

  private void promoteWithRollout(String rollout) {
    Fixtures.replace(
        root, DEV, "        release: 2026-11-22.1\n", "        release: 2026-11-22.2\n" + rollout);
  }

  @Test
  void rolloutBlock_readWithDefaults_andWithItsValues() {
    promoteWithRollout("        rollout:\n");
    RolloutStrategy defaults =
        GitOpsRepository.open(root)
            .environment("dev")
            .function("grader")
            .orElseThrow()
            .alias("dev")
            .orElseThrow()
            .rollout();
    assertThat(defaults).isEqualTo(RolloutStrategy.defaults());

    Fixtures.replace(
        root,
        DEV,
        "        rollout:\n",
        "        rollout:\n"
            + "          steps: [5, 25.5, 50]\n"
            + "          minSamples: 300\n"
            + "          interval: 30s\n"
            + "          onInconclusive: hold\n"
            + "          approveBefore: [3, 4]\n"
            + "          gates:\n"
            + "            maxP99: 400ms\n"
            + "            maxDeadLetterRate: 0.5\n");
    RolloutStrategy s =
        GitOpsRepository.open(root)
            .environment("dev")
            .function("grader")
            .orElseThrow()
            .alias("dev")
            .orElseThrow()
            .rollout();
    assertThat(s.steps())
        .containsExactly(new BigDecimal("5"), new BigDecimal("25.5"), new BigDecimal("50"));
    assertThat(s.minSamples()).isEqualTo(300);
    assertThat(s.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxStepTime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.onInconclusive()).isEqualTo(RolloutStrategy.Inconclusive.HOLD);
    assertThat(s.gates().maxP99()).isEqualTo(Duration.ofMillis(400));
    assertThat(s.gates().maxDeadLetterRate()).isEqualByComparingTo("0.5");
    assertThat(s.approveBefore()).containsExactly(3, 4);
    assertThat(s.approvesBefore(4)).isTrue();
    assertThat(s.approvesBefore(2)).isFalse();
    assertThat(defaults.approveBefore()).isEmpty();
    // gates left out keep their defaults
    assertThat(s.gates().maxErrorRate()).isEqualByComparingTo("1");
  }

  @Test
  void apply_startsARollout_thePlanFollowsIt_andAFailedReleaseIsDriftNotReapplied() {
    int primary = version("2026-11-22.1");
    int canary = version("2026-11-22.2");
    promoteWithRollout("        rollout:\n          steps: [10, 50]\n");

    // the plan says the release goes out by rollout
    Plan plan = plan(platform);
    assertThat(plan.aliases()).hasSize(1);
    assertThat(plan.aliases().get(0).describe())
        .isEqualTo(
            "2026-11-22.1 -> 2026-11-22.2 by rollout (canary 10%, 50%, then 100%; checks: errors"
                + " <= 1%, dead letters <= 1%, retries <= 10%)");

    // When: applied, the platform is asked for a rollout instead of a move
    ApplyReport report = Applier.apply(root, "dev", platform, events::add);

    // Then
    assertThat(report.succeeded()).isTrue();
    assertThat(platform.started).hasSize(1);
    RolloutRequest request = platform.started.get(0);
    assertThat(request.canaryVersion()).isEqualTo(canary);
    assertThat(request.release()).isEqualTo("2026-11-22.2");
    assertThat(platform.describe("grader").orElseThrow().alias("dev").orElseThrow().target())
        .isEqualTo(AliasTarget.canary(primary, canary, BigDecimal.TEN, Affinity.KEY));

    // while it progresses: no change, a warning with its step
    Plan progressing = plan(platform);
    assertThat(progressing.aliases()).isEmpty();
    assertThat(progressing.warnings())
        .anyMatch(w -> w.contains("rollout of 2026-11-22.2 in progress at step 1 of 2 (10%)"));

    // a paused rollout is still running: no change either, and the warning says it is held
    RolloutStatus running = platform.rollouts.get("grader/dev");
    platform.rollouts.put(
        "grader/dev",
        RolloutPlatform.status(
            request,
            primary,
            RolloutStatus.State.PAUSED,
            0,
            BigDecimal.TEN,
            running.aliasRevision(),
            null));
    Plan paused = plan(platform);
    assertThat(paused.aliases()).isEmpty();
    assertThat(paused.drift()).isEmpty();
    assertThat(paused.warnings())
        .anyMatch(w -> w.contains("rollout of 2026-11-22.2 paused at step 1 of 2 (10%)"));

    // When: the platform rolled it back
    Alias now = platform.describe("grader").orElseThrow().alias("dev").orElseThrow();
    Alias back =
        platform.putAlias(
            new AliasUpdate("grader", "dev", AliasTarget.of(primary), now.revision()));
    platform.rollouts.put(
        "grader/dev",
        RolloutPlatform.status(
            request,
            primary,
            RolloutStatus.State.ROLLED_BACK,
            0,
            BigDecimal.ZERO,
            back.revision(),
            "check deadLetterRate failed at step 1 (10%): 3 of 40"));

    // Then: the plan reports the failure as drift and does not move the alias again
    Plan failed = plan(platform);
    assertThat(failed.aliases()).isEmpty();
    assertThat(failed.drift())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo("rollout");
              assertThat(d.description())
                  .contains("release 2026-11-22.2 failed its rollout at step 1 (10%)")
                  .contains("deadLetterRate")
                  .contains("serves 2026-11-22.1 again");
              assertThat(d.action()).contains("not applied again");
            });
    int startedBefore = platform.started.size();
    Applier.apply(root, "dev", platform, events::add);
    assertThat(platform.started).hasSize(startedBefore);
    assertThat(platform.describe("grader").orElseThrow().alias("dev").orElseThrow().target())
        .isEqualTo(AliasTarget.of(primary));

    // And: once Git names the primary again (the rollback written to Git), the plan is clean
    Fixtures.replace(
        root,
        DEV,
        "        release: 2026-11-22.2\n        rollout:\n",
        "        release: 2026-11-22.1\n        rollout:\n");
    Plan reverted = plan(platform);
    assertThat(reverted.aliases()).isEmpty();
    assertThat(reverted.drift()).isEmpty();
  }

  @Test
  void platformWithoutRollouts_refusesTheRolloutInThePlan() {
    promoteWithRollout("        rollout:\n");
    RolloutPlatform knativeLike = new RolloutPlatform(false);
    Plan plan = plan(knativeLike);
    assertThat(plan.errors())
        .anyMatch(e -> e.contains("progressive rollouts are not supported on in-memory yet"));
  }
}
