package io.fctoolkit.runtime.internal;

import io.fctoolkit.core.InvokeResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Responses the runtime makes itself (queue full, crash, not ready), as JSON error bodies. */
public final class Responses {

  private Responses() {}

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
