package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.InvokeResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One request on its way to an instance: what to send, where to answer, and its bookkeeping.
 * Mutable fields are guarded by the pool that holds the call.
 */
public final class Call {
  /** Headers never forwarded to an instance (lower case): hop-by-hop, or the runtime's own. */
  static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "upgrade",
          "authorization",
          "keep-alive",
          "transfer-encoding",
          "te",
          "trailer",
          "proxy-authorization",
          // Only the runtime sets it: a client's value would be a guess, or the real one replayed.
          Instance.SECRET_HEADER);

  final String method;
  final String pathAndQuery;
  final Map<String, List<String>> headers;
  final byte[] body;
  final CompletableFuture<InvokeResponse> future = new CompletableFuture<>();
  final long startNanos = System.nanoTime();
  final ServingStats aliasStats;
  int attempts;
  // Set (under the pool's lock) when a starting instance, just ready, takes this queued call.
  boolean waitedForStart;
  // Set (under the pool's lock) when the call found no free slot and was queued.
  boolean queued;
  ScheduledFuture<?> queueTimeout;
  // The forwarded request's head without its Host, secret and blank line, checked once by prepare.
  private byte[] headStart;

  public Call(
      String method,
      String pathAndQuery,
      Map<String, List<String>> headers,
      byte[] body,
      ServingStats aliasStats) {
    this.method = method;
    this.pathAndQuery = pathAndQuery.isEmpty() ? "/" : pathAndQuery;
    this.headers = headers;
    this.body = body;
    this.aliasStats = aliasStats;
  }

  public CompletableFuture<InvokeResponse> future() {
    return future;
  }

  /**
   * Builds the head of the request to forward, leaving out the {@code dropped} headers (lower
   * case), so that sending it cannot fail on its content: the method must be a token, the path
   * visible ASCII, header names tokens and values free of control characters (tabs allowed) and of
   * characters above U+00FF.
   *
   * @return null, or why it cannot be forwarded (naming the header)
   */
  synchronized String prepare(Set<String> dropped) {
    if (headStart != null) {
      return null;
    }
    if (!HttpTokens.isToken(method) || method.equalsIgnoreCase("CONNECT")) {
      return "method '"
          + printable(method)
          + "' cannot be forwarded: it is not an HTTP method token"
          + " other than CONNECT";
    }
    if (!visibleAscii(pathAndQuery) || pathAndQuery.charAt(0) != '/') {
      return "path '"
          + printable(pathAndQuery)
          + "' cannot be forwarded: it must start with '/' and have only visible ASCII characters"
          + " (percent-encode the others)";
    }
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      String name = h.getKey();
      if (dropped.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      if (!HttpTokens.isToken(name)) {
        return "header '"
            + printable(name)
            + "' cannot be forwarded: its name is not an HTTP token";
      }
      for (String value : h.getValue()) {
        if (!validValue(value)) {
          return "header '"
              + printable(name)
              + "' cannot be forwarded: its value has a character that HTTP does not allow (a"
              + " control character or one above U+00FF)";
        }
        head.append(name).append(": ").append(value).append("\r\n");
      }
    }
    // Always a length, as the JDK client sent: the host needs no chunked decoding for it.
    if (body.length > 0 || !(method.equals("GET") || method.equals("HEAD"))) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    headStart = InstanceClient.latin1(head.toString());
    return null;
  }

  /**
   * The head of the request to send to the instance on {@code port}: {@link #prepare} must have
   * accepted this call. The secret goes in {@link Instance#SECRET_HEADER} when not null.
   */
  synchronized byte[] head(int port, String secret) {
    if (headStart == null) {
      throw new IllegalStateException("call not prepared");
    }
    String tail =
        "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + (secret == null ? "" : Instance.SECRET_HEADER + ": " + secret + "\r\n")
            + "\r\n";
    byte[] end = InstanceClient.latin1(tail);
    byte[] all = Arrays.copyOf(headStart, headStart.length + end.length);
    System.arraycopy(end, 0, all, headStart.length, end.length);
    return all;
  }

  private static boolean visibleAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  /** A header value HTTP allows: no control characters but tab, nothing above U+00FF. */
  private static boolean validValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} with control characters shown as {@code \\uXXXX}, for messages and logs. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
