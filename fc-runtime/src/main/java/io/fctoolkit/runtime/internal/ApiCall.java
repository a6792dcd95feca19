package io.fctoolkit.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.fctoolkit.core.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One control API request and its answer: the route's path parameters, the query, the body (read
 * through the {@link SlowClientGuard}) and the ways to answer. Every wait on the client is guarded.
 */
final class ApiCall {

  private final HttpExchange exchange;
  private final Map<String, String> params;
  private final SlowClientGuard guard;
  private boolean dropConnection;
  private boolean drainBody;

  ApiCall(HttpExchange exchange, Map<String, String> params, SlowClientGuard guard) {
    this.exchange = exchange;
    this.params = params;
    this.guard = guard;
  }

  HttpExchange exchange() {
    return exchange;
  }

  String method() {
    return exchange.getRequestMethod();
  }

  /** The raw (still URL-encoded) path. */
  String rawPath() {
    return exchange.getRequestURI().getRawPath();
  }

  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  Headers requestHeaders() {
    return exchange.getRequestHeaders();
  }

  Headers responseHeaders() {
    return exchange.getResponseHeaders();
  }

  /** A path parameter of the route, URL-decoded. */
  String param(String name) {
    String raw = params.get(name);
    if (raw == null) {
      throw new IllegalStateException("the route declares no parameter " + name);
    }
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  /** A path parameter as it came, still URL-encoded. */
  String rawParam(String name) {
    return params.get(name);
  }

  Map<String, String> query() {
    Map<String, String> out = new HashMap<>();
    String q = exchange.getRequestURI().getRawQuery();
    if (q != null) {
      for (String pair : q.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  /** The declared body length, or -1 when none or unreadable (chunked). */
  long contentLength() {
    String value = header("Content-Length");
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The body, each read waiting at most the I/O timeout. */
  InputStream body() {
    return guard.body(exchange.getRequestBody());
  }

  /** The whole body, refused with 413 past {@code limit}. */
  byte[] readBody(long limit, String what) throws IOException {
    try (InputStream in = body()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw new ApiErrors.PayloadTooLarge(what, limit);
      }
      return bytes;
    }
  }

  /** The body as a JSON value (400 naming line and column when malformed). */
  JsonNode readJson() throws IOException {
    long length = contentLength();
    if (length > ControlApi.MAX_JSON_BYTES) {
      throw new ApiErrors.PayloadTooLarge("JSON body", ControlApi.MAX_JSON_BYTES);
    }
    byte[] bytes = readBody(ControlApi.MAX_JSON_BYTES, "JSON body");
    try {
      JsonNode node = RuntimeJson.MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new InvalidRequestException("body", "is empty; a JSON object is required", null);
      }
      return node;
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new InvalidRequestException(
          "body",
          "malformed JSON"
              + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
              + ": "
              + e.getOriginalMessage(),
          "send a valid JSON object");
    }
  }

  void json(int status, Object value) throws IOException {
    bytes(status, "application/json", RuntimeJson.MAPPER.writeValueAsBytes(value));
  }

  void text(int status, String type, String text) throws IOException {
    bytes(status, type, text.getBytes(StandardCharsets.UTF_8));
  }

  void bytes(int status, String type, byte[] body) throws IOException {
    try {
      exchange.getResponseHeaders().set("Content-Type", type);
      // A HEAD answer (e.g. an error for HEAD /v1/blobs/...) carries the status, never a body.
      boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
      send(status, body.length == 0 || head ? -1 : body.length, head ? new byte[0] : body);
    } finally {
      close();
    }
  }

  void empty(int status) throws IOException {
    try {
      send(status, -1, new byte[0]);
    } finally {
      close();
    }
  }

  /** Writes the status line, headers and body, each write waiting at most the I/O timeout. */
  void send(int status, long length, byte[] body) throws IOException {
    guard.io(
        () -> {
          exchange.sendResponseHeaders(status, length);
          if (body.length > 0) {
            exchange.getResponseBody().write(body);
          }
          // Out now, not at close: closing first reads what is left of the request body, and a
          // client that declared a body it never sends would wait for its answer until the timeout.
          exchange.getResponseBody().flush();
          return null;
        });
  }

  /**
   * Reads and discards what is left of a refused body (up to {@link ApiErrors#DRAIN_LIMIT}) once
   * the answer is sent, so that a client still sending reads the answer instead of a reset
   * connection, and one that never sends the body it declared still gets its answer at once.
   */
  void drainBodyAfterAnswer() {
    drainBody = true;
  }

  /**
   * Drops the connection once the answer is sent, leaving the rest of the body unread (a body
   * declared larger than anything the runtime would read).
   */
  void dropConnectionAfterAnswer() {
    dropConnection = true;
    responseHeaders().set("Connection", "close");
  }

  /**
   * Ends the exchange. The JDK server then reads what is left of an unread body (up to {@code
   * sun.net.httpserver.drainAmount}) and flushes the answer: both wait on the client.
   */
  void close() {
    if (drainBody) {
      drain();
    }
    try {
      guard.io(
          () -> {
            if (dropConnection) {
              // The JDK server would wait to read the unread body before closing; interrupting
              // the thread makes that read close the channel at once instead.
              Thread.currentThread().interrupt();
            }
            try {
              exchange.close();
            } finally {
              if (dropConnection) {
                Thread.interrupted();
              }
            }
            return null;
          });
    } catch (IOException | RuntimeException e) {
      // the client went away or was too slow; the connection is closed
    }
  }

  private void drain() {
    try (InputStream in = body()) {
      long left = ApiErrors.DRAIN_LIMIT;
      byte[] buffer = new byte[64 << 10];
      int n;
      while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // the client gave up or was too slow; the answer was sent
    }
  }
}
