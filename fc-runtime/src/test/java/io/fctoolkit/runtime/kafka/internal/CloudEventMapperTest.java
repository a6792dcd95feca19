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

  @Test
  void toRequest_withoutRecordHeaders_hasTheSameAttributesAsWithThem() {
    // Given: the same record with no header and with one unrelated header, with and without a
    // timestamp and a key (the two paths build the map differently)
    TriggerSpec spec = TriggerSpec.builder("t", "f", "live", "in").allowDrop(true).build();
    CloudEventMapper mapper = new CloudEventMapper(spec, "default");
    for (long timestamp : new long[] {-1L, 1_700_000_000_123L}) {
      for (byte[] key : new byte[][] {null, "k".getBytes(StandardCharsets.UTF_8)}) {
        RecordHeaders one = new RecordHeaders();
        one.add("X-Trace", "t1".getBytes(StandardCharsets.UTF_8));

        // When
        var bare = mapper.toRequest(record(timestamp, key, new RecordHeaders())).headers();
        var withHeader =
            new java.util.HashMap<>(mapper.toRequest(record(timestamp, key, one)).headers());

        // Then
        assertThat(withHeader.remove("x-trace")).isEqualTo("t1");
        assertThat(bare).isEqualTo(withHeader);
        assertThat(bare.containsKey("ce-time")).isEqualTo(timestamp >= 0);
        assertThat(bare.containsKey("ce-key")).isEqualTo(key != null);
      }
    }
  }

  @Test
  void toRequest_aRepeatedRecordHeaderKeepsItsLastValue() {
    TriggerSpec spec = TriggerSpec.builder("t", "f", "live", "in").allowDrop(true).build();
    RecordHeaders headers = new RecordHeaders();
    headers.add("x-a", "1".getBytes(StandardCharsets.UTF_8));
    headers.add("X-A", "2".getBytes(StandardCharsets.UTF_8));
    InvokeRequest request =
        new CloudEventMapper(spec, "default").toRequest(record(5L, null, headers));
    assertThat(request.headers()).containsEntry("x-a", "2");
  }

  private static ConsumerRecord<byte[], byte[]> record(
      long timestamp, byte[] key, RecordHeaders headers) {
    return new ConsumerRecord<>(
        "in",
        1,
        9L,
        timestamp,
        TimestampType.CREATE_TIME,
        key == null ? -1 : key.length,
        1,
        key,
        "v".getBytes(StandardCharsets.UTF_8),
        headers,
        Optional.empty());
  }
}
