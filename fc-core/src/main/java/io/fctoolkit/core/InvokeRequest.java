package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A synchronous invocation of a function through an alias or a version.
 *
 * @param function the function's name
 * @param qualifier an alias name, or a version number such as {@code 3}
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the path below the function's address, with its query: {@code /} or {@code
 *     /items?name=x}
 * @param body the request body
 * @param headers request headers, e.g. {@code content-type} or CloudEvents {@code ce-*} headers
 * @param routingKey the key for alias key affinity, or null
 */
public record InvokeRequest(
    String function,
    String qualifier,
    String method,
    String path,
    byte[] body,
    Map<String, String> headers,
    String routingKey) {

  /** The HTTP header that carries the routing key for key affinity. */
  public static final String ROUTING_KEY_HEADER = "fc-routing-key";

  public InvokeRequest {
    requireNonNull(function, "function");
    requireNonNull(qualifier, "qualifier");
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(body, "body");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
    }
    headers = Map.copyOf(headers);
  }

  /** A {@code POST /} with this body and these headers, as triggers and smoke checks send. */
  public InvokeRequest(
      String function,
      String qualifier,
      byte[] body,
      Map<String, String> headers,
      String routingKey) {
    this(function, qualifier, "POST", "/", body, headers, routingKey);
  }

  public static InvokeRequest json(String function, String qualifier, String json) {
    return new InvokeRequest(
        function,
        qualifier,
        json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Map.of("content-type", "application/json"),
        null);
  }
}
