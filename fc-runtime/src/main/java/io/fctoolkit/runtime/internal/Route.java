package io.fctoolkit.runtime.internal;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of the control API's route table.
 *
 * @param method the HTTP method, or {@link #ANY_METHOD}
 * @param pattern the path: literal segments, {@code {name}} for one segment (a parameter of the
 *     call), and a last {@code **} for any number of further segments
 * @param access who may call it
 * @param maxBody the largest body the route takes; a larger {@code Content-Length} is answered 413
 *     before the handler runs
 * @param handler what answers it
 */
record Route(String method, String pattern, Access access, long maxBody, Handler handler) {

  /** Matches every method (invocations forward theirs to the function). */
  static final String ANY_METHOD = "*";

  /** Who may call a route. */
  enum Access {
    /** Anyone (the health check). */
    ANYONE,
    /** The bearer token only. */
    TOKEN,
    /**
     * The bearer token, or anyone when the function version it reaches is public: the core decides,
     * the route only hands over whether the token was sent.
     */
    TOKEN_OR_PUBLIC_FUNCTION
  }

  /** Answers one call. */
  @FunctionalInterface
  interface Handler {
    void handle(ApiCall call) throws Exception;
  }

  Route {
    requireNonNull(method, "method");
    requireNonNull(access, "access");
    requireNonNull(handler, "handler");
    List<String> parts = segments(pattern);
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).equals("**") && i != parts.size() - 1) {
        throw new IllegalArgumentException("'**' must end the pattern: " + pattern);
      }
    }
  }

  boolean allows(String requestMethod) {
    return method.equals(ANY_METHOD) || method.equals(requestMethod);
  }

  /**
   * The path's parameters, still URL-encoded ({@link ApiCall#param} decodes them), when {@code
   * path} (its segments, empty ones ignored) fits the pattern; else null.
   */
  Map<String, String> match(List<String> path) {
    List<String> parts = segments(pattern);
    boolean open = !parts.isEmpty() && parts.get(parts.size() - 1).equals("**");
    int fixed = open ? parts.size() - 1 : parts.size();
    if (open ? path.size() < fixed : path.size() != fixed) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < fixed; i++) {
      String part = parts.get(i);
      if (part.startsWith("{") && part.endsWith("}")) {
        params.put(part.substring(1, part.length() - 1), path.get(i));
      } else if (!part.equals(path.get(i))) {
        return null;
      }
    }
    return params;
  }

  /** The non-empty segments of a raw path, still URL-encoded. */
  static List<String> segments(String rawPath) {
    return Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty()).toList();
  }
}
