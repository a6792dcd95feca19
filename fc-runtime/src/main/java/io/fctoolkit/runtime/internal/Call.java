package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.InvokeResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
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
  // The forwarded request without its address and secret, checked once by prepare.
  private HttpRequest.Builder template;

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
   * Builds the request to forward, leaving out the {@code dropped} headers (lower case), so that
   * sending it cannot fail on its content.
   *
   * @return null, or why it cannot be forwarded (naming the header)
   */
  synchronized String prepare(Set<String> dropped) {
    if (template != null) {
      return null;
    }
    HttpRequest.Builder b;
    try {
      b = HttpRequest.newBuilder().method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    } catch (IllegalArgumentException e) {
      return "method '" + printable(method) + "' cannot be forwarded: " + e.getMessage();
    }
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      String name = h.getKey();
      if (dropped.contains(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      // The JDK client's own check is the one that matters: it is what would refuse it later.
      for (String value : h.getValue()) {
        try {
          b.header(name, value);
        } catch (IllegalArgumentException e) {
          return "header '"
              + printable(name)
              + "' cannot be forwarded: "
              + (HttpTokens.isToken(name)
                  ? "its value has a character that HTTP does not allow (a control character or"
                      + " one above U+00FF)"
                  : "its name is not an HTTP token");
        }
      }
    }
    template = b;
    return null;
  }

  /** The request to send to one instance: {@link #prepare} must have accepted this call. */
  synchronized HttpRequest forward(URI uri, Duration timeout, String secret) {
    if (template == null) {
      throw new IllegalStateException("call not prepared");
    }
    HttpRequest.Builder b = template.copy().uri(uri).timeout(timeout);
    if (secret != null) {
      b.header(Instance.SECRET_HEADER, secret);
    }
    return b.build();
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
