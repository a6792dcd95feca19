package io.fctoolkit.grader;

import java.util.Map;

/** The image file ends early or is corrupt. */
public final class TruncatedImageException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public TruncatedImageException(String message, Map<String, Object> details) {
    super("IMAGE_TRUNCATED", 422, false, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public TruncatedImageException(String message, Map<String, Object> details, Throwable cause) {
    super("IMAGE_TRUNCATED", 422, false, message, details, cause);
  }
}
