package io.fctoolkit.core.gitops;

/**
 * A promotion, rollback or release record that would change nothing: the environment file already
 * says so on the base branch. Nothing was committed; a deploy that records treats it as done.
 */
public class GitNothingToChangeException extends GitPromotionException {

  private static final long serialVersionUID = 1L;

  public GitNothingToChangeException(String message, String hint) {
    super(message, hint);
  }
}
