package io.fctoolkit.runtime.kafka;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Waits for fault tests by progress, not by the clock: the wait ends when the goal is reached and
 * gives up only after {@code fc.fault.stallSeconds} (default 60) without any progress, or after an
 * overall cap ({@code fc.fault.capSeconds}, default 900), so a slow, loaded machine passes while a
 * real stall still fails, with diagnostics printed.
 */
public final class ProgressWait {
  private static final Duration STALL =
      Duration.ofSeconds(Long.getLong("fc.fault.stallSeconds", 60));
  private static final Duration CAP = Duration.ofSeconds(Long.getLong("fc.fault.capSeconds", 900));
  private static final long REPORT_NANOS = Duration.ofSeconds(10).toNanos();

  private ProgressWait() {}

  /**
   * Calls {@code step} (which must block briefly, e.g. a poll) until {@code done} holds; true then.
   * False when {@code progress} has not grown for the stall period or the cap is reached; then
   * {@code diagnostics} is printed to stderr.
   */
  public static boolean until(
      String what,
      BooleanSupplier done,
      LongSupplier progress,
      Runnable step,
      Supplier<String> diagnostics) {
    long start = System.nanoTime();
    long last = progress.getAsLong();
    long lastProgress = start;
    long lastReport = start;
    while (!done.getAsBoolean()) {
      long now = System.nanoTime();
      if (now - lastProgress > STALL.toNanos() || now - start > CAP.toNanos()) {
        System.err.printf(
            "%s: %s after %d s at %d; diagnostics:%n%s%n",
            what,
            now - start > CAP.toNanos() ? "overall cap reached" : "NO PROGRESS for " + STALL,
            (now - start) / 1_000_000_000L,
            last,
            diagnostics.get());
        return false;
      }
      step.run();
      long p = progress.getAsLong();
      if (p != last) {
        last = p;
        lastProgress = System.nanoTime();
      }
      if (System.nanoTime() - lastReport > REPORT_NANOS) {
        lastReport = System.nanoTime();
        System.err.printf("%s: %d after %d s%n", what, last, (lastReport - start) / 1_000_000_000L);
      }
    }
    System.err.printf(
        "%s: done at %d after %d ms%n", what, last, (System.nanoTime() - start) / 1_000_000L);
    return true;
  }

  /** A blocking step that only sleeps, for conditions checked without polling. */
  public static Runnable sleep(long millis) {
    return () -> {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    };
  }
}
