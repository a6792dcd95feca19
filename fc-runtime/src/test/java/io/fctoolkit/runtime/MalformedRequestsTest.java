package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests no client should send: each gets a 4xx (or, where the JDK server refuses the head
 * itself, a closed connection), never a 500, and none reaches the runtime's handlers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class MalformedRequestsTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir static Path dir;
  RuntimeServer server;

  @BeforeAll
  void start() throws Exception {
    server =
        RuntimeServer.start(
            Fixtures.options(dir.resolve("state")),
            new ControlApiLimits(Duration.ofSeconds(2), Duration.ofSeconds(2), 64),
            e -> {});
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String send(String head) throws Exception {
    return RawHttp.exchange(server.port(), head, WAIT);
  }

  private String auth() {
    return "Authorization: Bearer " + server.token() + "\r\n";
  }

  @Test
  void malformedRequestLines_get400() throws Exception {
    assertThat(RawHttp.status(send("GARBAGE\r\n\r\n"))).isEqualTo(400);
    assertThat(RawHttp.status(send("GET /v1/health\r\n\r\n"))).isEqualTo(400);
    assertThat(RawHttp.status(send("GET /v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n"))).isEqualTo(400);
  }

  @Test
  void badMethods_get400Or405WithAllow() throws Exception {
    String notAToken = send("G(T /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(notAToken)).isEqualTo(400);
    assertThat(notAToken).contains("\"field\":\"method\"");

    // An open path says which methods it has without the token ...
    String health = send("POST /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(RawHttp.status(health)).isEqualTo(405);
    assertThat(health).containsIgnoringCase("Allow: GET");
    // ... other paths only with it.
    String brew = "BREW /v1/functions/f/aliases HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    assertThat(RawHttp.status(send(brew + "\r\n"))).isEqualTo(401);
    String allowed = send(brew + auth() + "\r\n");
    assertThat(RawHttp.status(allowed)).isEqualTo(405);
    assertThat(allowed)
        .containsIgnoringCase("Allow: GET")
        .contains("\"type\":\"MethodNotAllowed\"");
    String function =
        send("POST /v1/functions/f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth() + "\r\n");
    assertThat(function).containsIgnoringCase("Allow: GET, PUT, DELETE");
  }

  @Test
  void unknownPaths_get401WithoutToken_and404WithIt() throws Exception {
    String path = "GET /v1/nothing/here HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    assertThat(RawHttp.status(send(path + "\r\n"))).isEqualTo(401);
    String found = send(path + auth() + "\r\n");
    assertThat(RawHttp.status(found)).isEqualTo(404);
    assertThat(found).contains("\"kind\":\"path\"");
  }

  @Test
  void badLengths_get400_and413() throws Exception {
    String put = "PUT /v1/functions/f HTTP/1.1\r\nHost: x\r\n" + auth();
    assertThat(RawHttp.status(send(put + "Content-Length: abc\r\n\r\n"))).isEqualTo(400);
    assertThat(RawHttp.status(send(put + "Content-Length: -5\r\n\r\n"))).isEqualTo(400);
    assertThat(
            RawHttp.status(
                send(put + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc")))
        .isEqualTo(400);
    assertThat(RawHttp.status(send(put + "Content-Length: 2000000\r\n\r\n"))).isEqualTo(413);
    String image = "POST /v1/images HTTP/1.1\r\nHost: x\r\n" + auth();
    String huge = send(image + "Content-Length: 9223372036854775807\r\n\r\n");
    assertThat(RawHttp.status(huge)).isEqualTo(413);
    assertThat(huge).contains("image archive");
    // Without the token the size is not even looked at.
    assertThat(
            RawHttp.status(
                send("POST /v1/images HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")))
        .isEqualTo(401);
  }

  @Test
  void oversizedHeads_areRefusedByTheJdkServer_withoutAnAnswer() throws Exception {
    // The JDK server closes the connection (it answers no 431); what matters here is that the
    // head never reaches a handler and the API goes on answering.
    String big =
        "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(400 << 10) + "\r\n\r\n";
    String answer = send(big);
    assertThat(RawHttp.status(answer)).isIn(-1, 400, 431);
    StringBuilder many = new StringBuilder("GET /v1/health HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 300; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    assertThat(RawHttp.status(send(many + "\r\n"))).isIn(-1, 400, 431);
    assertThat(
            RawHttp.status(send("GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")))
        .isEqualTo(200);
  }

  @Test
  void aRefusedRequest_leavesTheConnectionUsable() throws Exception {
    // The connection stays usable after a refused request answered by the API.
    try (Socket s = RawHttp.connect(server.port())) {
      s.getOutputStream()
          .write(
              ("GET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes());
      String both = RawHttp.readAnswer(s.getInputStream());
      assertThat(both).startsWith("HTTP/1.1 401").contains("HTTP/1.1 200");
    }
  }
}
