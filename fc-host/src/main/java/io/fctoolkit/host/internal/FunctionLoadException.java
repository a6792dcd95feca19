package io.fctoolkit.host.internal;

/** The function class could not be found, instantiated or recognised; the host exits with 3. */
public final class FunctionLoadException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String target;

  /** Creates the exception for the function class {@code target}. */
  public FunctionLoadException(String target, String message, Throwable cause) {
    super(message, cause);
    this.target = target;
  }

  /** The value of {@code FUNCTION_TARGET} that failed to load. */
  public String target() {
    return target;
  }
}
