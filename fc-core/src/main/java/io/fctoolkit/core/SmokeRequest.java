package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One pre-traffic smoke invocation of a rollout: sent to the new version itself (by its number, not
 * through the alias) before the alias gives it any traffic; an answer with another status stops the
 * rollout before its first step.
 *
 * @param name where it comes from, e.g. the fixture's file name, for the reason a failure gives
 * @param method the HTTP method
 * @param path the path, starting with {@code /}
 * @param headers request headers
 * @param body the request body, as text
 * @param expectStatus the status the new version must answer
 */
public record SmokeRequest(
    String name,
    String method,
    String path,
    Map<String, String> headers,
    String body,
    int expectStatus) {

  public SmokeRequest {
    requireNonNull(name, "name");
    method = method == null ? "POST" : method;
    path = path == null ? "/" : path;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    body = body == null ? "" : body;
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "smoke request '" + name + "': path must start with '/', was '" + path + "'");
    }
    if (expectStatus == 0) {
      expectStatus = 200;
    }
    if (expectStatus < 100 || expectStatus > 599) {
      throw new IllegalArgumentException(
          "smoke request '" + name + "': expectStatus must be an HTTP status, was " + expectStatus);
    }
  }
}
