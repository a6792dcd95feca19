package io.fctoolkit.core;

/**
 * The base of fc-toolkit's failures: a message saying what failed, and a hint saying how to fix it.
 * Messages never contain credentials.
 */
public class FcException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String hint;

  public FcException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  public FcException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  /** How to fix it, or null when the message says it all. */
  public String hint() {
    return hint;
  }

  /** The message followed by the hint, if any. */
  public String describe() {
    return hint == null ? getMessage() : getMessage() + "; " + hint;
  }
}
