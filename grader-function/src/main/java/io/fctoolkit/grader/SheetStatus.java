package io.fctoolkit.grader;

/** The overall grade of one worksheet photo. */
public enum SheetStatus {
  /** Every answer box was answered. */
  COMPLETE,
  /** Some, but not all, answer boxes were answered. */
  PARTIAL,
  /** No answer box was answered. */
  BLANK,
  /**
   * The decided boxes are graded and can be used, but one or more boxes are {@code UNCERTAIN} and
   * the sheet's status depends on them: a teacher should look at those boxes.
   */
  NEEDS_REVIEW,
  /** The grader refused to guess; the result carries the reason. */
  UNREADABLE
}
