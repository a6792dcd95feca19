package io.fctoolkit.host.internal;

import com.google.cloud.functions.HttpRequest;
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

/** The Functions Framework view of one HTTP request received by the JDK server. */
final class ExchangeRequest implements HttpRequest {
  private final Http1Exchange exchange;
  private Map<String, List<String>> queryParameters;
  private Map<String, HttpPart> parts;
  private byte[] body;
  private boolean streamTaken;

  ExchangeRequest(Http1Exchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public String getMethod() {
    return exchange.method();
  }

  @Override
  public String getUri() {
    String host = getFirstHeader("Host").orElse("localhost");
    String query = exchange.rawQuery();
    StringBuilder sb = new StringBuilder("http://").append(host).append(getPath());
    if (query != null) {
      sb.append('?').append(query);
    }
    return sb.toString();
  }

  @Override
  public String getPath() {
    return exchange.rawPath();
  }

  @Override
  public Optional<String> getQuery() {
    return Optional.ofNullable(exchange.rawQuery());
  }

  @Override
  public Map<String, List<String>> getQueryParameters() {
    if (queryParameters == null) {
      Map<String, List<String>> params = new LinkedHashMap<>();
      String query = exchange.rawQuery();
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
      } catch (IOException | BadRequestException e) {
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
    String name = Multipart.parameter(getContentType().orElse(""), "charset");
    if (name == null) {
      return Optional.empty();
    }
    // Google's invoker (Jetty) names a known charset canonically: "utf-8" reads as "UTF-8".
    try {
      return Optional.of(Charset.forName(name).name());
    } catch (IllegalArgumentException unknown) {
      return Optional.of(name);
    }
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
    return exchange.body();
  }

  @Override
  public BufferedReader getReader() throws IOException {
    return new BufferedReader(new InputStreamReader(getInputStream(), charset()));
  }

  @Override
  public Map<String, List<String>> getHeaders() {
    // Case-insensitive names (RFC 9110), as Google's invoker exposes them.
    return exchange.headers();
  }

  /**
   * Bodies the host itself reads (CloudEvents, typed functions) are held in memory, so they are
   * capped; an HttpFunction streaming getInputStream() is not.
   */
  static final int MAX_BUFFERED_BODY = 32 * 1024 * 1024;

  /** The whole request body; reads it once and keeps it. */
  byte[] body() throws IOException, BadRequestException {
    if (body == null) {
      if (streamTaken) {
        throw new IllegalStateException("The request body was already taken as a stream");
      }
      if (getContentLength() > MAX_BUFFERED_BODY) {
        throw tooLarge();
      }
      streamTaken = true;
      try (InputStream in = exchange.body()) {
        byte[] read = in.readNBytes(MAX_BUFFERED_BODY + 1);
        if (read.length > MAX_BUFFERED_BODY) {
          throw tooLarge();
        }
        body = read;
      }
    }
    return body;
  }

  private static BadRequestException tooLarge() {
    return new BadRequestException(
        413, "Request body larger than " + MAX_BUFFERED_BODY + " bytes", null);
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
