package io.fctoolkit.host.internal;

import com.google.cloud.functions.HttpRequest;
import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The Functions Framework view of one HTTP request received by the JDK server. */
final class ExchangeRequest implements HttpRequest {
  private final HttpExchange exchange;
  private final Map<String, List<String>> headers;
  private Map<String, List<String>> queryParameters;
  private Map<String, HttpPart> parts;
  private byte[] body;
  private boolean streamTaken;

  ExchangeRequest(HttpExchange exchange) {
    this.exchange = exchange;
    // Header names are case-insensitive (RFC 9110); Google's invoker exposes them the same way.
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
      copy.put(e.getKey(), Collections.unmodifiableList(new ArrayList<>(e.getValue())));
    }
    this.headers = Collections.unmodifiableMap(copy);
  }

  @Override
  public String getMethod() {
    return exchange.getRequestMethod();
  }

  @Override
  public String getUri() {
    String host = getFirstHeader("Host").orElse("localhost");
    String query = exchange.getRequestURI().getRawQuery();
    StringBuilder sb = new StringBuilder("http://").append(host).append(getPath());
    if (query != null) {
      sb.append('?').append(query);
    }
    return sb.toString();
  }

  @Override
  public String getPath() {
    String path = exchange.getRequestURI().getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  @Override
  public Optional<String> getQuery() {
    return Optional.ofNullable(exchange.getRequestURI().getRawQuery());
  }

  @Override
  public Map<String, List<String>> getQueryParameters() {
    if (queryParameters == null) {
      Map<String, List<String>> params = new LinkedHashMap<>();
      String query = exchange.getRequestURI().getRawQuery();
      if (query != null && !query.isEmpty()) {
        for (String pair : query.split("&")) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String name = decode(eq < 0 ? pair : pair.substring(0, eq));
          String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
          List<String> values = params.get(name);
          if (values == null) {
            values = new ArrayList<>(2);
            params.put(name, values);
          }
          values.add(value);
        }
      }
      for (Map.Entry<String, List<String>> e : params.entrySet()) {
        e.setValue(Collections.unmodifiableList(e.getValue()));
      }
      queryParameters = Collections.unmodifiableMap(params);
    }
    return queryParameters;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a malformed escape is passed through as is, like most servers do
    }
  }

  @Override
  public Map<String, HttpPart> getParts() {
    if (parts == null) {
      String contentType = getContentType().orElse("");
      if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
        throw new IllegalStateException(
            "Content-Type is not multipart/form-data but '" + contentType + "'");
      }
      try {
        parts = Multipart.parse(contentType, body());
      } catch (IOException e) {
        throw new IllegalStateException("Could not read the multipart request body", e);
      }
    }
    return parts;
  }

  @Override
  public Optional<String> getContentType() {
    return getFirstHeader("Content-Type");
  }

  @Override
  public long getContentLength() {
    Optional<String> length = getFirstHeader("Content-Length");
    if (length.isEmpty()) {
      return -1;
    }
    try {
      return Long.parseLong(length.get().trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public Optional<String> getCharacterEncoding() {
    return Optional.ofNullable(Multipart.parameter(getContentType().orElse(""), "charset"));
  }

  @Override
  public InputStream getInputStream() throws IOException {
    if (body != null) {
      return new java.io.ByteArrayInputStream(body);
    }
    if (streamTaken) {
      throw new IllegalStateException("The request body was already taken");
    }
    streamTaken = true;
    return exchange.getRequestBody();
  }

  @Override
  public BufferedReader getReader() throws IOException {
    return new BufferedReader(new InputStreamReader(getInputStream(), charset()));
  }

  @Override
  public Map<String, List<String>> getHeaders() {
    return headers;
  }

  /** The whole request body; reads it once and keeps it. */
  byte[] body() throws IOException {
    if (body == null) {
      if (streamTaken) {
        throw new IllegalStateException("The request body was already taken as a stream");
      }
      streamTaken = true;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
    }
    return body;
  }

  Charset charset() {
    String name = getCharacterEncoding().orElse(null);
    if (name != null) {
      try {
        return Charset.forName(name);
      } catch (IllegalArgumentException e) {
        // fall through: an unknown charset in a header must not fail the request
      }
    }
    return StandardCharsets.UTF_8;
  }
}
