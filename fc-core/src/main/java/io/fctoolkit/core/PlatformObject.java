package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

/**
 * One object a platform keeps for a function (on Knative: the Service, a Revision, a KafkaSource)
 * and its {@code Ready} condition, for {@code fc:status} and plans.
 *
 * @param kind e.g. {@code Service}, {@code Revision}, {@code KafkaSource}
 * @param name the object's name
 * @param ready {@code TRUE}, {@code FALSE} or {@code UNKNOWN} (also when no controller reported
 *     yet)
 * @param reason the condition's reason, or null
 * @param message the condition's message, or null
 */
public record PlatformObject(
    String kind, String name, String ready, String reason, String message) {

  /** The value of {@link #ready} for an object the platform reports ready. */
  public static final String READY = "TRUE";

  /** The value of {@link #ready} for an object the platform reports failed. */
  public static final String NOT_READY = "FALSE";

  /** The value of {@link #ready} when nothing was reported (yet). */
  public static final String UNKNOWN = "UNKNOWN";

  public PlatformObject {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(ready, "ready");
  }

  public boolean isReady() {
    return READY.equals(ready);
  }

  public boolean isFailed() {
    return NOT_READY.equals(ready);
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
