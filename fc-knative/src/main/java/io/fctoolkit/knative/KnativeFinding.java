package io.fctoolkit.knative;

import static java.util.Objects.requireNonNull;

/**
 * Something fc-toolkit asked for that Knative expresses differently (a warning, applied with the
 * stated change) or cannot express at all (an error, nothing is applied).
 *
 * @param severity whether it was adapted or refused
 * @param field the path of the concept field, e.g. {@code alias.prod.canaryWeight} or {@code
 *     trigger.submissions.ordering}
 * @param message what Knative does instead, or why it is refused
 */
public record KnativeFinding(Severity severity, String field, String message) {

  /** How serious a finding is. */
  public enum Severity {
    /** Applied with an adaptation that the message states. */
    WARNING,
    /** Not expressible on Knative: refused, nothing applied. */
    ERROR
  }

  public KnativeFinding {
    requireNonNull(severity, "severity");
    requireNonNull(field, "field");
    requireNonNull(message, "message");
  }

  public static KnativeFinding warning(String field, String message) {
    return new KnativeFinding(Severity.WARNING, field, message);
  }

  public static KnativeFinding error(String field, String message) {
    return new KnativeFinding(Severity.ERROR, field, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    return severity + " " + field + ": " + message;
  }
}
