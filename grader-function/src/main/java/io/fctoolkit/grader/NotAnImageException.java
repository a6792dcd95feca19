package io.fctoolkit.grader;

import java.util.Map;

/** The fetched bytes are not a JPEG or PNG image. */
public final class NotAnImageException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public NotAnImageException(String message, Map<String, Object> details) {
    super("NOT_AN_IMAGE", 422, false, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public NotAnImageException(String message, Map<String, Object> details, Throwable cause) {
    super("NOT_AN_IMAGE", 422, false, message, details, cause);
  }
}
