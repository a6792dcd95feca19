package io.fctoolkit.maven;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.maven.internal.MavenEventLog;
import io.fctoolkit.maven.internal.ProjectLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a goal works with: the event sink mapped to Maven's log, the project as plain values, and
 * the timing of its steps for the summary. Closed by {@link AbstractFcMojo} after the goal.
 */
public final class FcContext implements AutoCloseable {

  /**
   * A finished step: how long it ran, and how much of that the goal waited for it. A step run in
   * the background ({@link #background}) ran while the steps named in {@code during} ran, and the
   * goal waited only for the rest of it ({@code waited} is at most {@code elapsed}).
   */
  public record Step(String name, Duration elapsed, Duration waited, List<String> during) {
    public Step {
      requireNonNull(name, "name");
      requireNonNull(elapsed, "elapsed");
      requireNonNull(waited, "waited");
      during = List.copyOf(during);
    }

    /** A step the goal ran itself, waiting for all of it. */
    public Step(String name, Duration elapsed) {
      this(name, elapsed, elapsed, List.of());
    }
  }

  /** How long closing waits for a background step the goal never joined (its own bounds apply). */
  private static final Duration ABANDON_WAIT = Duration.ofMinutes(2);

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
  private final List<Background<?>> backgrounds = new ArrayList<>();

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
    try {
      return live(name, started, work);
    } finally {
      steps.add(new Step(name, Duration.ofNanos(System.nanoTime() - started)));
    }
  }

  /**
   * Starts a step on its own thread while the goal goes on with other steps (connecting while the
   * image is built); {@link Background#join} waits for it and records it. A step never joined (the
   * goal failed first) is waited for when the context closes, and what it returned is closed when
   * it is {@link AutoCloseable}, so no half-finished work outlives the goal.
   */
  public <T> Background<T> background(String name, Supplier<T> work) {
    Background<T> task = new Background<>(name, steps.size(), work);
    backgrounds.add(task);
    task.thread.start();
    return task;
  }

  /** Shows {@code name}'s running time since {@code started} on a terminal while work runs. */
  private <T> T live(String name, long started, Supplier<T> work) {
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
    close(ABANDON_WAIT);
  }

  /** Closes, waiting at most {@code abandonWait} for each background step never joined. */
  void close(Duration abandonWait) {
    for (Background<?> task : backgrounds) {
      task.abandon(abandonWait);
    }
    ticker.shutdownNow();
    log.close();
  }

  /**
   * A step running on its own thread (named {@code fc-<step>}); it reports through {@link #events}
   * like any step, but draws no live line: the goal's own step does.
   */
  public final class Background<T> {

    private final String name;
    private final int stepsBefore;
    private final long started = System.nanoTime();
    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private final Thread thread;
    private volatile long ended;
    private boolean joined;

    private Background(String name, int stepsBefore, Supplier<T> work) {
      this.name = name;
      this.stepsBefore = stepsBefore;
      this.thread =
          new Thread(
              () -> {
                try {
                  T value = work.get();
                  ended = System.nanoTime();
                  outcome.complete(value);
                } catch (Throwable e) {
                  ended = System.nanoTime();
                  outcome.completeExceptionally(e);
                }
              },
              "fc-" + name);
      thread.setDaemon(true);
    }

    /**
     * Waits for the step (showing its running time on a terminal) and records it; returns what it
     * returned, or throws what it threw, unchanged.
     */
    public T join() {
      if (joined) {
        throw new IllegalStateException("step " + name + " was already joined");
      }
      joined = true;
      long waitStarted = System.nanoTime();
      List<String> during =
          steps.subList(stepsBefore, steps.size()).stream().map(Step::name).toList();
      try {
        return live(name, started, this::outcome);
      } finally {
        long now = System.nanoTime();
        long end = outcome.isDone() ? ended : now;
        steps.add(
            new Step(
                name,
                Duration.ofNanos(end - started),
                Duration.ofNanos(now - waitStarted),
                during));
      }
    }

    private T outcome() {
      try {
        return outcome.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        joined = false; // so that closing still closes what the step returns
        throw new FcException("interrupted while waiting for step " + name, null, e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new FcException("step " + name + " failed: " + cause, null, cause);
      }
    }

    /**
     * The goal ends without joining (it failed first): waits for the step to end and closes what it
     * returned (also if it ends only later); what it threw is only logged, since the goal's own
     * failure is the one to show.
     */
    private void abandon(Duration timeout) {
      if (joined) {
        return;
      }
      joined = true;
      outcome.whenComplete(
          (value, failure) -> {
            if (value instanceof AutoCloseable closeable) {
              try {
                closeable.close();
              } catch (Exception e) {
                events().accept(FcEvent.info("closing what step " + name + " returned: " + e));
              }
            }
          });
      try {
        outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        events().accept(FcEvent.info("step " + name + " failed too: " + e.getCause()));
      } catch (TimeoutException e) {
        String seconds = Long.toString(timeout.toSeconds());
        events()
            .accept(
                FcEvent.warn(
                    "step " + name + " still runs " + seconds + " s after the goal failed"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
