package io.fctoolkit.core.gitops;

/** What apply does with live state that was changed outside Git. */
public enum DriftPolicy {
  /** Refuse to apply anything while there is drift; a human decides. */
  FAIL,
  /** Make the live state match Git: move drifted aliases, delete what Git does not declare. */
  OVERWRITE,
  /** Apply Git's changes but leave drifted objects as they are, and report them. */
  REPORT
}
