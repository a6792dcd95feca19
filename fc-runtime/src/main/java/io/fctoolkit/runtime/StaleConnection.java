package io.fctoolkit.runtime;

import java.io.IOException;

/**
 * Tells a request that failed on a pooled connection the server had already closed (so it never
 * reached the server) from one the server may have received.
 *
 * <p>The JDK's HTTP client keeps idle connections longer (20 minutes on JDK 17) than the JDK server
 * under the control API keeps them open (30 s), and retries only GETs by itself. A write that
 * failed with a broken pipe delivered nothing, whatever the method. An answer of no bytes at all,
 * or a reset, also happens when the server took the request and died before answering: only control
 * calls, which are idempotent or revision-checked, are sent again then; invocations are not.
 */
final class StaleConnection {
  private StaleConnection() {}

  /** Whether {@code failure} shows the request was not delivered, so sending it again is safe. */
  static boolean unsent(IOException failure, boolean invocation) {
    boolean nothingBack = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("Broken pipe")) {
        return true;
      }
      if (message.contains("received no bytes") || message.contains("Connection reset")) {
        nothingBack = true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return nothingBack && !invocation;
  }
}
