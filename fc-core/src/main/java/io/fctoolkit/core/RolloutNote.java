package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

/**
 * What a platform whose rendered manifests run rollouts (Knative: Flagger) says about an alias's
 * rollout strategy, for the plan.
 *
 * @param severity what it means for the plan
 * @param field the environment file's path of the field, e.g. {@code
 *     functions.grader.aliases[0].rollout.minSamples}
 * @param message what the controller does, does differently, or cannot do
 */
public record RolloutNote(Severity severity, String field, String message) {

  /** How a note weighs in the plan. */
  public enum Severity {
    /** What the controller will do. */
    INFO,
    /** Run differently than on the local runtime; the message says how. */
    WARNING,
    /** Cannot be run: the plan is refused. */
    ERROR
  }

  public RolloutNote {
    requireNonNull(severity, "severity");
    requireNonNull(field, "field");
    requireNonNull(message, "message");
  }
}
