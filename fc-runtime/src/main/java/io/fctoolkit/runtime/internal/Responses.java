package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.InvokeResponse;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Responses the runtime makes itself (queue full, crash, not ready), as JSON error bodies, and the
 * header map of every {@link InvokeResponse}.
 */
public final class Responses {

  private Responses() {}

  /**
   * An HTTP answer's headers as an {@link InvokeResponse} carries them: names in lower case, values
   * of a repeated header joined with commas, HTTP/2 pseudo-headers left out.
   */
  public static Map<String, String> headers(HttpHeaders headers) {
    Map<String, String> out = new HashMap<>();
    headers
        .map()
        .forEach(
            (k, v) -> {
              if (!v.isEmpty() && !k.startsWith(":")) {
                out.put(k.toLowerCase(Locale.ROOT), String.join(",", v));
              }
            });
    return out;
  }

  /** An error answer that no function produced; {@code version} 0 if no version was reached. */
  public static InvokeResponse error(
      int status, String type, String message, String hint, int version, long startNanos) {
    StringBuilder json = new StringBuilder();
    json.append("{\"error\":{\"status\":")
        .append(status)
        .append(",\"type\":")
        .append(LogSink.quote(type))
        .append(",\"message\":")
        .append(LogSink.quote(message));
    if (hint != null) {
      json.append(",\"hint\":").append(LogSink.quote(hint));
    }
    json.append("}}");
    Map<String, String> headers =
        switch (status) {
          case 429, 503 ->
              Map.of("content-type", "application/json", "retry-after", "1", "fc-error", type);
          case 401 ->
              Map.of(
                  "content-type",
                  "application/json",
                  "www-authenticate",
                  "Bearer realm=\"fc-runtime\"",
                  "fc-error",
                  type);
          default -> Map.of("content-type", "application/json", "fc-error", type);
        };
    return new InvokeResponse(
        status,
        headers,
        json.toString().getBytes(StandardCharsets.UTF_8),
        version,
        Duration.ofNanos(System.nanoTime() - startNanos));
  }
}
