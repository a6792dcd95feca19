package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Scaling;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScalingJsonTest {

  @Test
  void scalingWrittenBeforeStandbyExisted_readsTheDefaultStandby_andKeepsItsHash()
      throws Exception {
    // Given a function config as a runtime before standby wrote it (no scaling.standby)
    FunctionConfig config = FunctionConfig.builder("grader", "io.example.Grader").build();
    ObjectNode json = RuntimeJson.MAPPER.valueToTree(config);
    ((ObjectNode) json.get("scaling")).remove("standby");
    String old = RuntimeJson.MAPPER.writeValueAsString(json);
    assertThat(old).contains("\"idleTimeout\"").doesNotContain("standby");

    // When it is read back
    FunctionConfig read = RuntimeJson.MAPPER.readValue(old, FunctionConfig.class);

    // Then the headroom is the default, not 0, and the content hash is the one it had
    assertThat(read.scaling().standby()).isEqualTo(Scaling.DEFAULT_STANDBY);
    assertThat(read.configHash())
        .isEqualTo("sha256:319689d050c98ac56ce6cce1fed7ba1be661fc85025d248452aa60c540ee4720");
  }

  @Test
  void standby_roundTrips_andABadOneIsRefused() throws Exception {
    Scaling s = new Scaling(0, 4, Duration.ofMinutes(1), 2);

    assertThat(
            RuntimeJson.MAPPER.readValue(RuntimeJson.MAPPER.writeValueAsString(s), Scaling.class))
        .isEqualTo(s);
    assertThatThrownBy(
            () ->
                RuntimeJson.MAPPER.readValue(
                    "{\"minInstances\":0,\"maxInstances\":4,\"idleTimeout\":\"PT1M\",\"standby\":-1}",
                    Scaling.class))
        .hasStackTraceContaining("standby must be 0 (off)");
  }
}
