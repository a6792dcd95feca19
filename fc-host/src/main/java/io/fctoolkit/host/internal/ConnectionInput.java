package io.fctoolkit.host.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A connection's buffered input with the read timeouts of the phase it is in: idle between
 * requests, one deadline for the whole request head, and a timeout between bytes of a body.
 *
 * <p>Why a deadline for the head and not a timeout per read: a client that sends one byte every few
 * seconds would otherwise hold its connection (and thread) for ever. Why not a watchdog thread: the
 * deadline costs no thread and no start-up work, only a {@code setSoTimeout} when it changes.
 */
final class ConnectionInput extends InputStream {
  /** Thrown when the request head did not arrive within its deadline. */
  static final class HeadTimeout extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    HeadTimeout(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final byte[] buffer = new byte[8192];
  private final int idleTimeoutMs;
  private final int headerTimeoutMs;
  private final int bodyTimeoutMs;
  private int pos;
  private int count;
  private int soTimeout = -1;
  private int readTimeoutMs;
  private long headDeadline; // System.nanoTime(); 0 when not reading a head

  ConnectionInput(Socket socket, int idleTimeoutMs, int headerTimeoutMs, int bodyTimeoutMs)
      throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.idleTimeoutMs = idleTimeoutMs;
    this.headerTimeoutMs = headerTimeoutMs;
    this.bodyTimeoutMs = bodyTimeoutMs;
    this.readTimeoutMs = idleTimeoutMs;
  }

  /** Between requests: waits up to the idle timeout for the first byte of the next one. */
  void idle() {
    headDeadline = 0;
    readTimeoutMs = idleTimeoutMs;
  }

  /** The first byte of a request arrived: the rest of its head must follow within the timeout. */
  void headStarted() {
    headDeadline = System.nanoTime() + headerTimeoutMs * 1_000_000L;
    readTimeoutMs = headerTimeoutMs;
  }

  /** The head is complete: reading the body may pause up to the body timeout between bytes. */
  void body() {
    headDeadline = 0;
    readTimeoutMs = bodyTimeoutMs;
  }

  int headerTimeoutMs() {
    return headerTimeoutMs;
  }

  int bodyTimeoutMs() {
    return bodyTimeoutMs;
  }

  @Override
  public int read() throws IOException {
    if (pos == count && !fill()) {
      return -1;
    }
    return buffer[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos == count) {
      if (len >= buffer.length) {
        return socketRead(b, off, len); // large reads skip the copy
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, count - pos);
    System.arraycopy(buffer, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return count - pos;
  }

  private boolean fill() throws IOException {
    int n = socketRead(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    count = n;
    return true;
  }

  private int socketRead(byte[] b, int off, int len) throws IOException {
    int timeout = readTimeoutMs;
    if (headDeadline != 0) {
      long left = (headDeadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        throw new HeadTimeout("head deadline passed");
      }
      timeout = (int) Math.min(timeout, left);
    }
    if (timeout != soTimeout) {
      socket.setSoTimeout(timeout);
      soTimeout = timeout;
    }
    try {
      return in.read(b, off, len);
    } catch (SocketTimeoutException e) {
      if (headDeadline != 0) {
        throw new HeadTimeout("head deadline passed");
      }
      throw e;
    }
  }
}
