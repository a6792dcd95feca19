package io.fctoolkit.core.gitops;

import io.fctoolkit.core.ConflictException;

/**
 * A promotion that collides with another one in flight: its branch already exists with a commit
 * that is not merged into the base, or the remote refused the push because someone pushed first.
 */
public class GitPromotionConflictException extends ConflictException {

  private static final long serialVersionUID = 1L;

  private final String branch;

  public GitPromotionConflictException(String branch, String message, String hint) {
    super(message, hint);
    this.branch = branch;
  }

  /** The promotion branch both promotions want. */
  public String branch() {
    return branch;
  }
}
