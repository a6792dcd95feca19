package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Version;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallAnswersTest {

  private final Version version =
      new Version(
          "fn",
          3,
          "sha256:" + "0".repeat(64),
          FunctionConfig.builder("fn", "x.Handler").build(),
          "c",
          null,
          Instant.now());
  private final ServingStats stats = new ServingStats();
  private final ServingStats aliasStats = new ServingStats();
  private final CallAnswers answers = new CallAnswers(version, stats);

  @Test
  void finish_countsTheAnswerAndItsWaits_inTheVersionAndTheAlias() throws Exception {
    Call waited = new Call("POST", "/", Map.of(), new byte[0], aliasStats);
    waited.queued = true;
    waited.waitedForStart = true;
    Call direct = new Call("POST", "/", Map.of(), new byte[0], null);

    answers.finish(waited, response(503));
    answers.finish(direct, response(200));

    assertThat(waited.future().get().status()).isEqualTo(503);
    assertThat(direct.future().get().status()).isEqualTo(200);
    assertThat(stats.invocations.sum()).isEqualTo(2);
    assertThat(stats.errors.sum()).isEqualTo(1);
    assertThat(stats.queueWaits.sum()).isEqualTo(1);
    assertThat(stats.startWaits.sum()).isEqualTo(1);
    assertThat(aliasStats.invocations.sum()).isEqualTo(1);
    assertThat(aliasStats.errors.sum()).isEqualTo(1);
  }

  @Test
  void headers_areLowerCaseAndJoined_withoutPseudoHeaders() {
    HttpHeaders headers =
        HttpHeaders.of(
            Map.of(
                ":status", List.of("200"),
                "Content-Type", List.of("text/plain"),
                "X-Many", List.of("a", "b"),
                "X-None", List.of()),
            (name, value) -> true);

    assertThat(Responses.headers(headers))
        .containsExactlyInAnyOrderEntriesOf(Map.of("content-type", "text/plain", "x-many", "a,b"));
  }

  private InvokeResponse response(int status) {
    return new InvokeResponse(status, Map.of(), new byte[0], version.number(), Duration.ZERO);
  }
}
