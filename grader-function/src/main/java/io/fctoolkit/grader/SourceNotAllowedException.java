package io.fctoolkit.grader;

import java.util.Map;

/** The image URI (or a redirect) names a host or path outside the configured allow-list. */
public final class SourceNotAllowedException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public SourceNotAllowedException(String message, Map<String, Object> details) {
    super("SOURCE_NOT_ALLOWED", 403, false, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public SourceNotAllowedException(String message, Map<String, Object> details, Throwable cause) {
    super("SOURCE_NOT_ALLOWED", 403, false, message, details, cause);
  }
}
