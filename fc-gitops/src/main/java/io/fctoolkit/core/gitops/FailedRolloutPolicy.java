package io.fctoolkit.core.gitops;

import java.util.Locale;

/**
 * What {@code fc:plan} and {@code fc:apply} do when the release Git names failed its rollout (the
 * platform rolled it back): environment field {@code onFailedRollout}.
 */
public enum FailedRolloutPolicy {
  /**
   * Report it as drift of kind {@code rollout} and never apply the release again; a person writes
   * the revert ({@code fc:rollback -Dfc.via=git}). What Flagger and Argo Rollouts do: the platform
   * rolls back, Git is not written.
   */
  REPORT,
  /**
   * Also write the revert (the alias back to the release it serves again, with the failure in the
   * commit message) on branch {@code fc/revert/<env>/<function>/<alias>}, once per failure.
   */
  REVERT_BRANCH;

  /** The name in the environment file: {@code report}, {@code revert-branch}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
