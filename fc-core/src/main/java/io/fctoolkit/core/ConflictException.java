package io.fctoolkit.core;

/**
 * A change refused because the state it was based on is stale (another pipeline changed it) or
 * because it would break something that depends on it.
 */
public class ConflictException extends FcException {

  private static final long serialVersionUID = 1L;

  private final Long expectedRevision;
  private final Long actualRevision;

  public ConflictException(String message, String hint) {
    this(message, hint, null, null);
  }

  public ConflictException(
      String message, String hint, Long expectedRevision, Long actualRevision) {
    super(message, hint);
    this.expectedRevision = expectedRevision;
    this.actualRevision = actualRevision;
  }

  /** Builds the conflict of a stale revision, naming both revisions. */
  public static ConflictException staleRevision(String what, long expected, long actual) {
    return new ConflictException(
        what
            + " was changed by someone else: expected revision "
            + expected
            + " but it is at revision "
            + actual,
        "look at the current state, then retry against revision " + actual,
        expected,
        actual);
  }

  public Long expectedRevision() {
    return expectedRevision;
  }

  public Long actualRevision() {
    return actualRevision;
  }
}
