package io.fctoolkit.host.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Raw bytes over a loopback socket, for what an HTTP client library would never send. */
final class RawClient {
  private RawClient() {}

  static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /**
   * Sends {@code request} (ISO-8859-1) and reads until the server closes the connection; fails with
   * a timeout if it keeps it open.
   */
  static String exchange(int port, String request) throws IOException {
    try (Socket socket = connect(port)) {
      send(socket, request);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** Sends {@code request}, then half-closes (the client is done sending), and reads to the end. */
  static String sendAndShutdown(int port, String request) throws IOException {
    try (Socket socket = connect(port)) {
      send(socket, request);
      socket.shutdownOutput();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Reads one response framed by Content-Length (skipping interim 1xx responses). */
  static String readResponse(InputStream in) throws IOException {
    while (true) {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int c = in.read();
        if (c < 0) {
          throw new IOException("EOF in response head: " + head);
        }
        head.write(c);
        matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
      }
      String headText = head.toString(StandardCharsets.ISO_8859_1);
      if (headText.startsWith("HTTP/1.1 1")) {
        continue;
      }
      int at = headText.indexOf("Content-Length: ");
      int length = Integer.parseInt(headText.substring(at + 16, headText.indexOf('\r', at)));
      return headText + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
  }

  /** The status code of a response text, or -1 when there is none. */
  static int status(String response) {
    if (!response.startsWith("HTTP/1.1 ") || response.length() < 12) {
      return -1;
    }
    return Integer.parseInt(response.substring(9, 12));
  }
}
