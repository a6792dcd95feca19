package io.fctoolkit.core;

/**
 * The base of fc-toolkit's failures: a message saying what failed, and a hint saying how to fix it.
 * Messages never contain credentials.
 */
public class FcException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String hint;
  private final String setting;

  public FcException(String message, String hint) {
    this(message, hint, null, null);
  }

  public FcException(String message, String hint, Throwable cause) {
    this(message, hint, null, cause);
  }

  /**
   * A failure that one setting fixes. Libraries name the setting ({@code weight}, {@code
   * git.baseBranch}); the front end says where it is set (a pom element, a {@code -D} property, a
   * flag), because only the front end knows.
   */
  public FcException(String message, String hint, String setting, Throwable cause) {
    super(message, cause);
    this.hint = hint;
    this.setting = setting;
  }

  /** How to fix it, or null when the message says it all. */
  public String hint() {
    return hint;
  }

  /** The setting that fixes it ({@code weight}, {@code git.baseBranch}), or null. */
  public String setting() {
    return setting;
  }

  /** The message followed by the hint, if any. */
  public String describe() {
    return hint == null ? getMessage() : getMessage() + "; " + hint;
  }
}
