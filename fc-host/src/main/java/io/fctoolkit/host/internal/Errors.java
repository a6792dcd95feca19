package io.fctoolkit.host.internal;

/** Turns exceptions into one-line descriptions for logs and error bodies. */
final class Errors {
  private Errors() {}

  /** The exception's message followed by its causes' messages; never a stack trace. */
  static String describe(Throwable error) {
    StringBuilder sb = new StringBuilder();
    Throwable current = error;
    for (int depth = 0; current != null && depth < 5; depth++) {
      if (depth > 0) {
        sb.append(" <- caused by ").append(current.getClass().getName()).append(": ");
      }
      sb.append(current.getMessage() == null ? "(no message)" : current.getMessage());
      if (current.getCause() == current) {
        break;
      }
      current = current.getCause();
    }
    return sb.toString();
  }
}
