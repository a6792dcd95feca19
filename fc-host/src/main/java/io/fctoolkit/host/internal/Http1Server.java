package io.fctoolkit.host.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
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

  /** Open connections beyond this are refused with 503: bounds threads and memory. */
  static final int MAX_CONNECTIONS = 1024;

  /** A keep-alive connection idle this long is closed (Knative's queue-proxy reconnects). */
  static final int IDLE_TIMEOUT_MS = 120_000;

  private final Handler handler;
  private final JsonLog log;
  private final Set<Socket> open =
      Collections.newSetFromMap(new IdentityHashMap<Socket, Boolean>());
  private ServerSocket listener;
  private volatile boolean stopped;

  Http1Server(Handler handler, JsonLog log) {
    this.handler = handler;
    this.log = log;
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
    Socket[] sockets;
    synchronized (open) {
      sockets = open.toArray(new Socket[0]);
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
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
        int count;
        synchronized (open) {
          count = open.size();
          if (count < MAX_CONNECTIONS) {
            open.add(socket);
          }
        }
        if (count >= MAX_CONNECTIONS) {
          refuse(socket);
          continue;
        }
        Thread thread = new Thread(new Connection(socket), "fc-conn-" + (++connections));
        thread.setDaemon(true);
        thread.start();
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
    private final Socket socket;

    Connection(Socket socket) {
      this.socket = socket;
    }

    @Override
    public void run() {
      try {
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(IDLE_TIMEOUT_MS);
        InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
        BufferedOutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        while (!socket.isClosed()) {
          Http1Exchange exchange;
          try {
            exchange = Http1Exchange.read(socket, in, out);
          } catch (Http1Exchange.BadRequest e) {
            Http1Exchange.writeBadRequest(out, e.status, e.getMessage());
            return;
          }
          if (exchange == null) {
            return; // the client closed the connection between requests
          }
          try {
            handler.handle(exchange);
          } finally {
            exchange.respondIfNot(500);
          }
          if (!exchange.keepAlive() || !exchange.finishBody()) {
            return;
          }
        }
      } catch (SocketTimeoutException idle) {
        // idle keep-alive connection, or a client that stopped sending: close it
      } catch (IOException e) {
        // connection reset or closed under us (timeout answer, shutdown): nothing to report
      } finally {
        synchronized (open) {
          open.remove(socket);
        }
        closeQuietly(socket);
      }
    }
  }
}
