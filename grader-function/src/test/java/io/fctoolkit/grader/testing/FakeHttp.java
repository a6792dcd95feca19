package io.fctoolkit.grader.testing;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** In-memory Functions Framework request and response, for calling a function directly. */
public final class FakeHttp {
  private FakeHttp() {}

  /** A request with {@code method}, {@code contentType} (may be null), headers and body. */
  public static Request request(
      String method, String contentType, Map<String, String> headers, byte[] body) {
    return new Request(method, contentType, headers, body);
  }

  /** A POST of {@code json} as {@code application/json}. */
  public static Request postJson(String json) {
    return request("POST", "application/json", Map.of(), json.getBytes(StandardCharsets.UTF_8));
  }

  /** The fake request. */
  public static final class Request implements HttpRequest {
    private final String method;
    private final String contentType;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final byte[] body;

    Request(String method, String contentType, Map<String, String> headers, byte[] body) {
      this.method = method;
      this.contentType = contentType;
      headers.forEach((k, v) -> this.headers.put(k, List.of(v)));
      if (contentType != null) {
        this.headers.put("Content-Type", List.of(contentType));
      }
      this.body = body;
    }

    @Override
    public String getMethod() {
      return method;
    }

    @Override
    public String getUri() {
      return "http://localhost/";
    }

    @Override
    public String getPath() {
      return "/";
    }

    @Override
    public Optional<String> getQuery() {
      return Optional.empty();
    }

    @Override
    public Map<String, List<String>> getQueryParameters() {
      return Map.of();
    }

    @Override
    public Map<String, HttpPart> getParts() {
      return Map.of();
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.ofNullable(contentType);
    }

    @Override
    public long getContentLength() {
      return body.length;
    }

    @Override
    public Optional<String> getCharacterEncoding() {
      return Optional.of("UTF-8");
    }

    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(body);
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }
  }

  /** The fake response, recording status, headers and body. */
  public static final class Response implements HttpResponse {
    private int status = 200;
    private String contentType;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override
    public void setStatusCode(int code) {
      status = code;
    }

    @Override
    public void setStatusCode(int code, String message) {
      status = code;
    }

    @Override
    public void setContentType(String contentType) {
      this.contentType = contentType;
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.ofNullable(contentType);
    }

    @Override
    public void appendHeader(String header, String value) {
      headers.computeIfAbsent(header, h -> new ArrayList<>()).add(value);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }

    @Override
    public OutputStream getOutputStream() {
      return body;
    }

    @Override
    public BufferedWriter getWriter() {
      return new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
    }

    /** The status code set. */
    public int status() {
      return status;
    }

    /** The body as UTF-8. */
    public String body() {
      return body.toString(StandardCharsets.UTF_8);
    }
  }
}
