package io.fctoolkit.core.gitops;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.RolloutNote;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.TriggerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rollout part of one function's plan: what a controller that runs the rendered manifests will
 * do with an alias's rollout, and whether a rollout the platform runs itself leaves the alias as it
 * is (under way, or failed and rolled back).
 */
final class RolloutPlanner {
  private final FunctionScope scope;
  private final ReleaseMap releases;
  private final PlanParts parts;

  RolloutPlanner(FunctionScope scope, ReleaseMap releases, PlanParts parts) {
    this.scope = scope;
    this.releases = releases;
    this.parts = parts;
  }

  /**
   * A rollout on a platform that runs none itself: what the controller its rendered manifests are
   * made for will do (Knative: Flagger), each field it runs differently as a warning and each it
   * cannot run as an error, all at the field's path in the environment file; refused where the
   * platform renders no rollouts either.
   */
  void planRendered(AliasSpec desired) {
    String function = scope.name();
    List<AliasSpec> aliases = scope.envFunction().aliases();
    String field = "functions." + function + ".aliases[" + aliases.indexOf(desired) + "].rollout";
    List<TriggerSpec> invoking = new ArrayList<>();
    for (TriggerDecl decl : scope.function().triggers()) {
      scope
          .enabledTrigger(decl)
          .filter(spec -> spec.alias().equals(desired.name()))
          .ifPresent(invoking::add);
    }
    List<String> others =
        aliases.stream().map(AliasSpec::name).filter(n -> !n.equals(desired.name())).toList();
    List<RolloutNote> notes =
        scope
            .platform()
            .renderedRollout(function, desired.name(), field, desired.rollout(), invoking, others);
    if (notes.isEmpty()) {
      parts.errors.add(
          function
              + " alias "
              + desired.name()
              + ": progressive rollouts are not supported on "
              + scope.platform().target()
              + " yet; remove 'rollout' and move the canary weight step by step in Git");
      return;
    }
    for (RolloutNote note : notes) {
      String line =
          function + " alias " + desired.name() + ": " + note.field() + ": " + note.message();
      (note.severity() == RolloutNote.Severity.ERROR ? parts.errors : parts.warnings).add(line);
    }
  }

  /**
   * Whether the alias needs no change because of its rollout: one of {@code version} is under way
   * (the platform moves it), or it failed and the alias is back at its primary. A failed release is
   * never applied again blindly: the plan reports it as drift until Git names another release (the
   * rollback written to Git, or a new release).
   */
  boolean settled(AliasSpec desired, Integer version, AliasTarget target) {
    if (version == null || !scope.platform().supportsRollouts()) {
      return false;
    }
    String function = scope.name();
    Optional<RolloutStatus> latest = scope.platform().rollout(function, desired.name());
    if (latest.isEmpty() || latest.get().canaryVersion() != version) {
      return false;
    }
    RolloutStatus r = latest.get();
    String step =
        "step "
            + (r.step() + 1)
            + " of "
            + r.strategy().steps().size()
            + " ("
            + r.weight().toPlainString()
            + "%)";
    if (!r.state().finished()) {
      parts.warnings.add(
          function
              + " alias "
              + desired.name()
              + ": rollout of "
              + desired.release()
              + (r.state() == RolloutStatus.State.PROGRESSING
                  ? " in progress at "
                  : " " + r.state().name().toLowerCase(Locale.ROOT) + " at ")
              + step
              + ", "
              + r.samples()
              + " canary samples in this step");
      return true;
    }
    boolean failed =
        r.state() == RolloutStatus.State.ROLLED_BACK || r.state() == RolloutStatus.State.ABORTED;
    if (failed && !target.hasCanary() && target.version() == r.primaryVersion()) {
      String primary = releases.name(r.primaryVersion());
      parts.drift.add(
          new Plan.Drift(
              function,
              "rollout",
              desired.name(),
              "release "
                  + desired.release()
                  + " failed its rollout at step "
                  + (r.step() + 1)
                  + " ("
                  + r.strategy().steps().get(r.step()).toPlainString()
                  + "%): "
                  + r.reason()
                  + "; the alias serves "
                  + primary
                  + " again while Git still names "
                  + desired.release(),
              "not applied again: write the rollback to Git (the alias back to "
                  + primary
                  + "), or promote a new release"));
      return true;
    }
    return false;
  }
}
