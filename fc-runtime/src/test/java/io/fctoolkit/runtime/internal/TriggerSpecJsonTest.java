package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.StartOffset;
import io.fctoolkit.core.TriggerSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A trigger keeps the flat JSON shape that control-API clients and existing state files use. */
class TriggerSpecJsonTest {

  /** What the runtime wrote for a trigger before its settings moved into TriggerSettings. */
  private static final String FLAT =
      """
      {"name":"submissions","function":"grader","alias":"prod","topic":"submissions",
       "consumerGroup":"fc-grader-submissions","ordering":"PARTITION","maxInFlight":7,
       "batchSize":3,"startOffset":"LATEST",
       "retry":{"attempts":4,"initialBackoff":"PT0.5S","maxBackoff":"PT10S"},
       "deadLetterTopic":"submissions-dlq","onSuccessTopic":"results","allowDrop":false,
       "bootstrapServers":"127.0.0.1:9092","partitions":6}
      """;

  private static TriggerSpec expected() {
    return TriggerSpec.builder("submissions", "grader", "prod", "submissions")
        .ordering(Ordering.PARTITION)
        .maxInFlight(7)
        .batchSize(3)
        .startOffset(StartOffset.LATEST)
        .retry(new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(10)))
        .deadLetterTopic("submissions-dlq")
        .onSuccessTopic("results")
        .bootstrapServers("127.0.0.1:9092")
        .partitions(6)
        .build();
  }

  @Test
  void readsTheFlatShapeWrittenBeforeSettingsWereNested() throws Exception {
    TriggerSpec read = RuntimeJson.MAPPER.readValue(FLAT, TriggerSpec.class);

    assertThat(read).isEqualTo(expected());
  }

  @Test
  void writesEveryFieldFlatAndReadsItBack() throws Exception {
    JsonNode written = RuntimeJson.MAPPER.valueToTree(expected());

    assertThat(written.has("settings")).isFalse();
    assertThat(written).isEqualTo(RuntimeJson.MAPPER.readTree(FLAT));
    assertThat(RuntimeJson.MAPPER.treeToValue(written, TriggerSpec.class)).isEqualTo(expected());
  }

  @Test
  void aBadSettingIsRefusedNamingIt() throws Exception {
    JsonNode bad =
        RuntimeJson.MAPPER.readTree(FLAT.replace("\"maxInFlight\":7", "\"maxInFlight\":0"));

    assertThatThrownBy(() -> RequestValues.convert(bad, TriggerSpec.class, ""))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("maxInFlight must be between 1 and 10000, was 0");
  }

  @Test
  void aBadTypeIsRefusedWithItsFieldPath() throws Exception {
    JsonNode bad =
        RuntimeJson.MAPPER.readTree(FLAT.replace("\"batchSize\":3", "\"batchSize\":\"three\""));

    assertThatThrownBy(() -> RequestValues.convert(bad, TriggerSpec.class, ""))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("batchSize"));
  }

  @Test
  void aMissingNameIsRequired() throws Exception {
    JsonNode bad = RuntimeJson.MAPPER.readTree(FLAT.replace("\"name\":\"submissions\",", ""));

    assertThatThrownBy(() -> RequestValues.convert(bad, TriggerSpec.class, ""))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'name' is required");
  }
}
