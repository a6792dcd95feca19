package io.fctoolkit.grader;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A failure to grade a submission, carrying what the HTTP answer needs: a stable code, a status
 * (4xx permanent, 5xx transient), whether a retry could help, and details naming the bad value.
 */
public abstract class GraderException extends RuntimeException {
  private final String code;
  private final int httpStatus;
  private final boolean retryable;
  private final Map<String, Object> details;

  protected GraderException(
      String code,
      int httpStatus,
      boolean retryable,
      String message,
      Map<String, Object> details,
      Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code");
    this.httpStatus = httpStatus;
    this.retryable = retryable;
    this.details = Map.copyOf(details);
  }

  /** The stable machine-readable error code, e.g. {@code HOST_NOT_ALLOWED}. */
  public String code() {
    return code;
  }

  /** The HTTP status to answer with: 4xx when a retry cannot help, 5xx when it may. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Whether sending the same submission again could succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** Extra fields of the error body (the offending field, host, limit...). */
  public Map<String, Object> details() {
    return details;
  }
}
