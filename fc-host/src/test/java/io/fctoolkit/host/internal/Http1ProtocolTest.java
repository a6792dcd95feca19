package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The host's HTTP/1.1 server, byte by byte over raw sockets. */
class Http1ProtocolTest {
  private static InProcessHost host;

  @BeforeAll
  static void start() {
    host = InProcessHost.start("io.fctoolkit.host.testfunctions.Echo", "FC_LOG_REQUESTS", "0");
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @Test
  void keepAlive_servesSeveralRequestsOnOneConnection() throws Exception {
    try (Socket socket = connect()) {
      for (int i = 0; i < 3; i++) {
        send(socket, "POST /k HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nk" + i);
        String response = readResponse(socket.getInputStream());
        assertThat(response).startsWith("HTTP/1.1 201 Created\r\n").endsWith("body=k" + i);
        assertThat(response).doesNotContain("Connection: close");
      }
    }
  }

  @Test
  void chunkedRequestBody_isDecoded() throws Exception {
    try (Socket socket = connect()) {
      send(
          socket,
          "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n");
      assertThat(readResponse(socket.getInputStream())).endsWith("body=hello world");
    }
  }

  @Test
  void expectContinue_sends100BeforeTheBody() throws Exception {
    try (Socket socket = connect()) {
      send(
          socket,
          "POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
      InputStream in = socket.getInputStream();
      byte[] interim = new byte[25];
      int n = in.readNBytes(interim, 0, interim.length);
      assertThat(new String(interim, 0, n, StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      send(socket, "abc");
      assertThat(readResponse(in)).endsWith("body=abc");
    }
  }

  @Test
  void http10_closesAfterTheResponse() throws Exception {
    try (Socket socket = connect()) {
      send(socket, "GET /old HTTP/1.0\r\n\r\n");
      String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 201 ").contains("Connection: close").endsWith("body=");
    }
  }

  @Test
  void head_hasContentLengthButNoBody() throws Exception {
    try (Socket socket = connect()) {
      send(socket, "HEAD /h HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
      String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // The length of the GET answer ("HEAD /h name=- header=- body="), without the body.
      assertThat(all).contains("Content-Length: 29\r\n").endsWith("\r\n\r\n");
    }
  }

  @Test
  void malformedRequests_get4xxAndTheConnectionCloses() throws Exception {
    assertThat(exchange("NONSENSE\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(exchange("GET / HTTP/2.0\r\n\r\n")).startsWith("HTTP/1.1 505 ");
    assertThat(exchange("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ")
        .contains("Invalid Content-Length");
    assertThat(exchange("GET / HTTP/1.1\r\nX: " + "a".repeat(20_000) + "\r\n\r\n"))
        .startsWith("HTTP/1.1 431 ");
    // The server still serves after all that.
    assertThat(exchange("GET /fine HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 201 ");
  }

  private static String exchange(String request) throws IOException {
    try (Socket socket = connect()) {
      send(socket, request);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", host.port), 5000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Reads one response framed by Content-Length. */
  private static String readResponse(InputStream in) throws IOException {
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
    String headText = head.toString(StandardCharsets.UTF_8);
    int at = headText.indexOf("Content-Length: ");
    int length = Integer.parseInt(headText.substring(at + 16, headText.indexOf('\r', at)));
    return headText + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }
}
