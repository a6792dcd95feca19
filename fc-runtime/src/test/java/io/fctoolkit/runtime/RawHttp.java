package io.fctoolkit.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HTTP/1.1 over a plain socket, for requests no well-behaved client would send. */
final class RawHttp {

  private RawHttp() {}

  /** A connected socket to the runtime on loopback. */
  static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  /** Sends {@code request} as it is and reads until the server closes or {@code timeout}. */
  static String exchange(int port, String request, Duration timeout) throws IOException {
    try (Socket s = connect(port)) {
      s.setSoTimeout((int) timeout.toMillis());
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return readAnswer(s.getInputStream());
    }
  }

  /**
   * What the server sent until it closed the connection (or reset it), or until the read timeout;
   * "" when it closed without an answer.
   */
  static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // the answer is complete when the server keeps the connection open
    } catch (IOException e) {
      // a reset after the answer, or instead of one
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** The status code of an answer's first line, or -1 when there is none. */
  static int status(String answer) {
    if (!answer.startsWith("HTTP/1.1 ") || answer.length() < 12) {
      return -1;
    }
    return Integer.parseInt(answer.substring(9, 12));
  }

  /** Whether the server closed {@code s} (EOF or reset) within {@code timeout}. */
  static boolean closedWithin(Socket s, Duration timeout) throws IOException {
    s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
