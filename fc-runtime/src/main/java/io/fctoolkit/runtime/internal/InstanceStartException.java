package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.FcException;

/** An instance that did not become ready: it exited, or did not report ready in time. */
public final class InstanceStartException extends FcException {

  private static final long serialVersionUID = 1L;

  private final Integer exitCode;

  public InstanceStartException(String message, String hint, Integer exitCode) {
    super(message, hint);
    this.exitCode = exitCode;
  }

  /** The exit status if the instance exited, else null (it timed out). */
  public Integer exitCode() {
    return exitCode;
  }
}
