package io.fctoolkit.core.image.internal;

import com.google.cloud.tools.jib.api.JibEvent;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import io.fctoolkit.core.FcEvent;
import java.util.function.Consumer;

/**
 * Turns jib's log and progress events into {@link FcEvent}s, so that jib's output reaches the user
 * through the same adapter as ours and no jib type leaves this package.
 */
public final class JibEvents implements Consumer<JibEvent> {

  private final Consumer<FcEvent> events;
  private final String step;
  private final ProgressEventHandler progress;

  /**
   * @param events where to send events
   * @param step the text shown with progress, e.g. {@code Building image}
   */
  public JibEvents(Consumer<FcEvent> events, String step) {
    this.events = events;
    this.step = step;
    this.progress =
        new ProgressEventHandler(
            update ->
                events.accept(
                    FcEvent.progress(step, Math.max(0, Math.min(1, update.getProgress())))));
  }

  @Override
  public void accept(JibEvent event) {
    if (event instanceof LogEvent log) {
      accept(log);
    } else if (event instanceof ProgressEvent progressEvent) {
      progress.accept(progressEvent);
    }
  }

  private void accept(LogEvent log) {
    String message = "jib: " + log.getMessage();
    switch (log.getLevel()) {
      case ERROR, WARN -> events.accept(FcEvent.warn(message));
      // Jib's lifecycle lines ("Containerizing application...") duplicate our own steps.
      case LIFECYCLE, PROGRESS, INFO, DEBUG -> events.accept(FcEvent.info(message));
    }
  }

  @Override
  public String toString() {
    return "JibEvents[" + step + "]";
  }
}
