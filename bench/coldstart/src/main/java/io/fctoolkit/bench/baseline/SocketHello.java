package io.fctoolkit.bench.baseline;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The smallest possible hello server on a blocking ServerSocket: the floor for any JVM HTTP server
 * on this machine (run with {@code --custom-main}).
 */
public final class SocketHello {
  private SocketHello() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv("PORT"));
    byte[] response =
        "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\nHello World!"
            .getBytes(StandardCharsets.US_ASCII);
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress("127.0.0.1", port), 128);
      while (true) {
        try (Socket socket = listener.accept()) {
          InputStream in = new BufferedInputStream(socket.getInputStream());
          int endOfHead = 0;
          for (int c = in.read(); c >= 0 && endOfHead < 4; c = in.read()) {
            endOfHead = (c == '\r' || c == '\n') ? endOfHead + 1 : 0;
            if (endOfHead == 4) {
              break;
            }
          }
          OutputStream out = socket.getOutputStream();
          out.write(response);
          out.flush();
        }
      }
    }
  }
}
