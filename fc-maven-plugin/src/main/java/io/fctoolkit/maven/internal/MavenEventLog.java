package io.fctoolkit.maven.internal;

import io.fctoolkit.core.FcEvent;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.maven.plugin.logging.Log;

/**
 * Shows {@link FcEvent}s in Maven's log: LIFECYCLE as {@code info}, INFO as {@code debug}, WARN as
 * {@code warn}. PROGRESS becomes a live footer line only on an interactive ANSI console; in batch
 * mode ({@code -B}) and in CI it is not shown, so logs stay plain lines. Events arrive from many
 * threads (jib builds layers in parallel) and are written by one writer thread, in order.
 */
public final class MavenEventLog implements Consumer<FcEvent>, AutoCloseable {

  private static final String CLEAR_LINE = "\r\u001b[K";
  private static final long FOOTER_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long MEASURED_WINS_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Log log;
  private final PrintStream console;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "fc-log");
            thread.setDaemon(true);
            return thread;
          });
  private String footer;
  private long footerDrawn;
  private long lastMeasured = System.nanoTime() - MEASURED_WINS_NANOS;

  /**
   * @param log Maven's log
   * @param console where the live footer goes, or {@code null} for plain lines only
   */
  public MavenEventLog(Log log, PrintStream console) {
    this.log = log;
    this.console = console;
  }

  /**
   * Whether to draw a live footer: Maven runs interactively (not {@code -B}), there is a console,
   * the terminal understands ANSI, and this is not a CI job.
   */
  public static boolean liveFooter(
      boolean mavenInteractive, boolean hasConsole, Map<String, String> environment) {
    String term = environment.get("TERM");
    return mavenInteractive
        && hasConsole
        && term != null
        && !term.equals("dumb")
        && !environment.containsKey("CI")
        && !environment.containsKey("JENKINS_URL")
        && !environment.containsKey("GITHUB_ACTIONS");
  }

  /** Whether live lines are drawn (an interactive console); batch mode shows plain lines only. */
  public boolean live() {
    return console != null;
  }

  @Override
  public void accept(FcEvent event) {
    if (!writer.isShutdown()) {
      writer.execute(() -> write(event));
    }
  }

  private void write(FcEvent event) {
    switch (event.level()) {
      case LIFECYCLE -> around(() -> log.info(event.message()));
      case WARN -> around(() -> log.warn(event.message()));
      case INFO -> {
        if (log.isDebugEnabled()) {
          around(() -> log.debug(event.message()));
        }
      }
      case PROGRESS -> progress(event);
    }
  }

  private void progress(FcEvent event) {
    if (console == null) {
      return;
    }
    long now = System.nanoTime();
    boolean measured = !Double.isNaN(event.progress());
    if (measured) {
      lastMeasured = now;
    } else if (now - lastMeasured < MEASURED_WINS_NANOS) {
      return; // a step's running-time line never hides the progress the step itself reports
    }
    footer = render(event.message(), event.progress());
    if (now - footerDrawn >= FOOTER_INTERVAL_NANOS || event.progress() >= 1) {
      console.print(CLEAR_LINE + footer);
      console.flush();
      footerDrawn = now;
    }
  }

  /**
   * {@code [fc] Building image [##########..........] 50%}; without a measured fraction (NaN, a
   * step's running time) just {@code [fc] publish 1.2 s}.
   */
  static String render(String message, double progress) {
    if (Double.isNaN(progress)) {
      return "[fc] " + message;
    }
    int width = 20;
    double fraction = Math.max(0, Math.min(1, progress));
    int done = (int) Math.round(fraction * width);
    return String.format(
        Locale.ROOT,
        "[fc] %s [%s%s] %3d%%",
        message,
        "#".repeat(done),
        ".".repeat(width - done),
        Math.round(fraction * 100));
  }

  // A log line must not be appended to the footer: clear it, log, then draw it again below.
  private void around(Runnable logLine) {
    if (console != null && footer != null) {
      console.print(CLEAR_LINE);
      console.flush();
    }
    logLine.run();
    if (console != null && footer != null) {
      console.print(footer);
      console.flush();
    }
  }

  /** Stops showing the footer (a step ended) without closing. */
  public void endProgress() {
    if (!writer.isShutdown()) {
      writer.execute(this::clearFooter);
    }
  }

  private void clearFooter() {
    if (console != null && footer != null) {
      console.print(CLEAR_LINE);
      console.flush();
    }
    footer = null;
  }

  /** Writes what is queued (waiting at most 10 s), then removes the footer. */
  @Override
  public void close() {
    if (writer.isShutdown()) {
      return;
    }
    writer.execute(this::clearFooter);
    writer.shutdown();
    try {
      if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
