package io.fctoolkit.grader;

import java.util.Map;

/** A submission field is missing or has a bad value. */
public final class InvalidSubmissionException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public InvalidSubmissionException(String message, Map<String, Object> details) {
    super("INVALID_SUBMISSION", 400, false, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public InvalidSubmissionException(String message, Map<String, Object> details, Throwable cause) {
    super("INVALID_SUBMISSION", 400, false, message, details, cause);
  }
}
