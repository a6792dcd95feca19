package io.fctoolkit.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.PartitionStatus;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.runtime.internal.RuntimeJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trigger status, with its parked counts, crosses the control API as JSON and back. */
class TriggerStatusJsonTest {

  @Test
  void parkedCount_survivesTheControlApisJson() throws Exception {
    FunctionMetrics metrics =
        new FunctionMetrics(
            "fn",
            List.of(),
            List.of(
                new TriggerStatus(
                    "t",
                    "RUNNING",
                    "parked partition 1 offset 7 (...): too large",
                    List.of(new PartitionStatus(1, 8, 8, 0, 0, 5, 0, 1, 1L)))));

    String json = RuntimeJson.MAPPER.writeValueAsString(metrics);
    FunctionMetrics back = RuntimeJson.MAPPER.readValue(json, FunctionMetrics.class);

    assertThat(json).contains("\"parked\":1");
    assertThat(back).isEqualTo(metrics);
  }

  @Test
  void statusOfARuntimeBeforeParkedRecords_readsAsNoneParked() throws Exception {
    String json =
        "{\"partition\":0,\"committedOffset\":3,\"endOffset\":3,\"lag\":0,\"inFlight\":0,"
            + "\"delivered\":3,\"retried\":0,\"deadLettered\":0}";

    PartitionStatus status = RuntimeJson.MAPPER.readValue(json, PartitionStatus.class);

    assertThat(status.parked()).isZero();
    assertThat(status.delivered()).isEqualTo(3);
  }
}
