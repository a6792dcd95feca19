package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A control call made on a pooled connection that the runtime closed while it sat idle is sent
 * again on a new connection, once; an invocation that may have reached the runtime is not.
 */
class StaleConnectionTest {

  @Test
  @Timeout(60)
  void aDeleteOnAConnectionTheServerClosed_isSentAgainOnANewOne() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<String> requests = new CopyOnWriteArrayList<>();
      Thread serving =
          new Thread(
              () -> {
                try {
                  // First connection: one answer with keep-alive; when the next request starts
                  // to arrive, the connection is reset unread, as an idle close racing the
                  // client's write (seen: "Broken pipe" in the rollout benchmark).
                  try (Socket first = server.accept()) {
                    requests.add(readHead(first.getInputStream()));
                    answer(first.getOutputStream());
                    first.getInputStream().read();
                    first.setSoLinger(true, 0);
                  }
                  // The client writes onto the dead connection, then comes back on a new one.
                  try (Socket second = server.accept()) {
                    requests.add(readHead(second.getInputStream()));
                    answer(second.getOutputStream());
                  }
                } catch (IOException e) {
                  requests.add("server failed: " + e);
                }
              });
      serving.setDaemon(true);
      serving.start();
      LocalPlatform platform =
          new LocalPlatform(URI.create("http://127.0.0.1:" + server.getLocalPort()), "t");

      platform.deleteVersion("f", 1);
      platform.deleteVersion("f", 2);

      serving.join(10_000);
      assertThat(requests)
          .hasSize(2)
          .satisfiesExactly(
              r -> assertThat(r).startsWith("DELETE /v1/functions/f/versions/1 "),
              r -> assertThat(r).startsWith("DELETE /v1/functions/f/versions/2 "));
    }
  }

  @Test
  void onlyFailuresThatDeliveredNothing_countAsUnsent() {
    IOException pipe = new IOException("wrapped", new IOException("Broken pipe"));
    IOException noBytes = new IOException("HTTP/1.1 header parser received no bytes");
    IOException timeout = new IOException("request timed out");
    assertThat(StaleConnection.unsent(pipe, true)).isTrue();
    assertThat(StaleConnection.unsent(pipe, false)).isTrue();
    assertThat(StaleConnection.unsent(noBytes, false)).isTrue();
    assertThat(StaleConnection.unsent(noBytes, true)).as("an invocation may have run").isFalse();
    assertThat(StaleConnection.unsent(timeout, false)).isFalse();
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return head.toString();
  }

  private static void answer(OutputStream out) throws IOException {
    out.write(
        ("HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
