package io.fctoolkit.runtime;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long the control API waits for slow clients, and how many it serves at once (documented in
 * {@code docs/control-api.md}, section "Limits").
 *
 * @param headerTimeout the longest a request head may take from its first byte to its blank line;
 *     past it the connection is closed without an answer
 * @param ioTimeout the longest one read of a request body, or one write of an answer, may wait for
 *     the client (between bytes, not for the whole body: a 4 GiB upload may take as long as it
 *     needs while bytes keep coming)
 * @param maxConnections requests being read, handled or answered at once (one thread each); a
 *     connection that starts a request past it is closed without an answer. Idle keep-alive
 *     connections and connections that have sent nothing do not count
 */
public record ControlApiLimits(Duration headerTimeout, Duration ioTimeout, int maxConnections) {

  public ControlApiLimits {
    requireNonNull(headerTimeout, "headerTimeout");
    requireNonNull(ioTimeout, "ioTimeout");
    if (headerTimeout.isNegative() || headerTimeout.isZero()) {
      throw new IllegalArgumentException("headerTimeout must be positive, was " + headerTimeout);
    }
    if (ioTimeout.isNegative() || ioTimeout.isZero()) {
      throw new IllegalArgumentException("ioTimeout must be positive, was " + ioTimeout);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be 1 or more, was " + maxConnections);
    }
  }

  /** 10 s for a head, 30 s between bytes of a body or an answer, 2048 requests at once. */
  public static ControlApiLimits defaults() {
    return new ControlApiLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 2048);
  }
}
