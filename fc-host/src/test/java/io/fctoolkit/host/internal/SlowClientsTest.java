package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.host.testfunctions.Recorder;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients that send slowly or not at all cannot starve well-behaved ones (issue 13, item 5). */
class SlowClientsTest {
  private static final String HALF_A_HEAD = "POST /slow HTTP/1.1\r\nHost: h\r\nX-Wait: ";

  @BeforeEach
  void clear() {
    Recorder.CALLS.clear();
  }

  @Test
  void moreSlowConnectionsThanTheCap_doNotTurnAWellBehavedRequestInto503() throws Exception {
    // The default cap (1024) and a header timeout far longer than the test: only eviction helps.
    List<Socket> slow = new ArrayList<>();
    try (InProcessHost host =
        InProcessHost.start(
            "io.fctoolkit.host.testfunctions.Recorder", "FC_HEADER_TIMEOUT_MS", "600000")) {
      for (int i = 0; i < 1100; i++) {
        Socket socket = RawClient.connect(host.port);
        slow.add(socket);
        RawClient.send(socket, HALF_A_HEAD);
      }

      long started = System.nanoTime();
      HttpResponse<String> response = host.get("/fine");
      long millis = (System.nanoTime() - started) / 1_000_000L;
      System.out.println(
          "a request with 1,100 slow connections held answered in " + millis + " ms");

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(millis).as("ms to answer with 1,100 slow connections held").isLessThan(5000);
      assertThat(host.server.openConnections()).isLessThanOrEqualTo(1024);
      // The oldest slow connections were the ones closed to make room.
      assertThat(slow.get(0).getInputStream().read()).isEqualTo(-1);
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @Test
  void halfAHead_isAnswered408AndClosedAfterTheHeaderTimeout_evenWhenTrickling() throws Exception {
    try (InProcessHost host =
        InProcessHost.start(
            "io.fctoolkit.host.testfunctions.Recorder", "FC_HEADER_TIMEOUT_MS", "400")) {
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 20; i++) {
          Socket socket = RawClient.connect(host.port);
          slow.add(socket);
          RawClient.send(socket, HALF_A_HEAD);
        }
        Socket trickler = slow.get(0);
        long started = System.nanoTime();
        // One byte every 100 ms: never idle for a whole timeout, yet the head never ends.
        for (int i = 0; i < 8; i++) {
          Thread.sleep(100);
          try {
            RawClient.send(trickler, "x");
          } catch (IOException closed) {
            break;
          }
        }

        for (Socket socket : slow) {
          String all =
              new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
          assertThat(all)
              .startsWith("HTTP/1.1 408 Request Timeout\r\n")
              .contains("Connection: close")
              .contains("FC_HEADER_TIMEOUT_MS");
        }
        long millis = (System.nanoTime() - started) / 1_000_000L;
        assertThat(millis).isLessThan(5000);
      } finally {
        for (Socket socket : slow) {
          socket.close();
        }
      }
      awaitOpenConnections(host, 0);
      assertThat(Recorder.CALLS).isEmpty();
      assertThat(host.get("/after").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void bodyThatStopsArriving_isAnswered408_andNeverReachesTheFunction() throws Exception {
    try (InProcessHost host =
        InProcessHost.start(
            "io.fctoolkit.host.testfunctions.Recorder", "FC_BODY_TIMEOUT_MS", "300")) {
      try (Socket socket = RawClient.connect(host.port)) {
        RawClient.send(socket, "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");

        String all =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

        assertThat(all)
            .startsWith("HTTP/1.1 408 ")
            .contains("FC_BODY_TIMEOUT_MS")
            .contains("after 3 bytes");
      }
      assertThat(Recorder.CALLS).isEmpty();
      assertThat(host.log()).doesNotContain("function threw");
    }
  }

  private static void awaitOpenConnections(InProcessHost host, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (host.server.openConnections() != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(host.server.openConnections()).isEqualTo(expected);
  }
}
