package io.fctoolkit.maven;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.maven.internal.MavenEventLog;
import io.fctoolkit.maven.internal.ProjectLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a goal works with: the event sink mapped to Maven's log, the project as plain values, and
 * the timing of its steps for the summary. Closed by {@link AbstractFcMojo} after the goal.
 */
public final class FcContext implements AutoCloseable {

  /** A finished step and how long it took. */
  public record Step(String name, Duration elapsed) {}

  private final MavenEventLog log;
  private final ProjectLayout project;
  private final List<Step> steps = new ArrayList<>();
  // Redraws the running step's live line (terminal only) while the step gives no progress itself.
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "fc-step-ticker");
            thread.setDaemon(true);
            return thread;
          });
  private final Object tickLock = new Object();
  private String ticking;

  FcContext(MavenEventLog log, ProjectLayout project) {
    this.log = log;
    this.project = project;
  }

  /** Where libraries report to. */
  public Consumer<FcEvent> events() {
    return log;
  }

  /** The project and the plugin's own artifacts. */
  public ProjectLayout project() {
    return project;
  }

  /**
   * Runs a step and records its elapsed time. On an interactive terminal the step shows as a live
   * line with its running time ({@code [fc] publish 1.2 s}) until it ends or reports its own
   * progress.
   */
  public <T> T step(String name, Supplier<T> work) {
    long started = System.nanoTime();
    ScheduledFuture<?> ticks = null;
    if (log.live()) {
      tick(name, started);
      ticks =
          ticker.scheduleAtFixedRate(() -> tick(name, started), 250, 250, TimeUnit.MILLISECONDS);
    }
    try {
      return work.get();
    } finally {
      if (ticks != null) {
        ticks.cancel(false);
      }
      // Under the lock, so that no tick of this step is queued after the line is cleared.
      synchronized (tickLock) {
        ticking = null;
      }
      log.endProgress();
      steps.add(new Step(name, Duration.ofNanos(System.nanoTime() - started)));
    }
  }

  private void tick(String name, long started) {
    synchronized (tickLock) {
      if (ticking == null) {
        ticking = name;
      } else if (!ticking.equals(name)) {
        return;
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      log.accept(
          FcEvent.progress(String.format(Locale.ROOT, "%s %.1f s", name, seconds), Double.NaN));
    }
  }

  /** The steps run so far, in order. */
  public List<Step> steps() {
    return List.copyOf(steps);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    log.close();
  }
}
