package io.fctoolkit.maven;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.maven.internal.MavenEventLog;
import io.fctoolkit.maven.internal.ProjectLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  /** Runs a step and records its elapsed time. */
  public <T> T step(String name, Supplier<T> work) {
    long started = System.nanoTime();
    try {
      return work.get();
    } finally {
      log.endProgress();
      steps.add(new Step(name, Duration.ofNanos(System.nanoTime() - started)));
    }
  }

  /** The steps run so far, in order. */
  public List<Step> steps() {
    return List.copyOf(steps);
  }

  @Override
  public void close() {
    log.close();
  }
}
