package io.fctoolkit.grader;

import java.util.Map;

/** The image host refused the request with a permanent 4xx status other than 404. */
public final class ImageFetchRejectedException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public ImageFetchRejectedException(String message, Map<String, Object> details) {
    super("IMAGE_FETCH_REJECTED", 422, false, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public ImageFetchRejectedException(String message, Map<String, Object> details, Throwable cause) {
    super("IMAGE_FETCH_REJECTED", 422, false, message, details, cause);
  }
}
