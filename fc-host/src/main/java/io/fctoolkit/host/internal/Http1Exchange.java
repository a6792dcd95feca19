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

  private final Socket socket;
  private final OutputStream out;
  private final String method;
  private final String rawPath;
  private final String rawQuery;
  private final boolean http11;
  private final Map<String, List<String>> headers;
  private final BodyInputStream body;
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
      BodyInputStream body) {
    this.socket = socket;
    this.out = out;
    this.method = method;
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
    this.http11 = http11;
    this.headers = headers;
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

  /** Reads the next request head, or returns null at a clean end of the connection. */
  static Http1Exchange read(Socket socket, InputStream in, OutputStream out)
      throws IOException, BadRequest {
    String requestLine = readLine(in, true);
    // Tolerate empty lines before a request (RFC 9112 section 2.2).
    for (int i = 0; requestLine != null && requestLine.isEmpty() && i < 4; i++) {
      requestLine = readLine(in, true);
    }
    if (requestLine == null) {
      return null;
    }
    int sp1 = requestLine.indexOf(' ');
    int sp2 = requestLine.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 <= sp1) {
      throw new BadRequest(400, "Malformed request line");
    }
    String method = requestLine.substring(0, sp1);
    String target = requestLine.substring(sp1 + 1, sp2);
    String version = requestLine.substring(sp2 + 1);
    boolean http11;
    if (version.equals("HTTP/1.1")) {
      http11 = true;
    } else if (version.equals("HTTP/1.0")) {
      http11 = false;
    } else {
      throw new BadRequest(505, "Only HTTP/1.1 and HTTP/1.0 are supported");
    }
    if (target.startsWith("http://") || target.startsWith("https://")) {
      // absolute-form: keep only path and query
      int slash = target.indexOf('/', target.indexOf("//") + 2);
      target = slash < 0 ? "/" : target.substring(slash);
    }
    if (!target.startsWith("/") && !target.equals("*")) {
      throw new BadRequest(400, "Request target must start with '/'");
    }
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? null : target.substring(q + 1);

    TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int total = 0;
    int count = 0;
    while (true) {
      String line = readLine(in, false);
      if (line == null) {
        throw new BadRequest(400, "Connection closed inside the request headers");
      }
      if (line.isEmpty()) {
        break;
      }
      total += line.length();
      if (++count > MAX_HEADERS || total > MAX_HEADER_BYTES) {
        throw new BadRequest(431, "Request headers too large");
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        throw new BadRequest(400, "Obsolete header line folding is not accepted");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest(400, "Malformed header line");
      }
      String name = line.substring(0, colon);
      if (name.indexOf(' ') >= 0 || name.indexOf('\t') >= 0) {
        throw new BadRequest(400, "Whitespace in a header name");
      }
      String value = line.substring(colon + 1).trim();
      List<String> values = headers.get(name);
      if (values == null) {
        values = new ArrayList<>(1);
        headers.put(name, values);
      }
      values.add(value);
    }
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      e.setValue(Collections.unmodifiableList(e.getValue()));
    }
    Map<String, List<String>> view = Collections.unmodifiableMap(headers);

    List<String> transferEncoding = headers.get("Transfer-Encoding");
    List<String> contentLength = headers.get("Content-Length");
    BodyInputStream body;
    boolean expectContinue =
        http11 && "100-continue".equalsIgnoreCase(first(headers.get("Expect")));
    if (transferEncoding != null) {
      if (contentLength != null) {
        throw new BadRequest(400, "Both Transfer-Encoding and Content-Length");
      }
      String te = String.join(",", transferEncoding).trim().toLowerCase(Locale.ROOT);
      if (!te.equals("chunked")) {
        throw new BadRequest(501, "Unsupported Transfer-Encoding " + te);
      }
      body = new BodyInputStream(in, -1, expectContinue ? out : null);
    } else if (contentLength != null) {
      long length;
      try {
        String v = contentLength.get(0);
        for (String other : contentLength) {
          if (!other.equals(v)) {
            throw new NumberFormatException();
          }
        }
        length = Long.parseLong(v.trim());
        if (length < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "Invalid Content-Length");
      }
      body = new BodyInputStream(in, length, expectContinue && length > 0 ? out : null);
    } else {
      body = new BodyInputStream(in, 0, null);
    }
    return new Http1Exchange(socket, out, method, rawPath, rawQuery, http11, view, body);
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Reads a CRLF (or LF) terminated line as ISO-8859-1; null at end of stream before a byte. */
  private static String readLine(InputStream in, boolean eofOk) throws IOException, BadRequest {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (sb.length() == 0 && eofOk) {
          return null;
        }
        if (sb.length() == 0) {
          return null;
        }
        throw new BadRequest(400, "Connection closed inside a line");
      }
      if (c == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= MAX_LINE) {
        throw new BadRequest(431, "Request line or header longer than " + MAX_LINE + " bytes");
      }
      sb.append((char) c);
    }
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
    return headers;
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
  boolean finishBody() throws IOException {
    return body.drain(MAX_DRAIN);
  }

  /** Closes the connection now (a timed-out answer: the function may still be reading). */
  void abort() {
    Http1Server.closeQuietly(socket);
  }

  static void writeBadRequest(OutputStream out, int status, String message) {
    String json = HostServer.errorBody("BadRequest", message, null);
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
      case 409:
        return "Conflict";
      case 413:
        return "Content Too Large";
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

  /**
   * The request body: exactly Content-Length bytes, or a chunked body decoded; sends {@code 100
   * Continue} before the first read when the client asked for it.
   */
  static final class BodyInputStream extends InputStream {
    private final InputStream in;
    private final boolean chunked;
    private OutputStream continueTo;
    private long remaining; // in the current chunk when chunked
    private boolean eof;

    BodyInputStream(InputStream in, long length, OutputStream continueTo) {
      this.in = in;
      this.chunked = length < 0;
      this.remaining = chunked ? 0 : length;
      this.eof = length == 0;
      this.continueTo = continueTo;
    }

    private void sendContinue() throws IOException {
      if (continueTo != null) {
        OutputStream o = continueTo;
        continueTo = null;
        o.write(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
        o.flush();
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (eof) {
        return -1;
      }
      sendContinue();
      if (chunked && remaining == 0) {
        nextChunk();
        if (eof) {
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new IOException("Connection closed inside the request body");
      }
      remaining -= n;
      if (!chunked && remaining == 0) {
        eof = true;
      }
      if (chunked && remaining == 0) {
        expectCrlf();
      }
      return n;
    }

    private void nextChunk() throws IOException {
      String line = chunkLine();
      int semicolon = line.indexOf(';');
      String size = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
      try {
        remaining = Long.parseLong(size, 16);
      } catch (NumberFormatException e) {
        throw new IOException("Bad chunk size '" + size + "'");
      }
      if (remaining < 0) {
        throw new IOException("Bad chunk size '" + size + "'");
      }
      if (remaining == 0) {
        // trailers until an empty line
        for (int i = 0; i < MAX_HEADERS; i++) {
          if (chunkLine().isEmpty()) {
            eof = true;
            return;
          }
        }
        throw new IOException("Too many trailer lines");
      }
    }

    private void expectCrlf() throws IOException {
      if (!chunkLine().isEmpty()) {
        throw new IOException("Missing CRLF after a chunk");
      }
    }

    private String chunkLine() throws IOException {
      try {
        String line = readLine(in, false);
        if (line == null) {
          throw new IOException("Connection closed inside a chunked body");
        }
        return line;
      } catch (BadRequest e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    /** Whether more than {@code limit} bytes are (or may be) left unread. */
    boolean unreadBeyond(long limit) {
      return !eof && (chunked || remaining > limit);
    }

    /** Reads and discards the rest; false if more than {@code limit} bytes were left. */
    boolean drain(long limit) throws IOException {
      if (eof) {
        return true;
      }
      if (continueTo != null) {
        // The client waits for 100 Continue that never came: it will not send the body.
        return false;
      }
      byte[] skip = new byte[8192];
      long drained = 0;
      while (!eof) {
        int n = read(skip, 0, skip.length);
        if (n < 0) {
          break;
        }
        drained += n;
        if (drained > limit) {
          return false;
        }
      }
      return true;
    }
  }
}
