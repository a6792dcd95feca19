package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One picture of a function: serving figures per version next to each trigger's lag.
 *
 * @param function the function's name
 * @param versions per-version serving figures
 * @param triggers per-trigger status and lag
 */
public record FunctionMetrics(
    String function, List<VersionMetrics> versions, List<TriggerStatus> triggers) {
  public FunctionMetrics {
    requireNonNull(function, "function");
    versions = List.copyOf(versions);
    triggers = List.copyOf(triggers);
  }
}
