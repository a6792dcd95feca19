package io.fctoolkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TriggerSpecTest {

  @Test
  void build_withoutGroup_usesStableDefault() {
    TriggerSpec spec =
        TriggerSpec.builder("submissions", "grader", "prod", "submissions")
            .deadLetterTopic("submissions-dlq")
            .build();

    assertThat(spec.consumerGroup()).isEqualTo("fc-grader-submissions");
  }

  @Test
  void build_withoutDeadLetterTopic_refusesUnlessDropAllowed() {
    TriggerSpec.Builder builder = TriggerSpec.builder("t", "grader", "prod", "in");

    assertThatThrownBy(builder::build)
        .hasMessageContaining("deadLetterTopic")
        .hasMessageContaining("allowDrop");
    assertThat(builder.allowDrop(true).build().allowDrop()).isTrue();
  }

  @Test
  void build_badTopic_namesField() {
    assertThatThrownBy(
            () ->
                TriggerSpec.builder("t", "grader", "prod", "in")
                    .deadLetterTopic("dead letters")
                    .build())
        .hasMessageContaining("deadLetterTopic")
        .hasMessageContaining("'dead letters'");
  }
}
