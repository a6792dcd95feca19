package io.fctoolkit.host.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One HTTP/1.1 request read from a connection, and its (single) response. */
final class Http1Exchange {
  static final int MAX_LINE = 16 * 1024;
  static final int MAX_HEADER_BYTES = 64 * 1024;
  static final int MAX_HEADERS = 200;

  /** Unread request body beyond this is not drained: the connection is closed instead. */
  static final long MAX_DRAIN = 1024 * 1024;

  /**
   * Bodies up to this size are read before the function is called, so a malformed one never reaches
   * it; larger ones stream to the function and their errors replace its answer.
   */
  static final int READ_AHEAD = 1024 * 1024;

  private final Socket socket;
  private final OutputStream out;
  private final String method;
  private final String rawPath;
  private final String rawQuery;
  private final boolean http11;
  private final Map<String, List<String>> headers;
  private final Map<String, List<String>> view;
  private final RequestBody body;
  private boolean responded;
  private boolean close;

  private Http1Exchange(
      Socket socket,
      OutputStream out,
      String method,
      String rawPath,
      String rawQuery,
      boolean http11,
      Map<String, List<String>> headers,
      RequestBody body) {
    this.socket = socket;
    this.out = out;
    this.method = method;
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
    this.http11 = http11;
    this.headers = headers;
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      e.setValue(Collections.unmodifiableList(e.getValue()));
    }
    this.view = Collections.unmodifiableMap(headers);
    this.body = body;
    boolean closeIt = !http11;
    String connection = header("Connection");
    if (connection != null) {
      String c = connection.toLowerCase(Locale.ROOT);
      if (c.contains("close")) {
        closeIt = true;
      } else if (c.contains("keep-alive")) {
        closeIt = false;
      }
    }
    this.close = closeIt;
  }

  /** A malformed request; answered with {@link #status} and the connection closed. */
  static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /**
   * Reads the next request head, or returns null at a clean end of the connection (or an idle
   * timeout before its first byte). Throws {@link BadRequest} for anything RFC 9112 does not allow.
   */
  static Http1Exchange read(Socket socket, ConnectionInput in, OutputStream out, long maxBody)
      throws IOException, BadRequest {
    in.idle();
    int first = in.read();
    if (first < 0) {
      return null;
    }
    in.headStarted();
    try {
      return readHead(socket, first, in, out, maxBody);
    } catch (Http1Syntax.Violation e) {
      throw new BadRequest(e.status, e.getMessage());
    } catch (ConnectionInput.HeadTimeout e) {
      throw new BadRequest(
          408,
          "The request head was not complete within "
              + in.headerTimeoutMs()
              + " ms (FC_HEADER_TIMEOUT_MS)");
    } catch (Http1Syntax.Truncated e) {
      throw new BadRequest(400, e.getMessage());
    }
  }

  private static Http1Exchange readHead(
      Socket socket, int first, ConnectionInput in, OutputStream out, long maxBody)
      throws IOException, Http1Syntax.Violation {
    String requestLine = requestLine(first, in);
    // Tolerate empty lines before a request (RFC 9112 section 2.2).
    for (int i = 0; requestLine != null && requestLine.isEmpty() && i < 4; i++) {
      requestLine = Http1Syntax.readLine(in, MAX_LINE, 414, "the request line");
    }
    if (requestLine == null) {
      throw new Http1Syntax.Truncated("The connection closed before a request line");
    }
    if (requestLine.isEmpty()) {
      throw new Http1Syntax.Violation(400, "More than 4 empty lines before the request line");
    }
    int sp1 = requestLine.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
      throw new Http1Syntax.Violation(
          400, "Malformed request line: expected 'METHOD target HTTP/1.1' with single spaces");
    }
    if (!Http1Syntax.isToken(requestLine, 0, sp1)) {
      throw new Http1Syntax.Violation(400, "Malformed request line: the method is not a token");
    }
    String method = requestLine.substring(0, sp1);
    String target = requestLine.substring(sp1 + 1, sp2);
    boolean http11 = version(requestLine.substring(sp2 + 1));
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw new Http1Syntax.Violation(400, "A control character in the request target");
      }
    }
    if (target.isEmpty()) {
      throw new Http1Syntax.Violation(400, "Malformed request line: empty request target");
    }
    if (target.startsWith("http://") || target.startsWith("https://")) {
      // absolute-form: keep only path and query
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    if (!target.startsWith("/") && !target.equals("*")) {
      throw new Http1Syntax.Violation(400, "Request target must start with '/'");
    }
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? null : target.substring(q + 1);

    TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int total = 0;
    int count = 0;
    while (true) {
      String line = Http1Syntax.readLine(in, MAX_LINE, 431, "a header line");
      if (line == null) {
        throw new Http1Syntax.Truncated("The connection closed inside the request headers");
      }
      if (line.isEmpty()) {
        break;
      }
      total += line.length();
      if (++count > MAX_HEADERS || total > MAX_HEADER_BYTES) {
        throw new Http1Syntax.Violation(
            431,
            "Request headers over " + MAX_HEADERS + " lines or " + MAX_HEADER_BYTES + " bytes");
      }
      int colon = Http1Syntax.checkFieldLine(line, "header");
      String name = line.substring(0, colon);
      List<String> values = headers.get(name);
      if (values == null) {
        values = new ArrayList<>(1);
        headers.put(name, values);
      }
      values.add(Http1Syntax.fieldValue(line, colon));
    }
    in.body();
    List<String> host = headers.get("Host");
    if (host != null && host.size() > 1) {
      throw new Http1Syntax.Violation(400, "More than one Host header");
    }
    RequestBody body = body(headers, http11, in, out, maxBody);
    return new Http1Exchange(socket, out, method, rawPath, rawQuery, http11, headers, body);
  }

  /** The request line, whose first byte was read already (to tell idle from a started head). */
  private static String requestLine(int first, ConnectionInput in)
      throws IOException, Http1Syntax.Violation {
    if (first == '\n') {
      throw new Http1Syntax.Violation(400, "A bare LF (not preceded by CR) ends the request line");
    }
    if (first == '\r') {
      int lf = in.read();
      if (lf < 0) {
        throw new Http1Syntax.Truncated("The connection closed inside the request line");
      }
      if (lf != '\n') {
        throw new Http1Syntax.Violation(400, "A bare CR (not followed by LF) in the request line");
      }
      return ""; // an empty line before the request
    }
    String rest = Http1Syntax.readLine(in, MAX_LINE - 1, 414, "the request line");
    if (rest == null) {
      throw new Http1Syntax.Truncated("The connection closed inside the request line");
    }
    return (char) first + rest;
  }

  private static boolean version(String version) throws Http1Syntax.Violation {
    if (version.equals("HTTP/1.1")) {
      return true;
    }
    if (version.equals("HTTP/1.0")) {
      return false;
    }
    boolean wellFormed =
        version.length() == 8
            && version.startsWith("HTTP/")
            && Character.isDigit(version.charAt(5))
            && version.charAt(6) == '.'
            && Character.isDigit(version.charAt(7))
            && version.charAt(5) < 128
            && version.charAt(7) < 128;
    if (wellFormed) {
      throw new Http1Syntax.Violation(505, "Only HTTP/1.1 and HTTP/1.0 are supported");
    }
    throw new Http1Syntax.Violation(400, "Malformed HTTP version in the request line");
  }

  /** The body the framing headers announce (RFC 9112 6.3), checked before the function runs. */
  private static RequestBody body(
      Map<String, List<String>> headers,
      boolean http11,
      ConnectionInput in,
      OutputStream out,
      long maxBody)
      throws Http1Syntax.Violation {
    List<String> transferEncoding = headers.get("Transfer-Encoding");
    List<String> contentLength = headers.get("Content-Length");
    boolean expectContinue =
        http11 && "100-continue".equalsIgnoreCase(first(headers.get("Expect")));
    if (transferEncoding != null) {
      if (contentLength != null) {
        throw new Http1Syntax.Violation(400, "Both Transfer-Encoding and Content-Length");
      }
      if (!http11) {
        throw new Http1Syntax.Violation(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      checkChunkedOnly(transferEncoding);
      return new RequestBody(in, -1, maxBody, in.bodyTimeoutMs(), expectContinue ? out : null);
    }
    if (contentLength != null) {
      String value = contentLength.get(0);
      for (String other : contentLength) {
        if (!other.equals(value)) {
          throw new Http1Syntax.Violation(400, "Content-Length headers with different values");
        }
      }
      long length = Http1Syntax.contentLength(value, maxBody);
      if (length > maxBody) {
        throw new Http1Syntax.Violation(
            413, "Request body larger than " + maxBody + " bytes (FC_MAX_BODY_BYTES)");
      }
      return new RequestBody(
          in, length, maxBody, in.bodyTimeoutMs(), expectContinue && length > 0 ? out : null);
    }
    return new RequestBody(in, 0, maxBody, in.bodyTimeoutMs(), null);
  }

  /**
   * Accepts exactly one transfer coding, {@code chunked}. Any other (gzip, deflate, unknown) is a
   * 400 rather than RFC 9112's suggested 501: the host decodes none, and a 5xx would make the
   * runtime's triggers retry a request that can never succeed.
   */
  private static void checkChunkedOnly(List<String> values) throws Http1Syntax.Violation {
    int codings = 0;
    String last = null;
    for (String value : values) {
      int from = 0;
      while (from <= value.length()) {
        int comma = value.indexOf(',', from);
        int to = comma < 0 ? value.length() : comma;
        int a = from;
        int b = to;
        while (a < b && Http1Syntax.isOws(value.charAt(a))) {
          a++;
        }
        while (b > a && Http1Syntax.isOws(value.charAt(b - 1))) {
          b--;
        }
        if (a < b) {
          if (!Http1Syntax.isToken(value, a, b)) {
            throw new Http1Syntax.Violation(400, "Malformed Transfer-Encoding");
          }
          codings++;
          last = value.substring(a, b);
        }
        from = to + 1;
      }
    }
    if (codings == 0) {
      throw new Http1Syntax.Violation(400, "Empty Transfer-Encoding");
    }
    if (!last.equalsIgnoreCase("chunked")) {
      throw new Http1Syntax.Violation(
          400, "Transfer-Encoding must end in chunked, or the body length is unknown");
    }
    if (codings > 1) {
      throw new Http1Syntax.Violation(
          400, "Unsupported Transfer-Encoding: only 'chunked' alone is accepted");
    }
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  String method() {
    return method;
  }

  String rawPath() {
    return rawPath;
  }

  String rawQuery() {
    return rawQuery;
  }

  Map<String, List<String>> headers() {
    return view;
  }

  String header(String name) {
    return first(headers.get(name));
  }

  InputStream body() {
    return body;
  }

  boolean keepAlive() {
    synchronized (this) {
      return !close;
    }
  }

  /** Makes the connection close after this exchange. */
  void closeAfterResponse() {
    synchronized (this) {
      close = true;
    }
  }

  synchronized boolean responded() {
    return responded;
  }

  /**
   * Writes the response; only the first call of an exchange writes, later ones return false.
   * Synchronized because a timeout answers from another thread than the function's.
   */
  boolean respond(int status, Map<String, List<String>> responseHeaders, byte[] content)
      throws IOException {
    synchronized (this) {
      if (responded) {
        return false;
      }
      if (!close && body.unreadBeyond(MAX_DRAIN)) {
        close = true;
      }
      boolean noBody = status < 200 || status == 204 || status == 304;
      boolean head = method.equals("HEAD");
      StringBuilder sb = new StringBuilder(128);
      sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
      if (responseHeaders != null) {
        for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
          String name = e.getKey();
          if (name.equalsIgnoreCase("Content-Length")
              || name.equalsIgnoreCase("Transfer-Encoding")
              || name.equalsIgnoreCase("Connection")) {
            if (name.equalsIgnoreCase("Connection")
                && e.getValue().toString().toLowerCase(Locale.ROOT).contains("close")) {
              close = true;
            }
            continue; // framing is the server's job
          }
          for (String value : e.getValue()) {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
              throw new IllegalArgumentException("Header " + name + " contains a line break");
            }
            sb.append(name).append(": ").append(value).append("\r\n");
          }
        }
      }
      if (!noBody) {
        sb.append("Content-Length: ").append(content == null ? 0 : content.length).append("\r\n");
      }
      if (close) {
        sb.append("Connection: close\r\n");
      }
      sb.append("\r\n");
      // Only now, with a valid head: a header the function set with a line break fails above,
      // and the server then still answers 500.
      responded = true;
      try {
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        if (!noBody && !head && content != null) {
          out.write(content);
        }
        out.flush();
      } finally {
        if (close) {
          // Half-close so the client reads the response to the end before the socket goes away.
          try {
            socket.shutdownOutput();
          } catch (IOException e) {
            // already closed
          }
        }
      }
      return true;
    }
  }

  /** Answers with {@code status} and an empty body if nothing was answered yet. */
  void respondIfNot(int status) throws IOException {
    if (!responded()) {
      closeAfterResponse();
      respond(status, null, new byte[0]);
    }
  }

  /** Skips what the handler left of the request body; false when the connection must close. */
  boolean finishBody() {
    return body.drain(MAX_DRAIN);
  }

  /**
   * Reads a body of up to {@link #READ_AHEAD} bytes before the function runs; returns its framing
   * error, or null.
   */
  RequestBody.BodyException readAhead() {
    return body.readAhead(READ_AHEAD);
  }

  /** The body's framing error so far (the client's fault), or null. */
  RequestBody.BodyException bodyFailure() {
    return body.failure();
  }

  /** Removes a header before the function sees the request (the instance secret). */
  void removeHeader(String name) {
    headers.remove(name);
  }

  /** Closes the connection now (a timed-out answer: the function may still be reading). */
  void abort() {
    Http1Server.closeQuietly(socket);
  }

  static void writeBadRequest(OutputStream out, int status, String message) {
    String json = Errors.body(errorType(status), message, null);
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    try {
      out.write(
          ascii(
              "HTTP/1.1 "
                  + status
                  + " "
                  + reason(status)
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n"));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      // the client is gone
    }
  }

  /** The error body's {@code type} for a status the protocol layer answers. */
  static String errorType(int status) {
    switch (status) {
      case 403:
        return "Forbidden";
      case 408:
        return "RequestTimeout";
      case 413:
        return "PayloadTooLarge";
      case 414:
        return "UriTooLong";
      case 431:
        return "HeaderFieldsTooLarge";
      case 505:
        return "VersionNotSupported";
      default:
        return "BadRequest";
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String reason(int status) {
    switch (status) {
      case 100:
        return "Continue";
      case 200:
        return "OK";
      case 201:
        return "Created";
      case 202:
        return "Accepted";
      case 204:
        return "No Content";
      case 301:
        return "Moved Permanently";
      case 302:
        return "Found";
      case 304:
        return "Not Modified";
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 405:
        return "Method Not Allowed";
      case 408:
        return "Request Timeout";
      case 409:
        return "Conflict";
      case 413:
        return "Content Too Large";
      case 414:
        return "URI Too Long";
      case 415:
        return "Unsupported Media Type";
      case 422:
        return "Unprocessable Content";
      case 429:
        return "Too Many Requests";
      case 431:
        return "Request Header Fields Too Large";
      case 500:
        return "Internal Server Error";
      case 501:
        return "Not Implemented";
      case 502:
        return "Bad Gateway";
      case 503:
        return "Service Unavailable";
      case 504:
        return "Gateway Timeout";
      case 505:
        return "HTTP Version Not Supported";
      default:
        return "Status";
    }
  }
}
