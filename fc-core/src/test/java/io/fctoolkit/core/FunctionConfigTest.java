package io.fctoolkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {

  @Test
  void configHash_whenEnvOrderDiffers_isEqual() {
    // Given
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("A", "1");
    ab.put("B", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("B", "2");
    ba.put("A", "1");

    // When
    String first =
        FunctionConfig.builder("grader", "io.example.Grader").env(ab).build().configHash();
    String second =
        FunctionConfig.builder("grader", "io.example.Grader").env(ba).build().configHash();

    // Then
    assertThat(first).isEqualTo(second).startsWith("sha256:");
  }

  @Test
  void configHash_whenBehaviourChanges_differs() {
    FunctionConfig base = FunctionConfig.builder("grader", "io.example.Grader").build();

    assertThat(base.toBuilder().env(Map.of("A", "1")).build().configHash())
        .isNotEqualTo(base.configHash());
    assertThat(
            base.toBuilder()
                .resources(new Resources(1024, 10, Duration.ofSeconds(60)))
                .build()
                .configHash())
        .isNotEqualTo(base.configHash());
    assertThat(base.toBuilder().idempotent(true).build().configHash())
        .isNotEqualTo(base.configHash());
  }

  @Test
  void configHash_withTheDefaultStandby_isTheHashFromBeforeStandbyExisted() {
    // Given the default configuration (standby 1), whose hash was pinned before standby existed
    FunctionConfig base = FunctionConfig.builder("grader", "io.example.Grader").build();

    // Then recorded versions keep their content id, and another headroom is new content
    assertThat(base.scaling().standby()).isEqualTo(Scaling.DEFAULT_STANDBY);
    assertThat(base.configHash())
        .isEqualTo("sha256:319689d050c98ac56ce6cce1fed7ba1be661fc85025d248452aa60c540ee4720");
    assertThat(base.toBuilder().scaling(Scaling.DEFAULT.withStandby(0)).build().configHash())
        .isNotEqualTo(base.configHash());
  }

  @Test
  void scaling_standbyOutOfRange_isRefused_andItsMemoryIsCappedByMaxInstances() {
    assertThatThrownBy(() -> Scaling.DEFAULT.withStandby(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("standby must be 0 (off)");
    assertThat(new Scaling(0, 10, Duration.ofMinutes(5), 2).standbyMemoryMb(512)).isEqualTo(1024);
    assertThat(new Scaling(0, 1, Duration.ofMinutes(5), 3).standbyMemoryMb(512)).isEqualTo(512);
  }

  @Test
  void configHash_whenEnvKeyAndValueShiftAcrossEquals_differs() {
    // "A=B" + "C" must not collide with "A" + "B=C": lengths are part of the canonical form.
    FunctionConfig one = FunctionConfig.builder("f", "x.F").env(Map.of("A=B", "C")).build();
    FunctionConfig two = FunctionConfig.builder("f", "x.F").env(Map.of("A", "B=C")).build();

    assertThat(one.configHash()).isNotEqualTo(two.configHash());
  }

  @Test
  void constructor_whenNameInvalid_namesTheRule() {
    assertThatThrownBy(() -> FunctionConfig.builder("Grader_1", "x.F").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Grader_1'")
        .hasMessageContaining("lower case");
  }

  @Test
  void constructor_whenHandlerNotAClassName_refuses() {
    assertThatThrownBy(() -> FunctionConfig.builder("grader", "not a class").build())
        .hasMessageContaining("fully qualified class name");
  }
}
