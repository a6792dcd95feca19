package io.fctoolkit.core.gitops;

import java.util.ArrayList;
import java.util.List;

/**
 * What the plan of one environment collects while its functions are planned, in the order the
 * planners find it (the rendered plan lists entries in that order).
 */
final class PlanParts {
  final List<Plan.Publish> publishes = new ArrayList<>();
  final List<Plan.AliasChange> aliases = new ArrayList<>();
  final List<Plan.TriggerChange> triggers = new ArrayList<>();
  final List<Plan.Drift> drift = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();
  final List<String> errors = new ArrayList<>();

  Plan toPlan(EnvironmentSpec env, String target) {
    return new Plan(
        env.name(),
        target,
        env.driftPolicy(),
        publishes,
        aliases,
        triggers,
        drift,
        warnings,
        errors);
  }
}
