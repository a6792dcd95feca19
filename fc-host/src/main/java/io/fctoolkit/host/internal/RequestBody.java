package io.fctoolkit.host.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * A request body: exactly Content-Length bytes, or a chunked body decoded; sends {@code 100
 * Continue} before the first read when the client asked for it. A framing error (bad chunk line,
 * missing CRLF, over the size limit, a client that stops sending or goes away) is remembered as
 * {@link #failure()}, so that the host answers it as the client's fault whatever the function did
 * with the exception.
 */
final class RequestBody extends InputStream {
  /** The body cannot be read: the client's fault, answered with {@link #status} (or not at all). */
  static final class BodyException extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;
    final boolean clientGone;

    BodyException(int status, String message, boolean clientGone) {
      super(message);
      this.status = status;
      this.clientGone = clientGone;
    }
  }

  /** Bound of one chunk-size line with its extensions; longer ones answer 431. */
  static final int MAX_CHUNK_LINE = 4096;

  private final InputStream in;
  private final boolean chunked;
  private final long limit;
  private final int bodyTimeoutMs;
  private OutputStream continueTo;
  private long remaining; // in the current chunk when chunked
  private long received;
  private boolean eof;
  private BodyException failure;
  private byte[] ahead;
  private int aheadPos;
  private int aheadEnd;

  /**
   * A body of {@code length} bytes, or chunked when {@code length} is negative, of at most {@code
   * limit} bytes.
   */
  RequestBody(InputStream in, long length, long limit, int bodyTimeoutMs, OutputStream continueTo) {
    this.in = in;
    this.chunked = length < 0;
    this.remaining = chunked ? 0 : length;
    this.limit = limit;
    this.bodyTimeoutMs = bodyTimeoutMs;
    this.eof = length == 0;
    this.continueTo = continueTo;
  }

  /** The framing error met so far, or null. */
  BodyException failure() {
    return failure;
  }

  /**
   * Reads up to {@code max} bytes of the body into memory before the function runs, so that a
   * malformed or truncated body (the common small case) fails before any user code is called.
   * Returns the failure, or null.
   */
  BodyException readAhead(int max) {
    if (eof || failure != null || (!chunked && remaining > max)) {
      return failure;
    }
    byte[] buffer = new byte[chunked ? Math.min(max, 8192) : (int) remaining];
    int n = 0;
    try {
      while (true) {
        if (n == buffer.length) {
          if (!chunked || n >= max) {
            break;
          }
          buffer = Arrays.copyOf(buffer, (int) Math.min(max, n * 2L));
        }
        int read = read(buffer, n, buffer.length - n);
        if (read < 0) {
          break;
        }
        n += read;
      }
    } catch (IOException e) {
      return failure;
    }
    ahead = buffer;
    aheadPos = 0;
    aheadEnd = n;
    return null;
  }

  private void sendContinue() throws IOException {
    if (continueTo != null) {
      OutputStream o = continueTo;
      continueTo = null;
      o.write(Http1Exchange.ascii("HTTP/1.1 100 Continue\r\n\r\n"));
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
    if (ahead != null && aheadPos < aheadEnd) {
      int n = Math.min(len, aheadEnd - aheadPos);
      System.arraycopy(ahead, aheadPos, b, off, n);
      aheadPos += n;
      return n;
    }
    if (failure != null) {
      throw failure;
    }
    if (eof) {
      return -1;
    }
    try {
      return readFraming(b, off, len);
    } catch (BodyException e) {
      failure = e;
    } catch (Http1Syntax.Truncated e) {
      failure = truncated();
    } catch (SocketTimeoutException e) {
      failure =
          new BodyException(
              408,
              "The client sent no body bytes for "
                  + bodyTimeoutMs
                  + " ms (FC_BODY_TIMEOUT_MS) after "
                  + received
                  + " bytes",
              false);
    } catch (IOException e) {
      // reset, or closed under us (a timeout answer, shutdown): nobody to answer
      failure = new BodyException(400, "The connection failed inside the request body", true);
    }
    throw failure;
  }

  private BodyException truncated() {
    return new BodyException(
        400, "The connection closed inside the request body after " + received + " bytes", true);
  }

  private int readFraming(byte[] b, int off, int len) throws IOException {
    sendContinue();
    if (chunked && remaining == 0) {
      nextChunk();
      if (eof) {
        return -1;
      }
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) {
      throw truncated();
    }
    remaining -= n;
    received += n;
    if (!chunked && remaining == 0) {
      eof = true;
    }
    if (chunked && remaining == 0) {
      expectCrlf();
    }
    return n;
  }

  private void nextChunk() throws IOException {
    String line = line("a chunk size line");
    try {
      remaining = Http1Syntax.chunkSize(line);
    } catch (Http1Syntax.Violation e) {
      throw new BodyException(e.status, e.getMessage(), false);
    }
    if (remaining > limit - received) {
      throw tooLarge();
    }
    if (remaining == 0) {
      trailers();
    }
  }

  private BodyException tooLarge() {
    return new BodyException(
        413, "Request body larger than " + limit + " bytes (FC_MAX_BODY_BYTES)", false);
  }

  private void trailers() throws IOException {
    int bytes = 0;
    for (int i = 0; i <= Http1Exchange.MAX_HEADERS; i++) {
      String line = line("the trailer section");
      if (line.isEmpty()) {
        eof = true;
        return;
      }
      bytes += line.length();
      if (bytes > Http1Exchange.MAX_HEADER_BYTES) {
        break;
      }
      try {
        Http1Syntax.checkFieldLine(line, "trailer");
      } catch (Http1Syntax.Violation e) {
        throw new BodyException(e.status, e.getMessage(), false);
      }
    }
    throw new BodyException(431, "The trailer section is too large", false);
  }

  private void expectCrlf() throws IOException {
    int cr = in.read();
    int lf = cr < 0 ? -1 : in.read();
    if (lf < 0) {
      throw truncated();
    }
    if (cr != '\r' || lf != '\n') {
      throw new BodyException(400, "Missing CRLF after a chunk's data", false);
    }
  }

  private String line(String what) throws IOException {
    try {
      String line = Http1Syntax.readLine(in, MAX_CHUNK_LINE, 431, what);
      if (line == null) {
        throw truncated();
      }
      return line;
    } catch (Http1Syntax.Violation e) {
      String message =
          e.status == 431
              ? "A chunk size line (with its extensions) or trailer over "
                  + MAX_CHUNK_LINE
                  + " bytes"
              : e.getMessage();
      throw new BodyException(e.status, message, false);
    }
  }

  /** Whether more than {@code max} bytes are (or may be) left unread on the connection. */
  boolean unreadBeyond(long max) {
    return !eof && (chunked || remaining > max);
  }

  /** Reads and discards the rest; false if more than {@code max} bytes were left or it failed. */
  boolean drain(long max) {
    if (failure != null) {
      return false;
    }
    if (eof) {
      return true;
    }
    if (continueTo != null) {
      // The client waits for 100 Continue that never came: it will not send the body.
      return false;
    }
    byte[] skip = new byte[8192];
    long drained = 0;
    try {
      while (!eof) {
        int n = read(skip, 0, skip.length);
        if (n < 0) {
          break;
        }
        drained += n;
        if (drained > max) {
          return false;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return true;
  }
}
