package io.fctoolkit.runtime.rollout;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Decision;
import io.fctoolkit.core.RolloutStatus.State;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the world about each rollout decision: one key=value line in the runtime log, an {@link
 * FcEvent} (a warning when the rollout ended other than promoted), and the end counters of {@link
 * RolloutMetrics}.
 */
final class RolloutReporter {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutController.class);

  private final Consumer<FcEvent> events;
  private final RolloutMetrics metrics = new RolloutMetrics();

  RolloutReporter(Consumer<FcEvent> events) {
    this.events = events;
  }

  RolloutMetrics metrics() {
    return metrics;
  }

  /** Reports the latest decision of {@code status}. */
  void decided(RolloutStatus status) {
    if (status.state().finished()) {
      metrics.ended(status);
    }
    Decision d = status.history().get(status.history().size() - 1);
    LOG.info(
        "rollout function={} alias={} action={} state={} step={} weight={} samples={} canary=v{}"
            + " primary=v{} reason=\"{}\"",
        status.function(),
        status.alias(),
        d.action(),
        status.state(),
        d.step() + 1,
        d.weight().toPlainString(),
        d.samples(),
        status.canaryVersion(),
        status.primaryVersion(),
        d.reason());
    FcEvent event =
        FcEvent.lifecycle(
            "rollout "
                + status.function()
                + "/"
                + status.alias()
                + " v"
                + status.canaryVersion()
                + ": "
                + d.action()
                + " -> "
                + d.weight().toPlainString()
                + "% ("
                + d.reason()
                + ")");
    events.accept(
        !status.state().finished() || status.state() == State.PROMOTED
            ? event
            : FcEvent.warn(event.message()));
  }
}
