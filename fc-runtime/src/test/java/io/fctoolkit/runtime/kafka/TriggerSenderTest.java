package io.fctoolkit.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.TriggerSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How fc:send tells which of its records an outcome is about: by where the record was written, in
 * the runtime's {@code fc-source-*} headers or in Knative's CloudEvent ids. The sending and waiting
 * run against the real embedded broker in the plugin's {@code send-logs} IT.
 */
class TriggerSenderTest {

  private final TriggerSender sender =
      new TriggerSender(
          "127.0.0.1:1",
          TriggerSpec.builder("submissions", "grader", "dev", "submissions")
              .deadLetterTopic("submissions-dlq")
              .onSuccessTopic("grades")
              .build(),
          event -> {});

  @Test
  void runtimeOutcomes_areMatchedByTheirSourceHeaders_ofTheTriggersTopicOnly() {
    assertThat(
            sender.source(
                Map.of(
                    "fc-source-topic", "submissions",
                    "fc-source-partition", "3",
                    "fc-source-offset", "42")))
        .isEqualTo(TriggerSender.position(3, 42));
    assertThat(
            sender.source(
                Map.of(
                    "fc-source-topic", "other",
                    "fc-source-partition", "3",
                    "fc-source-offset", "42")))
        .isNull();
    assertThat(sender.source(Map.of("fc-source-topic", "submissions"))).isNull();
    assertThat(sender.source(Map.of())).isNull();
  }

  @Test
  void knativeDeadLetters_areTheSourcesEvent_andResults_fcHostsReplyToIt() {
    String source = "/apis/v1/namespaces/default/kafkasources/grader-submissions#submissions";
    assertThat(sender.source(Map.of("ce_id", "partition:1/offset:7", "ce_source", source)))
        .isEqualTo(TriggerSender.position(1, 7));
    assertThat(
            sender.source(
                Map.of(
                    "ce_id", "partition:1/offset:7/result@" + source, "ce_source", "/fc/grader")))
        .isEqualTo(TriggerSender.position(1, 7));
    assertThat(
            sender.source(
                Map.of(
                    "ce_id",
                    "partition:1/offset:7",
                    "ce_source",
                    "/apis/v1/namespaces/default/kafkasources/x#elsewhere")))
        .isNull();
    assertThat(sender.source(Map.of("ce_id", "some-uuid", "ce_source", source))).isNull();
  }

  @Test
  void positions_keepPartitionAndOffsetApart() {
    assertThat(TriggerSender.position(1, 0)).isNotEqualTo(TriggerSender.position(0, 1L << 39));
    assertThat(TriggerSender.position(2, 5) >>> 40).isEqualTo(2);
  }
}
