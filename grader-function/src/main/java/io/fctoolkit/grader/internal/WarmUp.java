package io.fctoolkit.grader.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * When the grader grades its stored photo while it is constructed ({@code GRADER_WARMUP}), and that
 * photo.
 *
 * <p>The default grades it only in the host's training run ({@code FC_TRAIN=1}), where the JVM
 * records the classes and method profiles a grading needs into the class-data archive. In a serving
 * instance started from zero a request is already waiting, and a warm-up grading before it only
 * adds its own time to that request: measured in {@code docs/performance.md}.
 */
public enum WarmUp {
  /**
   * In the host's training run, and once in an instance started ahead of demand ({@code
   * FC_STANDBY=1}): the default.
   */
  TRAINING,
  /** At every start: for instances started ahead of demand, where nobody waits for them. */
  ALWAYS,
  /**
   * At every start, on a thread of its own that the start does not wait for: the first request runs
   * beside it, and later ones find more of the code compiled.
   */
  BACKGROUND,
  /** Never, not even in training. */
  NEVER;

  /** Classpath location of the stored photo: the sample worksheet photo of the tests. */
  public static final String PHOTO = "/io/fctoolkit/grader/warmup/sheet.jpg";

  /** The layout of {@link #PHOTO}. */
  public static final String PHOTO_LAYOUT = "math-12";

  /**
   * Gradings in a training run: a method's profile is recorded only once it has run often enough to
   * have one, and one grading leaves the per-box code (12 boxes a sheet) short of that.
   */
  public static final int TRAINING_ROUNDS = 10;

  /** Gradings of a background warm-up in a serving instance. */
  public static final int BACKGROUND_ROUNDS = 3;

  /**
   * Whether the warm-up of a start with {@code env} runs on a thread the start does not wait for.
   */
  public boolean inBackground(Map<String, String> env) {
    return this == BACKGROUND && !training(env);
  }

  private static boolean training(Map<String, String> env) {
    return "1".equals(env.get("FC_TRAIN"));
  }

  /** Whether the platform started this instance ahead of demand (hot standby). */
  private static boolean standby(Map<String, String> env) {
    return "1".equals(env.get("FC_STANDBY"));
  }

  /** Reads {@code GRADER_WARMUP} from {@code env}; a bad value names the variable. */
  public static WarmUp fromEnv(Map<String, String> env) {
    String value = env.get("GRADER_WARMUP");
    if (value == null || value.isBlank()) {
      return TRAINING;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "train", "training" -> TRAINING;
      case "1", "always" -> ALWAYS;
      case "background" -> BACKGROUND;
      case "0", "never" -> NEVER;
      default ->
          throw new IllegalArgumentException(
              "GRADER_WARMUP='"
                  + value
                  + "' is not one of train, 1 (always), background, 0 (never); unset it for the"
                  + " default"
                  + " (train: only in the host's training run)");
    };
  }

  /** How many gradings of the stored photo a start with {@code env} does (0: none). */
  public int rounds(Map<String, String> env) {
    return switch (this) {
      // A standby start (FC_STANDBY=1, set by the runtime) has nobody waiting: one grading there
      // makes its first request as fast as a warm one's.
      case TRAINING -> training(env) ? TRAINING_ROUNDS : standby(env) ? 1 : 0;
      case ALWAYS -> training(env) ? TRAINING_ROUNDS : 1;
      case BACKGROUND -> training(env) ? TRAINING_ROUNDS : BACKGROUND_ROUNDS;
      case NEVER -> 0;
    };
  }

  /** The stored photo's bytes. */
  public static byte[] photo() {
    try (InputStream in = WarmUp.class.getResourceAsStream(PHOTO)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + PHOTO + " in the grader's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PHOTO, e);
    }
  }
}
