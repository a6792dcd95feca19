package io.fctoolkit.host.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A small blocking HTTP/1.1 server: one acceptor thread and one thread per connection.
 *
 * <p>Why not com.sun.net.httpserver: measured on JDK 17 it costs about twice the start-up time of
 * this server before the first response (NIO selector set-up, its System.Logger, a Timer thread,
 * and invokedynamic string concatenation inside the JDK module, which bootstraps method handles). A
 * function host needs only the core of HTTP/1.1: request line, headers, Content-Length and chunked
 * bodies, {@code Expect: 100-continue}, keep-alive. Anything more (TLS, HTTP/2) is the job of the
 * router or Knative's queue-proxy in front of it.
 */
final class Http1Server {
  /** Handles one request; must call {@link Http1Exchange#respond} (or the server answers 500). */
  interface Handler {
    void handle(Http1Exchange exchange) throws IOException;
  }

  /** A keep-alive connection idle this long is closed (Knative's queue-proxy reconnects). */
  static final int IDLE_TIMEOUT_MS = 120_000;

  /** How long a closing connection reads what the client still sends, so it sees our answer. */
  private static final int LINGER_MS = 1000;

  /** The settings of the server (from the host's environment, docs/architecture.md section 3). */
  record Limits(
      int maxConnections,
      int headerTimeoutMs,
      int bodyTimeoutMs,
      int idleTimeoutMs,
      long maxBody) {}

  private final Handler handler;
  private final JsonLog log;
  private final Limits limits;
  // Guarded by itself; also guards every Connection's evictableSince and evicted.
  private final Set<Connection> open =
      Collections.newSetFromMap(new IdentityHashMap<Connection, Boolean>());
  private ServerSocket listener;
  private volatile boolean stopped;

  Http1Server(Handler handler, JsonLog log, Limits limits) {
    this.handler = handler;
    this.log = log;
    this.limits = limits;
  }

  /** Binds and starts accepting; returns the bound port. */
  int start(String bind, int port) throws IOException {
    listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(bind, port), 256);
    // Not a daemon: this thread keeps the process alive while it serves.
    Thread acceptor = new Thread(new Acceptor(), "fc-accept");
    acceptor.start();
    return listener.getLocalPort();
  }

  /** Closes the listening socket: no new connection is accepted. */
  void stopAccepting() {
    stopped = true;
    try {
      if (listener != null) {
        listener.close();
      }
    } catch (IOException e) {
      // already closed
    }
  }

  /** Stops accepting and closes every open connection. */
  void closeAll() {
    stopAccepting();
    Connection[] connections;
    synchronized (open) {
      connections = open.toArray(new Connection[0]);
    }
    for (Connection c : connections) {
      closeQuietly(c.socket);
    }
  }

  /** Open connections now (tests). */
  int openConnections() {
    synchronized (open) {
      return open.size();
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /**
   * Makes room for a new connection at the cap by closing the connection that has waited longest
   * without a complete request head (idle keep-alive, or a head still arriving), or returns false
   * when every connection is serving a request. Why evict rather than refuse: a client that opens
   * connections and sends half a head (or nothing) would otherwise fill the cap and turn every
   * well-behaved request into a 503 until the header timeout; a well-behaved client sends its head
   * at once, so it is never the oldest one waiting. Connections inside a request are never closed.
   */
  private boolean evictOne() {
    Connection oldest = null;
    synchronized (open) {
      for (Connection c : open) {
        if (c.evictableSince != 0
            && (oldest == null || c.evictableSince - oldest.evictableSince < 0)) {
          oldest = c;
        }
      }
      if (oldest == null) {
        return false;
      }
      oldest.evicted = true;
      open.remove(oldest);
    }
    closeQuietly(oldest.socket);
    return true;
  }

  private final class Acceptor implements Runnable {
    private int connections;

    @Override
    public void run() {
      while (!stopped) {
        Socket socket;
        try {
          socket = listener.accept();
        } catch (IOException e) {
          if (!stopped) {
            log.error("accept failed").error(e).write();
          }
          return;
        }
        Connection connection = new Connection(socket);
        if (!admit(connection)) {
          refuse(socket);
          continue;
        }
        Thread thread = new Thread(connection, "fc-conn-" + (++connections));
        thread.setDaemon(true);
        thread.start();
      }
    }

    private boolean admit(Connection connection) {
      while (true) {
        synchronized (open) {
          if (open.size() < limits.maxConnections()) {
            open.add(connection);
            return true;
          }
        }
        if (!evictOne()) {
          return false;
        }
      }
    }

    private void refuse(Socket socket) {
      try {
        socket.setSoTimeout(1000);
        socket
            .getOutputStream()
            .write(
                Http1Exchange.ascii(
                    "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n"));
      } catch (IOException e) {
        // the client is gone
      } finally {
        closeQuietly(socket);
      }
    }
  }

  private final class Connection implements Runnable {
    final Socket socket;
    // Guarded by open: when this connection started waiting for a request head (nanoTime, never
    // 0 while waiting), 0 while it serves one; evicted once the acceptor closed it for room.
    long evictableSince;
    boolean evicted;

    Connection(Socket socket) {
      this.socket = socket;
      this.evictableSince = nonZeroNanoTime();
    }

    private long nonZeroNanoTime() {
      long now = System.nanoTime();
      return now == 0 ? 1 : now;
    }

    /** Marks this connection evictable (waiting for a head) or not; false once it was evicted. */
    private boolean waiting(boolean waiting) {
      synchronized (open) {
        if (evicted) {
          return false;
        }
        evictableSince = waiting ? nonZeroNanoTime() : 0;
        return true;
      }
    }

    @Override
    public void run() {
      boolean linger = false;
      try {
        socket.setTcpNoDelay(true);
        ConnectionInput in =
            new ConnectionInput(
                socket, limits.idleTimeoutMs(), limits.headerTimeoutMs(), limits.bodyTimeoutMs());
        BufferedOutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        while (!socket.isClosed()) {
          Http1Exchange exchange;
          try {
            exchange = Http1Exchange.read(socket, in, out, limits.maxBody());
          } catch (Http1Exchange.BadRequest e) {
            // After a framing error the rest of the stream cannot be trusted: answer and close.
            Http1Exchange.writeBadRequest(out, e.status, e.getMessage());
            linger = true;
            return;
          }
          if (exchange == null || !waiting(false)) {
            return; // the client closed the connection between requests, or it was evicted
          }
          try {
            handler.handle(exchange);
          } finally {
            exchange.respondIfNot(500);
          }
          // Draining a body the function left unread is like waiting for a head: evictable.
          if (!waiting(true) || !exchange.keepAlive() || !exchange.finishBody()) {
            RequestBody.BodyException failure = exchange.bodyFailure();
            linger = failure == null || !failure.clientGone;
            return;
          }
        }
      } catch (SocketTimeoutException idle) {
        // idle keep-alive connection, or a client that stopped sending: close it
      } catch (IOException e) {
        // connection reset or closed under us (timeout answer, shutdown): nothing to report
      } finally {
        synchronized (open) {
          open.remove(this);
        }
        if (linger) {
          lingerClose();
        }
        closeQuietly(socket);
      }
    }

    /**
     * Half-closes and reads (for a bounded time and size) what the client still sends, so that
     * closing with unread input does not reset the connection before the client read our answer.
     */
    private void lingerClose() {
      try {
        socket.shutdownOutput();
        socket.setSoTimeout(LINGER_MS);
        long deadline = System.nanoTime() + LINGER_MS * 1_000_000L;
        byte[] skip = new byte[8192];
        long read = 0;
        while (read < Http1Exchange.MAX_DRAIN && System.nanoTime() < deadline) {
          int n = socket.getInputStream().read(skip);
          if (n < 0) {
            return;
          }
          read += n;
        }
      } catch (IOException e) {
        // timed out or reset: close anyway
      }
    }
  }
}
