package io.fctoolkit.grader.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A JDK HTTP server on 127.0.0.1 and an ephemeral port, standing in for the image store. */
public final class ImageServer implements AutoCloseable {

  /** What one path answers. */
  @FunctionalInterface
  public interface Handler {
    /** Answers the exchange. */
    void handle(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();

  /** Starts the server. */
  public ImageServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            Handler handler = handlers.get(exchange.getRequestURI().getPath());
            if (handler == null) {
              exchange.sendResponseHeaders(404, -1);
            } else {
              handler.handle(exchange);
            }
          } catch (IOException e) {
            // The client went away (e.g. a timeout test): nothing to answer.
          }
        });
    server.setExecutor(executor);
    server.start();
  }

  /** {@code host:port} of the server. */
  public String authority() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** An http URL for {@code path}. */
  public String url(String path) {
    return "http://" + authority() + path;
  }

  /** Serves {@code body} with status 200 at {@code path}. */
  public ImageServer bytes(String path, byte[] body) {
    handlers.put(path, exchange -> send(exchange, 200, body));
    return this;
  }

  /** Serves an empty answer with {@code status} at {@code path}. */
  public ImageServer status(String path, int status) {
    handlers.put(path, exchange -> exchange.sendResponseHeaders(status, -1));
    return this;
  }

  /** Redirects {@code path} to {@code location} with 302. */
  public ImageServer redirect(String path, String location) {
    handlers.put(
        path,
        exchange -> {
          exchange.getResponseHeaders().add("Location", location);
          exchange.sendResponseHeaders(302, -1);
        });
    return this;
  }

  /** Serves {@code path} with a custom handler. */
  public ImageServer handle(String path, Handler handler) {
    handlers.put(path, handler);
    return this;
  }

  /** Sends {@code body} with {@code status}. */
  public static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
