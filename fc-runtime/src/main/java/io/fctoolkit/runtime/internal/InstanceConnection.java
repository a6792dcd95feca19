package io.fctoolkit.runtime.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One kept-alive HTTP/1.1 connection from the runtime to an instance: writes a forwarded request
 * and reads the whole answer. One exchange at a time, by the thread that took it from its
 * instance's idle connections; {@link #close} may come from another thread (a timeout's alarm), and
 * makes a blocked read or write fail at once.
 */
final class InstanceConnection implements AutoCloseable {

  /** The longest answer head (status line and headers) read from an instance. */
  static final int MAX_HEAD_BYTES = 64 << 10;

  /** The most header lines in an answer head. */
  static final int MAX_HEADERS = 200;

  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;
  private final long maxBody;
  // Read buffer: bytes [pos, limit) are read from the socket and not yet parsed.
  private final byte[] buf = new byte[16 << 10];
  private int pos;
  private int limit;
  private long idleSinceNanos;
  private int exchanges;
  // Guarded by this: an alarm closed the connection (expired), or the exchange ended first.
  private boolean expired;
  private boolean settled;

  /**
   * @param channel a connected channel in blocking mode
   * @param maxBody the largest answer body taken; a larger one fails the exchange
   */
  InstanceConnection(SocketChannel channel, long maxBody) throws IOException {
    this.channel = channel;
    this.in = channel.socket().getInputStream();
    this.out = channel.socket().getOutputStream();
    this.maxBody = maxBody;
  }

  /**
   * Whether a kept connection can carry a request: the host has not closed it (after its idle
   * timeout, at its connection limit, or draining) and sent nothing unasked. One read that does not
   * wait, so a request is never written to a connection already known closed.
   */
  boolean usable() {
    try {
      channel.configureBlocking(false);
      int n = channel.read(ByteBuffer.allocate(1));
      channel.configureBlocking(true);
      return n == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether it served an exchange before (a kept-alive connection, which the peer may close). */
  boolean reused() {
    return exchanges > 0;
  }

  long idleSinceNanos() {
    return idleSinceNanos;
  }

  /**
   * Sends one request and reads its answer.
   *
   * @param head the request head, blank line included
   * @param body the request body, sent as the head's {@code Content-Length} says
   * @param noAnswerBody whether the answer has no body whatever its headers say (a HEAD request)
   * @return the answer, and whether this connection may carry another exchange
   * @throws RequestNotSentException when writing failed, so the instance got nothing complete
   * @throws IOException when the answer could not be read whole
   */
  Exchanged exchange(byte[] head, byte[] body, boolean noAnswerBody) throws IOException {
    synchronized (this) {
      settled = false;
    }
    exchanges++;
    try {
      if (head.length + body.length <= 16 << 10) {
        byte[] both = new byte[head.length + body.length];
        System.arraycopy(head, 0, both, 0, head.length);
        System.arraycopy(body, 0, both, head.length, body.length);
        out.write(both);
      } else {
        out.write(head);
        out.write(body);
      }
      out.flush();
    } catch (IOException e) {
      throw new RequestNotSentException(e);
    }
    return readAnswer(noAnswerBody);
  }

  /** The result of one exchange. */
  record Exchanged(InstanceAnswer answer, boolean reusable) {}

  /** A request that could not be written whole: the instance did not get it. */
  static final class RequestNotSentException extends IOException {
    private static final long serialVersionUID = 1L;

    RequestNotSentException(IOException cause) {
      super("the request could not be written: " + cause.getMessage(), cause);
    }
  }

  private Exchanged readAnswer(boolean noAnswerBody) throws IOException {
    int[] headBudget = {MAX_HEAD_BYTES};
    String statusLine;
    int status;
    Map<String, String> headers;
    do {
      statusLine = readLine(headBudget);
      if (statusLine == null) {
        throw new EOFException("the instance closed the connection before answering");
      }
      status = status(statusLine);
      headers = readHeaders(headBudget);
      // 1xx answers (100 Continue) come before the real one; 101 would switch protocols: the
      // runtime never asks for it, so it is taken as the final answer.
    } while (status >= 100 && status < 200 && status != 101);
    boolean http10 = statusLine.startsWith("HTTP/1.0");
    String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    boolean keepAlive =
        http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");
    byte[] body;
    boolean delimited = true;
    if (noAnswerBody || status < 200 || status == 204 || status == 304) {
      body = new byte[0];
    } else if (headers.containsKey("transfer-encoding")) {
      String coding = headers.get("transfer-encoding").toLowerCase(Locale.ROOT).trim();
      if (coding.endsWith("chunked")) {
        body = readChunked(headBudget);
      } else {
        body = readToEnd();
        delimited = false;
      }
    } else if (headers.containsKey("content-length")) {
      body = readFixed(contentLength(headers.get("content-length")));
    } else {
      body = readToEnd();
      delimited = false;
    }
    // Bytes after the answer would be taken for the next answer: such a connection is not kept.
    boolean reusable = keepAlive && delimited && status != 101 && pos == limit;
    return new Exchanged(new InstanceAnswer(status, headers, body), reusable);
  }

  private static int status(String line) throws IOException {
    // HTTP-version SP 3DIGIT [SP reason]
    if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
      throw new IOException("malformed status line from the instance: " + Call.printable(line));
    }
    int status = 0;
    for (int i = 9; i < 12; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        throw new IOException("malformed status line from the instance: " + Call.printable(line));
      }
      status = status * 10 + (c - '0');
    }
    if (status < 100 || (line.length() > 12 && line.charAt(12) != ' ')) {
      throw new IOException("malformed status line from the instance: " + Call.printable(line));
    }
    return status;
  }

  private Map<String, String> readHeaders(int[] budget) throws IOException {
    Map<String, String> headers = new HashMap<>();
    int count = 0;
    while (true) {
      String line = readLine(budget);
      if (line == null) {
        throw new EOFException("the instance closed the connection inside the answer head");
      }
      if (line.isEmpty()) {
        return headers;
      }
      if (++count > MAX_HEADERS) {
        throw new IOException("the instance's answer has more than " + MAX_HEADERS + " headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !HttpTokens.isToken(line.substring(0, colon))) {
        // Also a folded line (obs-fold): RFC 9112 lets a client refuse it.
        throw new IOException("malformed header line from the instance: " + Call.printable(line));
      }
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + "," + b);
    }
  }

  private long contentLength(String value) throws IOException {
    // A repeated header arrives joined with commas; the copies must agree (RFC 9110, 8.6).
    long length = -1;
    for (String part : value.split(",", -1)) {
      long n;
      try {
        n = Long.parseLong(part.trim());
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0 || (length >= 0 && n != length)) {
        throw new IOException("invalid Content-Length from the instance: " + Call.printable(value));
      }
      length = n;
    }
    return length;
  }

  private byte[] readFixed(long length) throws IOException {
    if (length > maxBody) {
      throw new IOException(tooLarge());
    }
    byte[] body = new byte[(int) length];
    int n = readInto(body, 0, body.length);
    if (n < length) {
      throw new EOFException(
          "the instance closed the connection after " + n + " of " + length + " bytes");
    }
    return body;
  }

  private byte[] readChunked(int[] budget) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String line = readLine(budget);
      if (line == null) {
        throw new EOFException("the instance closed the connection inside a chunked answer");
      }
      int ext = line.indexOf(';');
      String hex = (ext >= 0 ? line.substring(0, ext) : line).trim();
      long size;
      try {
        size = hex.isEmpty() || hex.length() > 15 ? -1 : Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 0) {
        throw new IOException("malformed chunk size from the instance: " + Call.printable(line));
      }
      if (size == 0) {
        // Trailers, up to the blank line; their content is not forwarded.
        readHeaders(budget);
        return body.toByteArray();
      }
      if (body.size() + size > maxBody) {
        throw new IOException(tooLarge());
      }
      byte[] chunk = new byte[(int) size];
      if (readInto(chunk, 0, chunk.length) < size) {
        throw new EOFException("the instance closed the connection inside a chunk");
      }
      body.write(chunk);
      String end = readLine(budget);
      if (end == null || !end.isEmpty()) {
        throw new IOException("a chunk from the instance does not end with CRLF");
      }
    }
  }

  private byte[] readToEnd() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] chunk = new byte[16 << 10];
    int n;
    while ((n = readInto(chunk, 0, chunk.length)) > 0) {
      if (body.size() + (long) n > maxBody) {
        throw new IOException(tooLarge());
      }
      body.write(chunk, 0, n);
      if (n < chunk.length) {
        break;
      }
    }
    return body.toByteArray();
  }

  /**
   * Reads up to {@code len} bytes, buffered ones first; fewer only at the end of the stream.
   *
   * @return the bytes read
   */
  private int readInto(byte[] dst, int off, int len) throws IOException {
    int done = 0;
    int buffered = Math.min(len, limit - pos);
    if (buffered > 0) {
      System.arraycopy(buf, pos, dst, off, buffered);
      pos += buffered;
      done = buffered;
    }
    while (done < len) {
      int n = in.read(dst, off + done, len - done);
      if (n < 0) {
        break;
      }
      done += n;
    }
    return done;
  }

  /** The next byte, or -1 at the end of the stream. */
  private int readByte() throws IOException {
    if (pos == limit) {
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        return -1;
      }
      pos = 0;
      limit = n;
    }
    return buf[pos++] & 0xff;
  }

  private String tooLarge() {
    return "the instance's answer body is larger than " + (maxBody >> 20) + " MiB";
  }

  /**
   * One line without its CRLF (a bare LF is accepted), as ISO-8859-1; null at the end of the stream
   * before any byte of it. Counts against the head's budget.
   */
  private String readLine(int[] budget) throws IOException {
    StringBuilder line = new StringBuilder(64);
    int b;
    while ((b = readByte()) >= 0) {
      if (--budget[0] < 0) {
        throw new IOException(
            "the instance's answer head is larger than " + (MAX_HEAD_BYTES >> 10) + " KiB");
      }
      if (b == '\n') {
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
          line.setLength(n - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
    if (line.length() == 0) {
      return null;
    }
    throw new EOFException("the instance closed the connection inside a line of its answer");
  }

  private static boolean hasToken(String list, String token) {
    for (String part : list.split(",")) {
      if (part.trim().equals(token)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Ends the exchange: the answer is read, so a late alarm must not close the connection.
   *
   * @return false when the alarm already closed it (it cannot be kept)
   */
  synchronized boolean settle() {
    settled = true;
    idleSinceNanos = System.nanoTime();
    return !expired;
  }

  /** The exchange's deadline passed: closes the connection unless the exchange ended first. */
  synchronized void expire() {
    if (!settled) {
      expired = true;
      close();
    }
  }

  /** Whether {@link #expire} closed it during the exchange (a timeout, not a failure). */
  synchronized boolean expired() {
    return expired;
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
