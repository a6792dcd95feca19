package io.fctoolkit.host.internal;

import com.google.cloud.functions.HttpRequest.HttpPart;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Parses {@code multipart/form-data} bodies (RFC 7578) held in memory. */
final class Multipart {
  private Multipart() {}

  /**
   * Returns a parameter of a header value such as {@code text/plain; charset=utf-8}, unquoted, or
   * null.
   */
  static String parameter(String headerValue, String name) {
    String[] pieces = headerValue.split(";");
    for (int i = 1; i < pieces.length; i++) {
      String piece = pieces[i].trim();
      int eq = piece.indexOf('=');
      if (eq > 0 && piece.substring(0, eq).trim().equalsIgnoreCase(name)) {
        String value = piece.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }

  static Map<String, HttpPart> parse(String contentType, byte[] body) throws IOException {
    String boundary = parameter(contentType, "boundary");
    if (boundary == null || boundary.isEmpty()) {
      throw new IllegalStateException("multipart/form-data without a boundary parameter");
    }
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    Map<String, HttpPart> parts = new LinkedHashMap<>();
    int pos = indexOf(body, delimiter, 0);
    while (pos >= 0) {
      int afterDelimiter = pos + delimiter.length;
      if (afterDelimiter + 1 < body.length
          && body[afterDelimiter] == '-'
          && body[afterDelimiter + 1] == '-') {
        break; // closing delimiter
      }
      int headersStart = skipLineEnd(body, afterDelimiter);
      int next = indexOf(body, delimiter, headersStart);
      if (next < 0) {
        throw new IllegalStateException("multipart body is missing its closing boundary");
      }
      int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, headersStart);
      if (headersEnd < 0 || headersEnd > next) {
        throw new IllegalStateException("multipart part without a header block");
      }
      Map<String, List<String>> headers = readHeaders(body, headersStart, headersEnd);
      int contentStart = headersEnd + 4;
      int contentEnd = next - 2; // the CRLF before the delimiter belongs to the delimiter
      if (contentEnd < contentStart) {
        contentEnd = contentStart;
      }
      byte[] content = new byte[contentEnd - contentStart];
      System.arraycopy(body, contentStart, content, 0, content.length);
      String disposition = first(headers, "Content-Disposition");
      String name = disposition == null ? null : parameter(disposition, "name");
      if (name == null) {
        throw new IllegalStateException("multipart part without a Content-Disposition name");
      }
      parts.put(name, new Part(headers, content, parameter(disposition, "filename")));
      pos = next;
    }
    return Collections.unmodifiableMap(parts);
  }

  private static Map<String, List<String>> readHeaders(byte[] body, int from, int to)
      throws IOException {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                new ByteArrayInputStream(body, from, to - from), StandardCharsets.UTF_8));
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String key = line.substring(0, colon).trim();
        List<String> values = headers.get(key);
        if (values == null) {
          values = new ArrayList<>(1);
          headers.put(key, values);
        }
        values.add(line.substring(colon + 1).trim());
      }
    }
    return Collections.unmodifiableMap(headers);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static int skipLineEnd(byte[] body, int pos) {
    if (pos < body.length && body[pos] == '\r') {
      pos++;
    }
    if (pos < body.length && body[pos] == '\n') {
      pos++;
    }
    return pos;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** One part of a multipart body. */
  private static final class Part implements HttpPart {
    private final Map<String, List<String>> headers;
    private final byte[] content;
    private final String fileName;

    Part(Map<String, List<String>> headers, byte[] content, String fileName) {
      this.headers = headers;
      this.content = content;
      this.fileName = fileName;
    }

    @Override
    public Optional<String> getFileName() {
      return Optional.ofNullable(fileName);
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.ofNullable(first(headers, "Content-Type"));
    }

    @Override
    public long getContentLength() {
      return content.length;
    }

    @Override
    public Optional<String> getCharacterEncoding() {
      return Optional.ofNullable(parameter(getContentType().orElse(""), "charset"));
    }

    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(content);
    }

    @Override
    public BufferedReader getReader() {
      Charset charset = StandardCharsets.UTF_8;
      String name = getCharacterEncoding().orElse(null);
      if (name != null) {
        try {
          charset = Charset.forName(name);
        } catch (IllegalArgumentException e) {
          // keep UTF-8
        }
      }
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }
  }
}
