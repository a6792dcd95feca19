package io.fctoolkit.core.gitops;

import io.fctoolkit.core.FcException;

/** A promotion, rollback or release record that cannot be written (nothing was committed). */
public class GitPromotionException extends FcException {

  private static final long serialVersionUID = 1L;

  public GitPromotionException(String message, String hint) {
    super(message, hint);
  }

  public GitPromotionException(String message, String hint, Throwable cause) {
    super(message, hint, cause);
  }

  /** A failure that one setting (e.g. {@code git.token}) fixes, with its cause. */
  public GitPromotionException(String message, String hint, String setting, Throwable cause) {
    super(message, hint, setting, cause);
  }

  /** A promotion that one setting (e.g. {@code weight}) fixes. */
  public GitPromotionException(String message, String hint, String setting) {
    super(message, hint, setting, null);
  }
}
