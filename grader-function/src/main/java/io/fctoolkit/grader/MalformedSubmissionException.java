package io.fctoolkit.grader;

import java.util.Map;

/** The request body is not JSON, or not a JSON object or CloudEvent. */
public final class MalformedSubmissionException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public MalformedSubmissionException(String message, Map<String, Object> details) {
    super("MALFORMED_JSON", 400, false, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public MalformedSubmissionException(
      String message, Map<String, Object> details, Throwable cause) {
    super("MALFORMED_JSON", 400, false, message, details, cause);
  }
}
