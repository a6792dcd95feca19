package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.host.testfunctions.Recorder;
import java.net.Socket;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112 strictness: every request below is one that a proxy in front could frame differently
 * (request smuggling) or that cannot be served; each gets a 4xx that says what is wrong, the
 * connection closes, the function is never called, and nothing is logged as "function threw".
 */
class Http1StrictParsingTest {
  private static final String POST = "POST /p HTTP/1.1\r\nHost: h\r\n";
  private static final String CHUNKED = POST + "Transfer-Encoding: chunked\r\n\r\n";

  private static InProcessHost host;

  /** A host whose body limit is small, for the 413 cases. */
  private static InProcessHost small;

  @BeforeAll
  static void start() {
    host = InProcessHost.start("io.fctoolkit.host.testfunctions.Recorder");
    small =
        InProcessHost.start("io.fctoolkit.host.testfunctions.Recorder", "FC_MAX_BODY_BYTES", "100");
  }

  @AfterAll
  static void stop() {
    host.close();
    small.close();
  }

  @BeforeEach
  void clear() {
    Recorder.CALLS.clear();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        // Content-Length: 1*DIGIT only, one value, not with Transfer-Encoding
        bad(400, "Content-Length", POST + "Content-Length: +2\r\n\r\nab"),
        bad(400, "Content-Length", POST + "Content-Length: -0\r\n\r\n"),
        bad(400, "Content-Length", POST + "Content-Length: 2, 2\r\n\r\nab"),
        bad(400, "Content-Length", POST + "Content-Length: 0x2\r\n\r\nab"),
        bad(400, "different values", POST + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nabc"),
        bad(
            400,
            "Both Transfer-Encoding and Content-Length",
            POST + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        // chunk sizes: HEXDIG only, no sign, no 0x, no overflow
        bad(400, "chunk size", CHUNKED + "+2\r\nab\r\n0\r\n\r\n"),
        bad(400, "chunk size", CHUNKED + "zz\r\nab\r\n0\r\n\r\n"),
        bad(400, "chunk size", CHUNKED + "-2\r\nab\r\n0\r\n\r\n"),
        bad(400, "chunk size", CHUNKED + "0x2\r\nab\r\n0\r\n\r\n"),
        bad(400, "chunk size", CHUNKED + " 2\r\nab\r\n0\r\n\r\n"),
        bad(400, "chunk size", CHUNKED + "2 \r\nab\r\n0\r\n\r\n"),
        bad(400, "15 significant hex digits", CHUNKED + "10000000000000002\r\nab\r\n0\r\n\r\n"),
        bad(400, "15 significant hex digits", CHUNKED + "ffffffffffffffff\r\nab\r\n0\r\n\r\n"),
        bad(400, "Missing CRLF after a chunk", CHUNKED + "2\r\nabXY0\r\n\r\n"),
        bad(400, "Missing CRLF after a chunk", CHUNKED + "2\r\nab\n0\r\n\r\n"),
        bad(400, "bare LF", CHUNKED + "2\nab\r\n0\r\n\r\n"),
        bad(400, "chunk extension", CHUNKED + "2;\r\nab\r\n0\r\n\r\n"),
        bad(400, "chunk extension", CHUNKED + "2;a=\"x\r\nab\r\n0\r\n\r\n"),
        bad(400, "trailer name", CHUNKED + "2\r\nab\r\n0\r\nBad Trailer: x\r\n\r\n"),
        // Transfer-Encoding: exactly chunked as the final (and only) coding
        bad(400, "control character", POST + "Transfer-Encoding: \u000bchunked\r\n\r\n0\r\n\r\n"),
        bad(400, "control character", POST + "Transfer-Encoding: chunked\u000b\r\n\r\n0\r\n\r\n"),
        bad(400, "end in chunked", POST + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
        bad(400, "only 'chunked'", POST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        bad(400, "only 'chunked'", POST + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
        bad(400, "end in chunked", POST + "Transfer-Encoding: identity\r\n\r\n"),
        bad(400, "Malformed Transfer-Encoding", POST + "Transfer-Encoding: \"chunked\"\r\n\r\n"),
        bad(400, "Empty Transfer-Encoding", POST + "Transfer-Encoding: ,\r\n\r\n"),
        bad(400, "HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        // header values: no bare CR, NUL or other controls (HTAB is fine)
        bad(400, "bare CR", POST + "X-A: a\rb\r\n\r\n"),
        bad(400, "control character (0x0)", POST + "X-A: a\u0000b\r\n\r\n"),
        bad(400, "control character (0x1)", POST + "X-A: a\u0001b\r\n\r\n"),
        bad(400, "control character (0x7f)", POST + "X-A: a\u007fb\r\n\r\n"),
        // header names: tokens only
        bad(400, "not a token", POST + "X\u0000A: 1\r\n\r\n"),
        bad(400, "not a token", POST + "X(A: 1\r\n\r\n"),
        bad(400, "not a token", POST + "Content-Length : 2\r\n\r\nab"),
        bad(400, "not a token", POST + "X-A\t: 1\r\n\r\n"),
        bad(400, "without a name", POST + ": 1\r\n\r\n"),
        bad(400, "Obsolete line folding", POST + "X-A: a\r\n b\r\n\r\n"),
        bad(400, "bare LF", "GET /p HTTP/1.1\nHost: h\n\n"),
        bad(400, "More than one Host", "GET /p HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        // request line
        bad(400, "single spaces", "GET  /p HTTP/1.1\r\n\r\n"),
        bad(400, "single spaces", "GET /p q HTTP/1.1\r\n\r\n"),
        bad(400, "method is not a token", "G(T /p HTTP/1.1\r\n\r\n"),
        bad(400, "control character in the request target", "GET /p\u0001 HTTP/1.1\r\n\r\n"),
        bad(400, "Malformed HTTP version", "GET /p HTTP/1.1x\r\n\r\n"),
        // sizes
        bad(413, "larger than", POST + "Content-Length: 9223372036854775807\r\n\r\nab"),
        bad(413, "larger than", POST + "Content-Length: 99999999999999999999999\r\n\r\nab"),
        bad(
            431,
            "over 4096 bytes",
            CHUNKED + "2;e=" + "x".repeat(16 * 1024) + "\r\nab\r\n0\r\n\r\n"),
        bad(431, "Request headers over", POST + "X-A: 1\r\n".repeat(201) + "\r\n"),
        bad(431, "Request headers over", POST + ("X-A: " + "a".repeat(9000) + "\r\n").repeat(8)));
  }

  private static Arguments bad(int status, String says, String request) {
    return Arguments.of(status, says, request);
  }

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @MethodSource("malformed")
  void malformedRequest_gets4xxSayingWhy_closes_andNeverReachesTheFunction(
      int status, String says, String request) throws Exception {
    String response = RawClient.exchange(host.port, request);

    assertThat(RawClient.status(response)).as(response).isEqualTo(status);
    assertThat(response)
        .contains("Connection: close\r\n")
        .contains("Content-Type: application/json\r\n")
        .contains("{\"error\":{\"type\":\"")
        .contains(says);
    assertThat(Recorder.CALLS).isEmpty();
    assertThat(host.log()).doesNotContain("function threw").doesNotContain("\"status\":500");
  }

  @Test
  void bodyOverTheLimit_is413_byContentLengthOrWhileChunked() throws Exception {
    String byLength = RawClient.exchange(small.port, POST + "Content-Length: 101\r\n\r\n");
    String chunked =
        RawClient.exchange(
            small.port, CHUNKED + "40\r\n" + "a".repeat(64) + "\r\n40\r\n" + "b".repeat(64));

    assertThat(RawClient.status(byLength)).isEqualTo(413);
    assertThat(byLength).contains("FC_MAX_BODY_BYTES").contains("PayloadTooLarge");
    assertThat(RawClient.status(chunked)).isEqualTo(413);
    assertThat(Recorder.CALLS).isEmpty();
    // At the limit is fine.
    String atLimit =
        RawClient.exchange(
            small.port,
            POST + "Connection: close\r\nContent-Length: 100\r\n\r\n" + "c".repeat(100));
    assertThat(atLimit).startsWith("HTTP/1.1 200 ").endsWith("len=100 secret=-");
  }

  @Test
  void truncatedBody_closesWithoutAnswer_andNeverCallsTheFunction() throws Exception {
    String byLength = RawClient.sendAndShutdown(host.port, POST + "Content-Length: 10\r\n\r\nabc");
    String chunked = RawClient.sendAndShutdown(host.port, CHUNKED + "a\r\nabc");
    String inChunkLine = RawClient.sendAndShutdown(host.port, CHUNKED + "3\r\nabc\r\n1");

    assertThat(byLength).isEmpty();
    assertThat(chunked).isEmpty();
    assertThat(inChunkLine).isEmpty();
    assertThat(Recorder.CALLS).isEmpty();
    assertThat(host.log()).doesNotContain("function threw").doesNotContain("\"status\":500");
  }

  @Test
  void malformedChunkBeyondTheReadAhead_answers400_whateverTheStreamingFunctionDid()
      throws Exception {
    // Over 1 MiB the body streams to the function; the framing error is found while it reads.
    String big = "a".repeat(Http1Exchange.READ_AHEAD + 10);
    String request =
        CHUNKED + Integer.toHexString(big.length()) + "\r\n" + big + "\r\nzz\r\nab\r\n0\r\n\r\n";

    String response = RawClient.exchange(host.port, request);

    assertThat(RawClient.status(response)).as(response).isEqualTo(400);
    assertThat(response).contains("chunk size").contains("Connection: close");
    assertThat(Recorder.CALLS).containsExactly("POST /p");
    assertThat(host.log()).doesNotContain("function threw").doesNotContain("\"status\":500");
  }

  @Test
  void wellFormedVariants_areServed() throws Exception {
    try (Socket socket = RawClient.connect(host.port)) {
      RawClient.send(
          socket,
          POST
              + "Transfer-Encoding: Chunked\r\nX-Tab: a\tb \t\r\n\r\n"
              + "2;name=\"q\\\"v\";flag\r\nab\r\n0002 ; x=y\r\ncd\r\n0\r\nT: v\r\n\r\n");
      assertThat(RawClient.readResponse(socket.getInputStream())).endsWith("len=4 secret=-");
      RawClient.send(socket, POST + "Content-Length: 2\r\nContent-Length: 2\r\n\r\nef");
      assertThat(RawClient.readResponse(socket.getInputStream())).endsWith("len=2 secret=-");
      RawClient.send(socket, "\r\nGET /q?x=1 HTTP/1.1\r\nHost: h\r\nX-Obs: caf\u00e9\r\n\r\n");
      assertThat(RawClient.readResponse(socket.getInputStream())).endsWith("len=0 secret=-");
    }
    assertThat(Recorder.CALLS)
        .containsExactly("POST /p", "body abcd", "POST /p", "body ef", "GET /q?x=1", "body ");
  }
}
