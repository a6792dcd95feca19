package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.Version;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Keeps Git true after a failed rollout without a person: for each release a plan reports as failed
 * (drift of kind {@code rollout}) in an environment with {@code onFailedRollout: revert-branch}, it
 * writes the revert (the alias back to the release the platform serves again) on a branch with
 * {@link GitPromoter#revertFailedRollout}, once per failure. The platform never writes to Git: this
 * runs in {@code fc:plan} and {@code fc:apply}, which hold the repository and its credentials.
 */
public final class RolloutReverts {

  /**
   * What became of one failed rollout.
   *
   * @param function the function
   * @param alias the alias
   * @param failedRelease the release whose rollout failed, which Git names
   * @param release the release the alias serves again, or null when no release in Git maps to it
   * @param result the revert's branch and commit, or null when none was written
   * @param problem why no revert was written, or null
   */
  public record Revert(
      String function,
      String alias,
      String failedRelease,
      String release,
      PromotionResult result,
      String problem) {
    public Revert {
      requireNonNull(function, "function");
      requireNonNull(alias, "alias");
      requireNonNull(failedRelease, "failedRelease");
    }

    /** One line for the log. */
    public String describe() {
      String what = function + "/" + alias + ": rollout of " + failedRelease + " failed; ";
      if (result != null) {
        return what
            + "the revert to "
            + release
            + " is on branch "
            + result.branch()
            + " ("
            + result.commit().substring(0, 8)
            + (result.pushed() ? ", pushed" : ", not pushed")
            + "): merge its pull request so Git names what runs";
      }
      return what + "no revert written: " + problem;
    }
  }

  private final GitOpsRepository repository;
  private final Consumer<FcEvent> events;

  public RolloutReverts(GitOpsRepository repository, Consumer<FcEvent> events) {
    this.repository = requireNonNull(repository, "repository");
    this.events = requireNonNull(events, "events");
  }

  /** Whether {@code plan} reports a failed rollout and its environment asks for revert branches. */
  public boolean wanted(Plan plan) {
    return repository.environment(plan.environment()).onFailedRollout()
            == FailedRolloutPolicy.REVERT_BRANCH
        && plan.drift().stream().anyMatch(d -> d.kind().equals("rollout"));
  }

  /**
   * Writes the revert of every failed rollout {@code plan} reports, when its environment says
   * {@code onFailedRollout: revert-branch} (nothing otherwise). A revert that cannot be written is
   * returned with its problem, not thrown: the plan or apply around it goes on.
   */
  public List<Revert> write(Plan plan, Platform platform, GitPromoter promoter) {
    if (!wanted(plan)) {
      return List.of();
    }
    EnvironmentSpec env = repository.environment(plan.environment());
    List<Revert> reverts = new ArrayList<>();
    for (Plan.Drift drift : plan.drift()) {
      if (!drift.kind().equals("rollout")) {
        continue;
      }
      Optional<AliasSpec> desired =
          env.function(drift.function()).flatMap(f -> f.alias(drift.name()));
      Optional<RolloutStatus> status = platform.rollout(drift.function(), drift.name());
      if (desired.isEmpty() || status.isEmpty()) {
        continue; // only what the planner found, so only a race with another change lands here
      }
      Revert revert =
          revert(env, desired.get(), drift.function(), status.get(), platform, promoter);
      events.accept(
          revert.result() != null
              ? FcEvent.lifecycle(revert.describe())
              : FcEvent.warn(revert.describe()));
      reverts.add(revert);
    }
    return List.copyOf(reverts);
  }

  private Revert revert(
      EnvironmentSpec env,
      AliasSpec desired,
      String function,
      RolloutStatus status,
      Platform platform,
      GitPromoter promoter) {
    String failed = desired.release();
    Optional<String> back = releaseOf(env, function, status.primaryVersion(), platform);
    if (back.isEmpty()) {
      return new Revert(
          function,
          desired.name(),
          failed,
          null,
          null,
          "version "
              + status.primaryVersion()
              + ", which the alias serves again, is no release in Git; point the alias at a"
              + " release by hand (a promotion through Git)");
    }
    String failure =
        function + "/" + desired.name() + " " + failed + " started " + status.startedAt();
    String reason =
        "step "
            + (status.step() + 1)
            + " of "
            + status.strategy().steps().size()
            + ": "
            + status.reason();
    try {
      PromotionResult result =
          promoter.revertFailedRollout(
              env.name(), function, desired.name(), failed, back.get(), failure, reason);
      return new Revert(function, desired.name(), failed, back.get(), result, null);
    } catch (FcException e) {
      // A Git problem (no remote access, a pending promotion of the alias) must not hide the plan.
      return new Revert(
          function,
          desired.name(),
          failed,
          back.get(),
          null,
          e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
    }
  }

  /**
   * The release a live version is, as the planner names it: this environment's releases first (same
   * content, then same release id or image digest), then other environments' (the revert copies
   * such a release in).
   */
  private Optional<String> releaseOf(
      EnvironmentSpec env, String function, int number, Platform platform) {
    Optional<Version> version =
        platform.describe(function).map(FunctionState::versions).orElse(List.of()).stream()
            .filter(v -> v.number() == number)
            .findFirst();
    if (version.isEmpty()) {
      return Optional.empty();
    }
    Version v = version.get();
    var config = repository.function(function).config();
    Stream<EnvironmentSpec> environments =
        Stream.concat(
            Stream.of(env),
            repository.environments().values().stream()
                .filter(e -> !e.name().equals(env.name()))
                .sorted(Comparator.comparing(EnvironmentSpec::name)));
    List<Release> releases =
        environments
            .flatMap(e -> e.function(function).stream())
            .flatMap(f -> f.releases().stream())
            .toList();
    return releases.stream()
        .filter(
            r ->
                r.image().isPinned()
                    && Version.contentId(r.image().digest(), config).equals(v.contentId()))
        .findFirst()
        .or(
            () ->
                releases.stream()
                    .filter(
                        r ->
                            r.id().equals(v.releaseId())
                                || (r.image().isPinned()
                                    && r.image().digest().equals(v.imageDigest())))
                    .findFirst())
        .map(Release::id);
  }
}
