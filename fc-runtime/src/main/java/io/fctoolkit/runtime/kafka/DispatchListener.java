package io.fctoolkit.runtime.kafka;

import io.fctoolkit.core.InvokeResponse;

/**
 * Observes a trigger's deliveries; serves tests and metrics alike. Called from the trigger's
 * threads, so implementations must be thread safe and quick.
 */
public interface DispatchListener {

  /** A listener that ignores everything. */
  DispatchListener NONE = new DispatchListener() {};

  /** A record was read and will be delivered (attempt 0: not yet attempted). */
  default void received(DispatchEvent event) {}

  /** An attempt succeeded with a 2xx answer. */
  default void delivered(DispatchEvent event, InvokeResponse response) {}

  /**
   * An attempt failed.
   *
   * @param error why, e.g. {@code HTTP 500: ...}
   * @param willRetry true if another attempt follows; false if the record goes to the dead-letter
   *     topic (or is dropped when the trigger allows it)
   */
  default void failed(DispatchEvent event, String error, boolean willRetry) {}
}
