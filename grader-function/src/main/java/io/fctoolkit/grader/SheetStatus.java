package io.fctoolkit.grader;

/** The overall grade of one worksheet photo. */
public enum SheetStatus {
  /** Every answer box was answered. */
  COMPLETE,
  /** Some, but not all, answer boxes were answered. */
  PARTIAL,
  /** No answer box was answered. */
  BLANK,
  /** The grader refused to guess; the result carries the reason. */
  UNREADABLE
}
