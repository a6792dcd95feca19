package io.fctoolkit.grader;

import java.util.Map;

/** The image host did not answer in time; a retry may succeed. */
public final class ImageFetchTimeoutException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public ImageFetchTimeoutException(String message, Map<String, Object> details) {
    super("IMAGE_FETCH_TIMEOUT", 503, true, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public ImageFetchTimeoutException(String message, Map<String, Object> details, Throwable cause) {
    super("IMAGE_FETCH_TIMEOUT", 503, true, message, details, cause);
  }
}
