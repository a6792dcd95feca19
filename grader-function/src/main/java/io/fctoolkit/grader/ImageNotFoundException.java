package io.fctoolkit.grader;

import java.util.Map;

/** The image does not exist at the given URI (file missing, HTTP 404 or 410). */
public final class ImageNotFoundException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public ImageNotFoundException(String message, Map<String, Object> details) {
    super("IMAGE_NOT_FOUND", 422, false, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public ImageNotFoundException(String message, Map<String, Object> details, Throwable cause) {
    super("IMAGE_NOT_FOUND", 422, false, message, details, cause);
  }
}
