package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.SmokeRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reconciles an environment's live platform with Git: plans, refuses invalid plans before touching
 * anything, then publishes missing releases, moves aliases (with expected revisions), and updates
 * triggers. Idempotent: applying a second time finds nothing to do.
 */
public final class Applier {

  private final GitOpsRepository repository;
  private final Consumer<FcEvent> events;

  public Applier(GitOpsRepository repository, Consumer<FcEvent> events) {
    this.repository = requireNonNull(repository, "repository");
    this.events = requireNonNull(events, "events");
  }

  /**
   * Opens (and so validates) the gitops directory, then applies {@code environment}.
   *
   * @throws GitOpsValidationException when any gitops file is invalid; nothing is applied
   */
  public static ApplyReport apply(
      java.nio.file.Path gitopsRoot,
      String environment,
      Platform platform,
      Consumer<FcEvent> events) {
    return new Applier(GitOpsRepository.open(gitopsRoot), events).apply(environment, platform);
  }

  /**
   * Plans and applies {@code environment}. Stops at the first failed step; the report says what was
   * applied and what was not, and a rerun completes it.
   *
   * @throws GitOpsPlanRefusedException when the plan has errors or drift under policy fail; nothing
   *     is applied then
   */
  public ApplyReport apply(String environment, Platform platform) {
    Plan plan = new Planner(repository).plan(environment, platform);
    return apply(plan, platform);
  }

  /** Applies a plan made by {@link Planner} against the same platform. */
  public ApplyReport apply(Plan plan, Platform platform) {
    if (plan.refusal() != null) {
      throw new GitOpsPlanRefusedException(plan);
    }
    refuseRolloutsRunElsewhere(plan, platform);
    for (Plan.Drift drift : plan.drift()) {
      events.accept(
          FcEvent.warn(
              "drift in "
                  + plan.environment()
                  + ": "
                  + drift.function()
                  + " "
                  + drift.kind()
                  + " "
                  + drift.name()
                  + " "
                  + drift.description()
                  + " -> "
                  + drift.action()));
    }
    plan.warnings().forEach(w -> events.accept(FcEvent.warn(w)));
    EnvironmentSpec env = repository.environment(plan.environment());
    boolean insecure =
        env.platform() instanceof PlatformBinding.Local local && local.insecureRegistry();
    // Release id -> version number per function, from the plan's live view, then publishes.
    Map<String, Map<String, Integer>> versions = new HashMap<>();
    for (Plan.AliasChange change : plan.aliases()) {
      if (change.to() != null) {
        Map<String, Integer> known =
            versions.computeIfAbsent(change.function(), f -> new HashMap<>());
        if (change.version() != null) {
          known.put(change.to().release(), change.version());
        }
        if (change.canaryVersion() != null) {
          known.put(change.to().canaryRelease(), change.canaryVersion());
        }
      }
    }
    List<Action> actions = new ArrayList<>();
    for (Plan.Publish publish : plan.publishes()) {
      actions.add(
          new Action(
              "publish " + publish.function() + " release " + publish.release().id(),
              () -> {
                PublishResult result =
                    platform.publish(
                        new PublishRequest(
                            publish.config(),
                            new ImageSource.Registry(publish.release().image().pinned(), insecure),
                            publish.release().id()));
                versions
                    .computeIfAbsent(publish.function(), f -> new HashMap<>())
                    .put(publish.release().id(), result.version().number());
                return "version " + result.version().number();
              }));
    }
    // Triggers that go away stop first, so no alias they point at is deleted under them.
    for (Plan.TriggerChange change : plan.triggers()) {
      if (change.kind() == Plan.Kind.DELETE) {
        actions.add(
            new Action(
                "delete trigger " + change.function() + "/" + change.trigger(),
                () -> {
                  platform.deleteTrigger(change.function(), change.trigger());
                  return null;
                }));
      }
    }
    for (Plan.AliasChange change : plan.aliases()) {
      if (change.kind() != Plan.Kind.DELETE) {
        actions.add(
            new Action(
                (change.kind() == Plan.Kind.CREATE ? "create" : "move")
                    + " alias "
                    + change.function()
                    + "/"
                    + change.alias()
                    + ": "
                    + change.describe(),
                () -> {
                  Map<String, Integer> known = versions.getOrDefault(change.function(), Map.of());
                  AliasSpec to = change.to();
                  int version = resolve(known, change.function(), to.release());
                  if (change.startsRollout()) {
                    Optional<String> started =
                        startRollout(
                            platform, change, version, repository.smoke(change.function()));
                    if (started.isPresent()) {
                      return started.get();
                    }
                  }
                  AliasTarget target =
                      to.hasCanary()
                          ? new AliasTarget(
                              version,
                              resolve(known, change.function(), to.canaryRelease()),
                              change.weight(),
                              to.affinity())
                          : AliasTarget.of(version);
                  return "revision "
                      + platform
                          .putAlias(
                              new AliasUpdate(
                                  change.function(),
                                  change.alias(),
                                  target,
                                  change.expectedRevision()))
                          .revision();
                }));
      }
    }
    for (Plan.TriggerChange change : plan.triggers()) {
      if (change.kind() != Plan.Kind.DELETE) {
        actions.add(
            new Action(
                (change.kind() == Plan.Kind.CREATE ? "create" : "update")
                    + " trigger "
                    + change.function()
                    + "/"
                    + change.trigger()
                    + " (topic "
                    + change.desired().topic()
                    + " -> alias "
                    + change.desired().alias()
                    + ")",
                () -> {
                  platform.putTrigger(change.desired());
                  return null;
                }));
      }
    }
    for (Plan.AliasChange change : plan.aliases()) {
      if (change.kind() == Plan.Kind.DELETE) {
        actions.add(
            new Action(
                "delete alias " + change.function() + "/" + change.alias(),
                () -> {
                  platform.deleteAlias(
                      change.function(), change.alias(), change.expectedRevision());
                  return null;
                }));
      }
    }
    return run(plan, actions);
  }

  private ApplyReport run(Plan plan, List<Action> actions) {
    List<ApplyReport.Step> steps = new ArrayList<>();
    boolean failed = false;
    for (Action action : actions) {
      if (failed) {
        steps.add(new ApplyReport.Step(action.description, ApplyReport.Status.NOT_ATTEMPTED, null));
        continue;
      }
      try {
        String outcome = action.body.run();
        String description =
            outcome == null ? action.description : action.description + " (" + outcome + ")";
        steps.add(new ApplyReport.Step(description, ApplyReport.Status.APPLIED, null));
        events.accept(FcEvent.lifecycle("applied: " + description));
      } catch (FcException e) {
        failed = true;
        steps.add(
            new ApplyReport.Step(action.description, ApplyReport.Status.FAILED, e.describe()));
        events.accept(FcEvent.warn("failed: " + action.description + ": " + e.describe()));
      } catch (RuntimeException e) {
        failed = true;
        steps.add(
            new ApplyReport.Step(
                action.description,
                ApplyReport.Status.FAILED,
                e.getClass().getSimpleName() + ": " + e.getMessage()));
        events.accept(FcEvent.warn("failed: " + action.description + ": " + e.getMessage()));
      }
    }
    return new ApplyReport(plan.environment(), plan, steps);
  }

  /**
   * A rollout that the platform does not run itself (Knative: Flagger runs it from the rendered
   * manifests, and the plan says so) is refused before anything is applied, rather than after the
   * publish, half-way through.
   */
  private static void refuseRolloutsRunElsewhere(Plan plan, Platform platform) {
    if (platform.supportsRollouts()) {
      return;
    }
    for (Plan.AliasChange change : plan.aliases()) {
      if (change.startsRollout()) {
        throw new FcException(
            "alias "
                + change.function()
                + "/"
                + change.alias()
                + " has a rollout, which "
                + platform.target()
                + " does not run when the environment is applied directly; nothing was applied",
            "render the environment's manifests and let Argo CD or Flux apply them, so Flagger"
                + " runs the rollout (docs/knative.md 2.6), or remove 'rollout' and move the"
                + " canary weight step by step in Git",
            "rollout",
            null);
      }
    }
  }

  /**
   * Starts the platform's rollout of {@code version} when the alias serves one other version now;
   * empty when there is nothing to roll out from (the alias is then moved at once).
   */
  private static Optional<String> startRollout(
      Platform platform, Plan.AliasChange change, int version, List<SmokeRequest> smoke) {
    AliasSpec to = change.to();
    Optional<Alias> live =
        platform.describe(change.function()).flatMap(s -> s.alias(change.alias()));
    if (live.isEmpty() || live.get().target().version() == version) {
      return Optional.empty();
    }
    if (live.get().target().hasCanary()) {
      throw new FcException(
          "alias "
              + change.function()
              + "/"
              + change.alias()
              + " has a canary outside a rollout ("
              + live.get().target()
              + "), and a rollout starts from one version",
          "point the alias at one release first, then apply the rollout again",
          "rollout",
          null);
    }
    RolloutStatus status =
        platform.startRollout(
            new RolloutRequest(
                change.function(),
                change.alias(),
                version,
                to.release(),
                to.rollout(),
                change.expectedRevision(),
                smoke));
    if (status.state() == RolloutStatus.State.ROLLED_BACK) {
      // Only the smoke invocations end a rollout within its start; the alias was not moved.
      throw new FcException(
          "the rollout of "
              + change.function()
              + " release "
              + to.release()
              + " stopped before its first step: "
              + status.reason()
              + "; alias "
              + change.alias()
              + " still serves version "
              + status.primaryVersion(),
          "fix the release (or its fixture under functions/"
              + change.function()
              + "/smoke/), then promote a new release; the plan reports this one as failed");
    }
    return Optional.of(
        "rollout started: version "
            + version
            + " takes "
            + status.weight().toPlainString()
            + "% (step 1 of "
            + to.rollout().steps().size()
            + (smoke.isEmpty() ? "" : ", after " + smoke.size() + " smoke invocation(s) passed")
            + "); the platform moves it on and rolls back by itself");
  }

  private static int resolve(Map<String, Integer> known, String function, String release) {
    Integer version = known.get(release);
    if (version == null) {
      // Only reachable when the plan and the platform disagree; a rerun re-plans.
      throw new FcException(
          function + " release " + release + " has no live version",
          "run apply again: it publishes the release first");
    }
    return version;
  }

  /** One step: a description and what it does; returns a short outcome or null. */
  private record Action(String description, Body body) {}

  @FunctionalInterface
  private interface Body {
    String run();
  }
}
