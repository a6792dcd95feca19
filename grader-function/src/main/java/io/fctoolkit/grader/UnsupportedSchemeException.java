package io.fctoolkit.grader;

import java.util.Map;

/** The image URI uses a scheme other than file, http or https. */
public final class UnsupportedSchemeException extends GraderException {
  /** An error with {@code details} naming the offending value. */
  public UnsupportedSchemeException(String message, Map<String, Object> details) {
    super("UNSUPPORTED_SCHEME", 400, false, message, details, null);
  }

  /** An error with {@code details} naming the offending value, keeping {@code cause}. */
  public UnsupportedSchemeException(String message, Map<String, Object> details, Throwable cause) {
    super("UNSUPPORTED_SCHEME", 400, false, message, details, cause);
  }
}
