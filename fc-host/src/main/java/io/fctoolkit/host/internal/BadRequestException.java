package io.fctoolkit.host.internal;

/** The request cannot be turned into the function's input; the host answers 400 (or 413). */
final class BadRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  BadRequestException(String message) {
    this(400, message, null);
  }

  BadRequestException(String message, Throwable cause) {
    this(400, message, cause);
  }

  BadRequestException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  int status() {
    return status;
  }
}
