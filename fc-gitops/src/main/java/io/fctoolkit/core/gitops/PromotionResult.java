package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

/**
 * A promotion, rollback or release record committed on its own branch.
 *
 * @param branch the branch name, e.g. {@code fc/promote/prod/grader/prod}
 * @param commit the commit id
 * @param base the commit it is based on (the tip of the base branch)
 * @param message the commit message
 * @param file the edited file, relative to the repository root
 * @param pushed whether the branch was pushed to the remote
 */
public record PromotionResult(
    String branch, String commit, String base, String message, String file, boolean pushed) {
  public PromotionResult {
    requireNonNull(branch, "branch");
    requireNonNull(commit, "commit");
    requireNonNull(base, "base");
    requireNonNull(message, "message");
    requireNonNull(file, "file");
  }

  /** The first line of the commit message. */
  public String title() {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
