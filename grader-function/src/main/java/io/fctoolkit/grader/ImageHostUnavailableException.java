package io.fctoolkit.grader;

import java.util.Map;

/** The image host could not be reached or answered 5xx or 429; a retry may succeed. */
public final class ImageHostUnavailableException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public ImageHostUnavailableException(String message, Map<String, Object> details) {
    super("IMAGE_HOST_UNAVAILABLE", 503, true, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public ImageHostUnavailableException(
      String message, Map<String, Object> details, Throwable cause) {
    super("IMAGE_HOST_UNAVAILABLE", 503, true, message, details, cause);
  }
}
