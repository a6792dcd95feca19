package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformCapabilities;
import java.util.List;

/**
 * Compares an environment's desired state (Git) with its live platform and says what apply would
 * change. Read-only: planning never changes the platform.
 *
 * <p>Per function, {@link ReleaseMap} maps Git releases to live versions (and plans publishes),
 * {@link AliasPlanner} plans the aliases with {@link RolloutPlanner} for their rollouts, and {@link
 * TriggerPlanner} the triggers; all add to one {@link PlanParts} in that order.
 */
public final class Planner {

  private final GitOpsRepository repository;

  public Planner(GitOpsRepository repository) {
    this.repository = requireNonNull(repository, "repository");
  }

  /** Plans environment {@code environment} against {@code platform}. */
  public Plan plan(String environment, Platform platform) {
    EnvironmentSpec env = repository.environment(environment);
    PlatformCapabilities caps = platform.capabilities();
    PlanParts parts = new PlanParts();
    for (EnvironmentFunction envFunction : env.functions()) {
      FunctionSpec function = repository.function(envFunction.name());
      FunctionState live =
          platform
              .describe(function.name())
              .orElse(new FunctionState(function.name(), List.of(), List.of(), List.of()));
      FunctionScope scope = new FunctionScope(env, envFunction, function, live, platform, caps);
      ReleaseMap releases = ReleaseMap.plan(repository, scope, parts);
      new AliasPlanner(scope, releases, new RolloutPlanner(scope, releases, parts), parts).plan();
      new TriggerPlanner(scope, parts).plan();
    }
    return parts.toPlan(env, platform.target());
  }
}
