package io.fctoolkit.maven.internal;

import io.fctoolkit.core.InvokeRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/** {@code fc:invoke}'s parameters to an {@link InvokeRequest}, as curl would send them. */
public final class InvokeRequests {

  private InvokeRequests() {}

  /**
   * The values of {@code fc:invoke}.
   *
   * @param method the HTTP method, or null: {@code POST} with a body or an event, else {@code GET}
   * @param path the path below the function, or null for {@code /}
   * @param query {@code name=value&...} as written (the plugin percent-encodes it), or null
   * @param headers {@link HeaderSyntax} text, or null
   * @param body the body (empty for none)
   * @param contentType the body's type, or null: {@code application/json} for a body
   * @param routingKey the key for an alias with key affinity, or null
   * @param event the CloudEvent to send the body as, or {@link CloudEventSettings#NONE}
   */
  public record Settings(
      String method,
      String path,
      String query,
      String headers,
      byte[] body,
      String contentType,
      String routingKey,
      CloudEventSettings event) {}

  public static InvokeRequest from(
      String function, String qualifier, Settings s, Supplier<String> eventIds) {
    byte[] body = s.body();
    String contentType =
        CloudEventSettings.set(s.contentType())
            ? s.contentType().trim()
            : body.length > 0 ? "application/json" : null;
    Map<String, String> headers = new LinkedHashMap<>();
    if (s.event().isSet()) {
      CloudEvents.Encoded event = CloudEvents.encode(s.event(), body, contentType, eventIds);
      headers.putAll(event.headers());
      body = event.body();
    } else if (contentType != null) {
      headers.put("content-type", contentType);
    }
    // The user's own headers come last and replace what the plugin set, as curl's -H does; a name
    // the user repeats is joined as HTTP joins repeated fields.
    java.util.Set<String> given = new java.util.HashSet<>();
    for (Map.Entry<String, String> h : HeaderSyntax.parse("headers", s.headers())) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (given.add(name)) {
        headers.put(name, h.getValue());
      } else {
        headers.put(name, headers.get(name) + ", " + h.getValue());
      }
    }
    String method = method(s.method(), body.length > 0 || s.event().isSet());
    return new InvokeRequest(
        function, qualifier, method, path(s.path(), s.query()), body, headers, s.routingKey());
  }

  static String method(String method, boolean hasBody) {
    if (!CloudEventSettings.set(method)) {
      return hasBody ? "POST" : "GET";
    }
    String m = method.trim().toUpperCase(Locale.ROOT);
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && "!#$%&'*+-.^_`|~0123456789".indexOf(c) < 0) {
        throw Hints.invalidRequest("method", method, "a method is a word such as GET or PUT");
      }
    }
    return m;
  }

  /** {@code /a b} and {@code n=J S} to {@code /a%20b?n=J%20S}. */
  static String path(String path, String query) {
    String p = CloudEventSettings.set(path) ? path.trim() : "/";
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    if (p.contains("?") || p.contains("#")) {
      throw Hints.invalidRequest(
          "path", path, "give the query with fc.query (name=value&...), not in the path");
    }
    String raw;
    try {
      raw = new URI(null, null, p, null).getRawPath();
    } catch (URISyntaxException e) {
      throw Hints.invalidRequest("path", path, e.getReason());
    }
    if (!CloudEventSettings.set(query)) {
      return raw;
    }
    StringJoiner encoded = new StringJoiner("&");
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      encoded.add(eq < 0 ? enc(name) : enc(name) + "=" + enc(pair.substring(eq + 1)));
    }
    return raw + "?" + encoded;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
