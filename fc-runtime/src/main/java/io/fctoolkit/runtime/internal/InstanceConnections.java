package io.fctoolkit.runtime.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The idle kept-alive connections to one instance, newest first (so that the fewest stay in use and
 * the rest idle out). Once closed, it keeps nothing: a connection given back is closed.
 */
final class InstanceConnections {

  /** The most idle connections kept per instance; more are closed when given back. */
  static final int MAX_KEPT = 256;

  // Guarded by this.
  private final ArrayDeque<InstanceConnection> idle = new ArrayDeque<>();
  private boolean closed;

  /** The newest idle connection, or null. */
  synchronized InstanceConnection take() {
    return idle.pollFirst();
  }

  /** Keeps {@code connection} for the next request, or closes it (closed, or too many kept). */
  void give(InstanceConnection connection) {
    synchronized (this) {
      if (!closed && idle.size() < MAX_KEPT) {
        idle.addFirst(connection);
        return;
      }
    }
    connection.close();
  }

  synchronized int idleCount() {
    return idle.size();
  }

  /** Closes every idle connection, and from now on every one given back. */
  void close() {
    List<InstanceConnection> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(idle);
      idle.clear();
    }
    all.forEach(InstanceConnection::close);
  }
}
