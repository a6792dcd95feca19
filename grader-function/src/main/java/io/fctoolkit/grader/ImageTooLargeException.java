package io.fctoolkit.grader;

import java.util.Map;

/** The image file is larger than the configured size cap. */
public final class ImageTooLargeException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public ImageTooLargeException(String message, Map<String, Object> details) {
    super("IMAGE_TOO_LARGE", 413, false, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public ImageTooLargeException(String message, Map<String, Object> details, Throwable cause) {
    super("IMAGE_TOO_LARGE", 413, false, message, details, cause);
  }
}
