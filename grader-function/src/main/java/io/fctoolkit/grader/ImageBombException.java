package io.fctoolkit.grader;

import java.util.Map;

/** The image header declares more pixels than the grader will decode (a decompression bomb). */
public final class ImageBombException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public ImageBombException(String message, Map<String, Object> details) {
    super("IMAGE_DIMENSIONS_TOO_LARGE", 422, false, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public ImageBombException(String message, Map<String, Object> details, Throwable cause) {
    super("IMAGE_DIMENSIONS_TOO_LARGE", 422, false, message, details, cause);
  }
}
