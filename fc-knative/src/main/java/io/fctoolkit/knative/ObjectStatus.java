package io.fctoolkit.knative;

import static java.util.Objects.requireNonNull;

/**
 * The readiness of one Knative object, read from its {@code Ready} condition.
 *
 * @param kind e.g. {@code Service}, {@code Revision}, {@code KafkaSource}
 * @param name the object's name
 * @param ready {@code TRUE}, {@code FALSE} or {@code UNKNOWN} (also when no controller reported
 *     yet)
 * @param reason the condition's reason, or null
 * @param message the condition's message, or null
 */
public record ObjectStatus(String kind, String name, String ready, String reason, String message) {
  public ObjectStatus {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(ready, "ready");
  }

  public boolean isReady() {
    return "TRUE".equals(ready);
  }

  @Override
  public String toString() {
    return kind
        + "/"
        + name
        + " Ready="
        + ready
        + (reason == null ? "" : " " + reason)
        + (message == null ? "" : ": " + message);
  }
}
