package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The answer to an invocation, with the version that served it.
 *
 * @param status the HTTP status the function answered with
 * @param headers response headers (lower-case names)
 * @param body the response body
 * @param version the version that served it, or 0 if none was reached
 * @param elapsed time from sending the request to the full response
 */
public record InvokeResponse(
    int status, Map<String, String> headers, byte[] body, int version, Duration elapsed) {

  /** The HTTP response header naming the version that served a request. */
  public static final String VERSION_HEADER = "fc-version";

  public InvokeResponse {
    headers = Map.copyOf(headers);
    requireNonNull(body, "body");
    requireNonNull(elapsed, "elapsed");
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
