package io.fctoolkit.maven;

import io.fctoolkit.core.FcException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.maven.internal.Hints;
import io.fctoolkit.maven.internal.ImageRequests;
import io.fctoolkit.maven.internal.RolloutLines;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows an alias's progressive rollout (step, weight, each check with its samples and verdict,
 * every decision with its time), or acts on it with {@code -Dfc.rollout.action=}: {@code abort}
 * moves the alias back to its primary at once, {@code pause} holds it at its weight (a failed check
 * still rolls back), {@code resume} lets it go on, {@code approve} makes the move it awaits a
 * person's approval for (the strategy's {@code approveBefore}), {@code promote} gives the canary
 * all traffic now. Rollouts start from {@code fc:apply} when the environment file gives the alias a
 * {@code rollout:} strategy; they run in the platform, not in Maven.
 *
 * @since 0.1.0
 */
@Mojo(name = "rollout", threadSafe = true)
public class RolloutMojo extends AbstractFcMojo {

  private static final List<String> ACTIONS =
      List.of("status", "abort", "pause", "resume", "approve", "promote");

  /**
   * The alias whose rollout to show or abort.
   *
   * <pre>
   * &lt;alias&gt;prod&lt;/alias&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.alias", defaultValue = "dev")
  String alias;

  /**
   * {@code status} (the default), {@code abort}, {@code pause}, {@code resume}, {@code approve} or
   * {@code promote}.
   *
   * <pre>
   * &lt;action&gt;abort&lt;/action&gt;
   * </pre>
   *
   * @since 0.1.0
   */
  @Parameter(property = "fc.rollout.action", defaultValue = "status")
  String action;

  @Override
  String goal() {
    return "rollout";
  }

  @Override
  void run(FcContext fc) throws Exception {
    Hints.aliasName(alias);
    String act = action == null ? "status" : action.trim().toLowerCase(Locale.ROOT);
    if (!ACTIONS.contains(act)) {
      throw new FcException(
          "unknown rollout action '" + action + "'",
          "pass -Dfc.rollout.action= one of " + String.join(", ", ACTIONS));
    }
    String name = ImageRequests.functionName(function, project.getArtifactId());
    try (Platform platform = platform(fc, false)) {
      RolloutStatus status;
      switch (act) {
        case "abort" -> status = platform.abortRollout(name, alias, "aborted with fc:rollout");
        case "pause" -> status = platform.pauseRollout(name, alias, "paused with fc:rollout");
        case "resume" -> status = platform.resumeRollout(name, alias, "resumed with fc:rollout");
        case "approve" -> status = platform.approveRollout(name, alias, "approved with fc:rollout");
        case "promote" -> status = platform.promoteRollout(name, alias, "by hand with fc:rollout");
        default -> {
          Optional<RolloutStatus> found = platform.rollout(name, alias);
          if (found.isEmpty()) {
            getLog()
                .info(
                    name
                        + "/"
                        + alias
                        + " has no rollout on "
                        + platform.target()
                        + (platform.supportsRollouts() ? "" : " (this platform runs none)"));
            return;
          }
          status = found.get();
        }
      }
      RolloutLines.of(status).forEach(getLog()::info);
    }
  }
}
