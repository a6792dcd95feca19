package io.fctoolkit.runtime.internal;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Feeds arbitrary bytes to the runtime's answer reader as an instance's whole answer (then end of
 * stream): a function's process writes those bytes, and with {@code --instance-user} it need not be
 * trusted. The reader must either give an answer (a three-digit status, a body no larger than its
 * limit) or fail with an {@link IOException}; any other exception, an oversized body or a hang (the
 * answer always ends, so a read that waits is a bug) fails the run.
 *
 * <p>{@code mvn test} runs it once (regression mode). To fuzz: {@code JAZZER_FUZZ=1 ./mvnw -B -o
 * -pl fc-runtime -am test -Dtest=InstanceAnswerFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Djazzer.max_duration=60s}.
 */
class InstanceAnswerFuzzTest {
  private static final long MAX_BODY = 4096;
  private static final byte[] REQUEST =
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);
  private static ServerSocket server;

  @BeforeAll
  static void listen() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterAll
  static void close() throws IOException {
    server.close();
  }

  @FuzzTest(maxDuration = "5m")
  void answers(byte[] input) throws Exception {
    // The first byte, when there is one, says whether the request was a HEAD (no answer body).
    boolean head = input.length > 0 && (input[0] & 1) == 1;
    byte[] answer = input.length > 0 ? java.util.Arrays.copyOfRange(input, 1, input.length) : input;
    // Jazzer's SSRF detector forbids sockets unless allowed, per run: loopback only.
    try (SilentCloseable loopback =
        BugDetectors.allowNetworkConnections((host, port) -> port == server.getLocalPort())) {
      exchange(answer, head);
    }
  }

  private static void exchange(byte[] answer, boolean head) throws Exception {
    try (SocketChannel channel =
            SocketChannel.open(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        Socket instance = server.accept()) {
      // Fuzz inputs are small (a few KB): they fit the socket buffers, so writing them all before
      // the runtime reads cannot block. The instance's side stays open (no reset) until the end.
      instance.setSoTimeout(5_000);
      OutputStream out = instance.getOutputStream();
      out.write(answer);
      out.flush();
      instance.shutdownOutput();
      channel.socket().setSoTimeout(5_000);
      try (InstanceConnection connection = new InstanceConnection(channel, MAX_BODY)) {
        InstanceConnection.Exchanged exchanged;
        try {
          exchanged = connection.exchange(REQUEST, new byte[0], head);
        } catch (java.net.SocketTimeoutException e) {
          throw new AssertionError("the reader waited for bytes after the answer ended", e);
        } catch (IOException e) {
          return; // a malformed, truncated or oversized answer: the request fails, as it should
        }
        InstanceAnswer got = exchanged.answer();
        if (got.status() < 100 || got.status() > 999) {
          throw new AssertionError("status " + got.status() + " from a malformed status line");
        }
        if (got.body().length > MAX_BODY) {
          throw new AssertionError("a body of " + got.body().length + " bytes over the limit");
        }
        if (head && got.body().length > 0) {
          throw new AssertionError("a body on a HEAD answer");
        }
      }
    }
  }
}
