package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.host.testfunctions.Recorder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FC_AUTH=stdin: only requests that carry the instance secret reach the host (issue 13, 6). */
class InstanceSecretTest {
  private static final String SECRET = "s3cr3t-Secret_0123456789abcdefghijklmnop";
  private static final String RECORDER = "io.fctoolkit.host.testfunctions.Recorder";

  @BeforeEach
  void clear() {
    Recorder.CALLS.clear();
  }

  @Test
  void withTheSecret_requestsAreServed_andTheFunctionNeverSeesIt() throws Exception {
    try (InProcessHost host =
            InProcessHost.startWithStdin(SECRET + "\n", RECORDER, "FC_AUTH", "stdin");
        Socket socket = RawClient.connect(host.port)) {
      RawClient.send(
          socket, "GET /f HTTP/1.1\r\nHost: h\r\nx-fc-instance-secret: " + SECRET + "\r\n\r\n");
      assertThat(RawClient.readResponse(socket.getInputStream()))
          .startsWith("HTTP/1.1 200 ")
          .endsWith("len=0 secret=-");
      RawClient.send(
          socket,
          "GET /_fc/ready HTTP/1.1\r\nHost: h\r\nX-FC-Instance-Secret: " + SECRET + "\r\n\r\n");
      assertThat(RawClient.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200 ");
      assertThat(Recorder.CALLS).containsExactly("GET /f", "body ");
      assertThat(host.log()).doesNotContain(SECRET);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /f HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /_fc/ready HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /_fc/live HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /f HTTP/1.1\r\nHost: h\r\nx-fc-instance-secret: \r\n\r\n",
        "GET /f HTTP/1.1\r\nHost: h\r\nx-fc-instance-secret: wrong\r\n\r\n",
        "GET /f HTTP/1.1\r\nHost: h\r\nx-fc-instance-secret: " + SECRET + "x\r\n\r\n",
        "GET /f HTTP/1.1\r\nHost: h\r\nx-fc-instance-secret: "
            + SECRET
            + "\r\nx-fc-instance-secret: "
            + SECRET
            + "\r\n\r\n",
        "POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
      })
  void withoutTheRightSecret_every_request_is403_andTheConnectionCloses(String request)
      throws Exception {
    try (InProcessHost host =
        InProcessHost.startWithStdin(SECRET + "\r\n", RECORDER, "FC_AUTH", "stdin")) {
      String response = RawClient.exchange(host.port, request);

      assertThat(response)
          .startsWith("HTTP/1.1 403 Forbidden\r\n")
          .contains("Connection: close\r\n")
          .contains("\"type\":\"Forbidden\"")
          .contains("x-fc-instance-secret")
          .doesNotContain(SECRET);
      assertThat(Recorder.CALLS).isEmpty();
      assertThat(host.log()).doesNotContain(SECRET);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "\n",
        "tooShort_0123456789012345678901\n", // 31 characters
        "with space 0123456789012345678901234567\n",
        "with.dot.0123456789012345678901234567\n",
      })
  void aMissingOrInvalidSecretLine_exits2NamingFcAuth_withoutPrintingIt(String stdin) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Host.Outcome outcome =
        Host.start(
            Map.of(
                "PORT",
                "0",
                "FC_BIND",
                "127.0.0.1",
                "FUNCTION_TARGET",
                RECORDER,
                "FC_AUTH",
                "stdin"),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(log, true, StandardCharsets.UTF_8),
            false);

    assertThat(outcome.status()).isEqualTo(Host.EXIT_CONFIG);
    String text = log.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("\"variable\":\"FC_AUTH\"");
    if (stdin.trim().length() > 3) {
      assertThat(text).doesNotContain(stdin.trim());
    }
  }

  @Test
  void aSecretLongerThan128_orAnUnknownFcAuthValue_exits2() {
    assertThat(start("a".repeat(129) + "\n", "stdin")).isEqualTo(Host.EXIT_CONFIG);
    assertThat(start("a".repeat(128) + "\n", "stdin")).isEqualTo(-1);
    assertThat(start(SECRET + "\n", "Stdin")).isEqualTo(Host.EXIT_CONFIG);
    assertThat(start(SECRET + "\n", "")).isEqualTo(-1);
  }

  @Test
  void trainingRuns_ignoreFcAuth() {
    HostConfig config =
        HostConfig.from(Map.of("FUNCTION_TARGET", RECORDER, "FC_AUTH", "stdin", "FC_TRAIN", "1"));

    assertThat(config.authStdin()).isFalse();
    assertThat(HostConfig.from(Map.of("FUNCTION_TARGET", RECORDER, "FC_AUTH", "stdin")).authStdin())
        .isTrue();
  }

  @Test
  void aChildProcess_readsTheSecretFromItsStandardInput() throws Exception {
    try (ChildHost child =
        ChildHost.start(Map.of("FUNCTION_TARGET", RECORDER, "FC_AUTH", "stdin"))) {
      OutputStream stdin = child.process.getOutputStream();
      stdin.write((SECRET + "\n").getBytes(StandardCharsets.US_ASCII));
      stdin.flush();
      int port = child.awaitPort();

      assertThat(RawClient.exchange(port, "GET /f HTTP/1.1\r\nHost: h\r\n\r\n"))
          .startsWith("HTTP/1.1 403 ");
      assertThat(
              RawClient.exchange(
                  port,
                  "GET /f HTTP/1.1\r\nHost: h\r\nConnection: close\r\nx-fc-instance-secret: "
                      + SECRET
                      + "\r\n\r\n"))
          .startsWith("HTTP/1.1 200 ")
          .endsWith("secret=-");
      assertThat(child.output()).doesNotContain(SECRET);
    }
  }

  @Test
  void aChildProcess_whoseStandardInputEnds_exits2() throws Exception {
    try (ChildHost child =
        ChildHost.start(Map.of("FUNCTION_TARGET", RECORDER, "FC_AUTH", "stdin"))) {
      child.process.getOutputStream().close();

      assertThat(child.awaitExit(Duration.ofSeconds(30))).isEqualTo(Host.EXIT_CONFIG);
      assertThat(child.output()).contains("FC_AUTH");
    }
  }

  private static int start(String stdin, String auth) {
    Host.Outcome outcome =
        Host.start(
            Map.of(
                "PORT", "0", "FC_BIND", "127.0.0.1", "FUNCTION_TARGET", RECORDER, "FC_AUTH", auth),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            false);
    if (outcome.server() != null) {
      outcome.server().stopNow();
    }
    return outcome.status();
  }
}
