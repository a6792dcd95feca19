package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The live state of one trigger.
 *
 * @param trigger the trigger's name
 * @param state e.g. {@code RUNNING}, {@code PAUSED}, {@code BROKER_UNREACHABLE}
 * @param lastError the last delivery or connection error, or null
 * @param partitions per-partition progress
 */
public record TriggerStatus(
    String trigger, String state, String lastError, List<PartitionStatus> partitions) {
  public TriggerStatus {
    requireNonNull(trigger, "trigger");
    requireNonNull(state, "state");
    partitions = List.copyOf(partitions);
  }

  public long lag() {
    return partitions.stream().mapToLong(PartitionStatus::lag).sum();
  }
}
