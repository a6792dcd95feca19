package io.fctoolkit.core;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A synchronous invocation of a function through an alias or a version.
 *
 * @param function the function's name
 * @param qualifier an alias name, or a version number such as {@code 3}
 * @param body the request body
 * @param headers request headers, e.g. {@code content-type} or CloudEvents {@code ce-*} headers
 * @param routingKey the key for alias key affinity, or null
 */
public record InvokeRequest(
    String function,
    String qualifier,
    byte[] body,
    Map<String, String> headers,
    String routingKey) {

  /** The HTTP header that carries the routing key for key affinity. */
  public static final String ROUTING_KEY_HEADER = "fc-routing-key";

  public InvokeRequest {
    requireNonNull(function, "function");
    requireNonNull(qualifier, "qualifier");
    requireNonNull(body, "body");
    headers = Map.copyOf(headers);
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
