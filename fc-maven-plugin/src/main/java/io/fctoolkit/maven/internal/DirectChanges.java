package io.fctoolkit.maven.internal;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.gitops.DriftPolicy;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import java.util.Locale;

/**
 * Whether a goal may change an environment of gitops/ directly ({@code fc:deploy}, {@code
 * fc:promote}, {@code fc:rollback} without {@code -Dfc.via=git}).
 *
 * <p>The environment file decides through its {@code driftPolicy}, which already says how a change
 * made outside Git is treated: with {@code overwrite} the next {@code fc:apply} resets it to Git
 * anyway, so a direct change is scratch work and allowed; with {@code report} or {@code fail} Git
 * is the record (DESIGN.md sections 3-4: production changes go through pull requests), so a direct
 * change needs the explicit opt-in {@code -Dfc.direct=true}. Reading goals ({@code fc:status},
 * {@code fc:invoke}) are always allowed.
 */
public final class DirectChanges {

  private DirectChanges() {}

  /**
   * Refuses a direct change of {@code environment} by {@code goal} unless its drift policy is
   * {@code overwrite} or {@code direct} is set.
   */
  public static void check(EnvironmentSpec environment, String goal, boolean direct) {
    if (direct || environment.driftPolicy() == DriftPolicy.OVERWRITE) {
      return;
    }
    String policy = environment.driftPolicy().name().toLowerCase(Locale.ROOT);
    String viaGit =
        goal.equals("deploy")
            ? "record the build in Git and run fc:apply (or fc:promote -Dfc.via=git)"
            : "use -Dfc.via=git for a pull request";
    throw new InvalidRequestException(
        "direct",
        "fc:"
            + goal
            + " would change environment '"
            + environment.name()
            + "' outside Git, but "
            + environment.file()
            + " says driftPolicy: "
            + policy
            + " (Git is the record there; the next fc:apply "
            + (environment.driftPolicy() == DriftPolicy.FAIL
                ? "stops on the drift"
                : "reports the drift")
            + ")",
        viaGit + ", or pass -Dfc.direct=true to change it directly anyway");
  }

  /**
   * The warning after a direct change that {@code -Dfc.direct=true} allowed, or null where none is
   * due ({@code driftPolicy: overwrite}: the next apply resets the environment to Git anyway).
   */
  public static String driftWarning(EnvironmentSpec environment, String goal) {
    if (environment.driftPolicy() == DriftPolicy.OVERWRITE) {
      return null;
    }
    return "fc:"
        + goal
        + " changed environment '"
        + environment.name()
        + "' directly (fc.direct=true): "
        + environment.file()
        + " no longer describes it until Git records the change; until then the next fc:apply "
        + (environment.driftPolicy() == DriftPolicy.FAIL ? "stops on" : "reports")
        + " the drift";
  }
}
