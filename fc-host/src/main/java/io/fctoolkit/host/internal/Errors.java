package io.fctoolkit.host.internal;

/**
 * The host's error answers: the JSON error body and one-line descriptions of exceptions. Used by
 * both the protocol layer ({@link Http1Exchange}, {@link Http1Server}) and the application layer
 * ({@link HostServer}), so it depends on neither: imports point one way, protocol <- application.
 */
final class Errors {
  private Errors() {}

  /** {@code {"error":{"type":...,"message":...,"requestId":...}}}; requestId may be null. */
  static String body(String type, String message, String requestId) {
    StringBuilder sb = new StringBuilder(96).append("{\"error\":{\"type\":");
    JsonText.quote(type, sb);
    sb.append(",\"message\":");
    JsonText.quote(message, sb);
    if (requestId != null) {
      sb.append(",\"requestId\":");
      JsonText.quote(requestId, sb);
    }
    return sb.append("}}").toString();
  }

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
