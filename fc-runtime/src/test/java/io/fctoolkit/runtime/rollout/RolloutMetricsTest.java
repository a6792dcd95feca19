package io.fctoolkit.runtime.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.RolloutRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code fc_rollout_*} families as a rollout goes through its states. */
class RolloutMetricsTest {

  private final RolloutControllerTest fixture = new RolloutControllerTest();

  private String render(RolloutController c) {
    StringBuilder out = new StringBuilder();
    c.renderMetrics(out);
    return out.toString();
  }

  @Test
  void progressingRollout_showsStateStepWeightSamplesAndGates() throws Exception {
    RolloutController c = fixture.controller();
    c.start(RolloutControllerTest.request(null));
    fixture.target.serve(2, 40, 0);
    c.tick();
    String text = render(c);
    assertThat(text)
        .contains("# TYPE fc_rollout_state gauge")
        .contains("fc_rollout_state{function=\"fn\",alias=\"live\",state=\"PROGRESSING\"} 1")
        .contains("fc_rollout_state{function=\"fn\",alias=\"live\",state=\"PROMOTED\"} 0")
        .contains("fc_rollout_step{function=\"fn\",alias=\"live\"} 1")
        .contains("fc_rollout_canary_weight_percent{function=\"fn\",alias=\"live\"} 10")
        .contains("fc_rollout_step_samples{function=\"fn\",alias=\"live\"} 40")
        .contains("fc_rollout_gate_threshold{function=\"fn\",alias=\"live\",gate=\"errorRate\"")
        .contains("# TYPE fc_rollout_rollbacks_total counter")
        .doesNotContain("fc_rollout_rollbacks_total{");
    // every sample line is name{labels} number
    assertThat(text.lines().filter(l -> !l.startsWith("#")))
        .isNotEmpty()
        .allMatch(l -> l.matches("fc_rollout_[a-z_]+\\{[^}]*} (-?[0-9.E]+|[+-]Inf|NaN)"));
  }

  @Test
  void rollbackAndPromotion_areCounted() throws Exception {
    RolloutController c = fixture.controller();
    c.start(RolloutControllerTest.request(null));
    fixture.target.serve(2, 20, 6);
    c.tick();
    // a second rollout of the same alias, promoted by hand
    c.start(
        new RolloutRequest(
            "fn",
            "live",
            2,
            "r2",
            RolloutControllerTest.strategy(),
            fixture.target.alias.revision()));
    c.promote("fn", "live", "by hand");
    fixture.clock.advance(Duration.ofSeconds(1));
    String text = render(c);
    assertThat(fixture.target.alias.target()).isEqualTo(AliasTarget.of(2));
    assertThat(text)
        .contains("fc_rollout_rollbacks_total{function=\"fn\",alias=\"live\"} 1")
        .contains("fc_rollout_promotions_total{function=\"fn\",alias=\"live\"} 1")
        .contains("fc_rollout_state{function=\"fn\",alias=\"live\",state=\"PROMOTED\"} 1")
        .contains("fc_rollout_canary_weight_percent{function=\"fn\",alias=\"live\"} 100");
  }
}
