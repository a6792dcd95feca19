package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.FcException;

/**
 * An image that could not be imported: a malformed archive, a digest mismatch, a registry error.
 */
public final class ImageImportException extends FcException {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status the HTTP status the control API answers with: 400 for a bad image, 502 when a
   *     registry failed
   */
  public ImageImportException(int status, String message, String hint, Throwable cause) {
    super(message, hint, cause);
    this.status = status;
  }

  public ImageImportException(int status, String message, String hint) {
    this(status, message, hint, null);
  }

  public int status() {
    return status;
  }
}
