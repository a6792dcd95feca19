package io.fctoolkit.runtime.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.TriggerSpec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class CloudEventMapperTest {

  @Test
  void toRequest_shapesABinaryCloudEventLikeKnativeKafkaSource() {
    // Given
    TriggerSpec spec =
        TriggerSpec.builder("submissions", "grader", "live", "homework")
            .deadLetterTopic("homework-dlq")
            .build();
    RecordHeaders headers = new RecordHeaders();
    headers.add("Content-Type", "application/json".getBytes(StandardCharsets.UTF_8));
    headers.add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8));
    headers.add("ce-type", "spoofed".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(
            "homework",
            2,
            42L,
            1_700_000_000_123L,
            TimestampType.CREATE_TIME,
            5,
            7,
            "student-1".getBytes(StandardCharsets.UTF_8),
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
            headers,
            Optional.empty());

    // When
    InvokeRequest request = new CloudEventMapper(spec, "ns1").toRequest(record);

    // Then
    assertThat(request.function()).isEqualTo("grader");
    assertThat(request.qualifier()).isEqualTo("live");
    assertThat(request.routingKey()).isEqualTo("student-1");
    assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    assertThat(request.headers())
        .containsEntry("ce-specversion", "1.0")
        .containsEntry("ce-id", "partition:2/offset:42")
        .containsEntry(
            "ce-source", "/apis/v1/namespaces/ns1/kafkasources/grader-submissions#homework")
        .containsEntry("ce-type", "dev.knative.kafka.event")
        .containsEntry("ce-subject", "partition:2#42")
        .containsEntry("ce-time", "2023-11-14T22:13:20.123Z")
        .containsEntry("ce-key", "student-1")
        .containsEntry("content-type", "application/json")
        .containsEntry("traceparent", "00-abc-01");
  }

  @Test
  void toRequest_withoutKeyOrValue_hasNoRoutingKeyAndAnEmptyBody() {
    TriggerSpec spec = TriggerSpec.builder("t", "f", "live", "in").allowDrop(true).build();
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("in", 0, 0L, null, null);
    InvokeRequest request = new CloudEventMapper(spec, "default").toRequest(record);
    assertThat(request.routingKey()).isNull();
    assertThat(request.body()).isEmpty();
    assertThat(request.headers()).doesNotContainKey("ce-key");
  }
}
