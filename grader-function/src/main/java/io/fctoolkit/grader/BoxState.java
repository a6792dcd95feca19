package io.fctoolkit.grader;

/** What the grader decided for one answer box. */
public enum BoxState {
  /** The box holds a deliberate mark (writing, tick, crossed-out attempt). */
  ANSWERED,
  /** The box holds no mark (a faint smudge or paper texture does not count). */
  BLANK,
  /** The evidence is too weak either way; the grader does not guess. */
  UNCERTAIN
}
