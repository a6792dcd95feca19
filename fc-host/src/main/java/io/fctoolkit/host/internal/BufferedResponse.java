package io.fctoolkit.host.internal;

import com.google.cloud.functions.HttpResponse;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The response a function writes, held in memory until the function returns.
 *
 * <p>Buffering is what lets the host still answer 500 when a function throws after writing, and 504
 * when it overruns its timeout: nothing reaches the client before the outcome is known.
 */
final class BufferedResponse implements HttpResponse {
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int status = 200;
  private BufferedWriter writer;
  private boolean streamTaken;

  @Override
  public void setStatusCode(int code) {
    // 1xx are interim answers the host does not support as final ones.
    if (code < 200 || code > 599) {
      throw new IllegalArgumentException(
          "HTTP status code " + code + " is not between 200 and 599");
    }
    status = code;
  }

  @Override
  public void setStatusCode(int code, String message) {
    setStatusCode(code); // the reason phrase is not sent: HTTP/1.1 servers choose it
  }

  @Override
  public void setContentType(String contentType) {
    List<String> values = new ArrayList<>(1);
    values.add(contentType);
    headers.put("Content-Type", values);
  }

  @Override
  public Optional<String> getContentType() {
    List<String> values = headers.get("Content-Type");
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  @Override
  public void appendHeader(String name, String value) {
    // No lambdas on the request path: the first one costs milliseconds of bootstrap at cold start.
    List<String> values = headers.get(name);
    if (values == null) {
      values = new ArrayList<>(1);
      headers.put(name, values);
    }
    values.add(value);
  }

  @Override
  public Map<String, List<String>> getHeaders() {
    return headers;
  }

  @Override
  public OutputStream getOutputStream() {
    if (writer != null) {
      throw new IllegalStateException("getWriter() was already called on this response");
    }
    streamTaken = true;
    return body;
  }

  @Override
  public BufferedWriter getWriter() throws IOException {
    if (writer == null) {
      if (streamTaken) {
        throw new IllegalStateException("getOutputStream() was already called on this response");
      }
      writer = new BufferedWriter(new OutputStreamWriter(body, charset()));
    }
    return writer;
  }

  int status() {
    return status;
  }

  /** The body written so far, after flushing the writer. */
  byte[] bytes() throws IOException {
    if (writer != null) {
      writer.flush();
    }
    return body.toByteArray();
  }

  private Charset charset() {
    String name = Multipart.parameter(getContentType().orElse(""), "charset");
    if (name != null) {
      try {
        return Charset.forName(name);
      } catch (IllegalArgumentException e) {
        // fall through to UTF-8
      }
    }
    return StandardCharsets.UTF_8;
  }
}
