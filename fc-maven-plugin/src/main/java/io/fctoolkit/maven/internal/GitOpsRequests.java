package io.fctoolkit.maven.internal;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.GitPromoter;
import io.fctoolkit.core.gitops.Plan;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;

/** Maps the gitops goals' parameters to fc-core requests: plain functions, tested without Maven. */
public final class GitOpsRequests {

  /** Distinct start of the failure message of {@code fc:plan -Dfc.plan.detailedExitCode=true}. */
  public static final String CHANGES_PENDING = "FC_PLAN_CHANGES_PENDING";

  private GitOpsRequests() {}

  /**
   * The gitops folder: {@code configured} (relative to {@code base}) when set, else the nearest
   * {@code gitops/} found from {@code base} by {@link GitOpsRepository#locate}.
   */
  public static Path gitopsDir(String configured, Path base) {
    if (configured != null && !configured.isBlank()) {
      return base.resolve(configured.trim()).toAbsolutePath().normalize();
    }
    return GitOpsRepository.locate(base);
  }

  /** The environment named by {@code fc.env}; it must be set to an environment of gitops/. */
  public static String environment(String env) {
    if (env == null || env.isBlank()) {
      throw Hints.missingRequest("env", "environment (a folder under gitops/environments/)");
    }
    return env.trim();
  }

  /** {@code target/fc/plan-<env>.<extension>}. */
  public static Path planFile(Path buildDir, String env, String extension) {
    return buildDir.resolve("fc").resolve("plan-" + env + "." + extension);
  }

  /**
   * The detailed exit code of a plan, as Terraform's: 0 no changes, 2 changes (errors make the goal
   * fail before a plan exists, which a pipeline sees as 1).
   */
  public static int detailedExitCode(Plan plan) {
    return plan.hasChanges() ? 2 : 0;
  }

  /**
   * The failure message of {@code fc.plan.detailedExitCode=true} when the plan has changes, or null
   * when the build must pass.
   */
  public static String changesMessage(Plan plan, boolean detailedExitCode, Path json) {
    if (!detailedExitCode || !plan.hasChanges()) {
      return null;
    }
    return CHANGES_PENDING
        + ": "
        + plan.changeCount()
        + " change(s) pending in "
        + plan.environment()
        + " (fc.plan.detailedExitCode=true; the plan is in "
        + json
        + ")";
  }

  /** Whether {@code fc.via} asks for promotion by Git: {@code git}, or {@code platform} (unset). */
  public static boolean viaGit(String via) {
    if (via == null || via.isBlank() || via.trim().equalsIgnoreCase("platform")) {
      return false;
    }
    if (via.trim().equalsIgnoreCase("git")) {
      return true;
    }
    throw Hints.invalidRequest("via", via, "expected git or platform");
  }

  /**
   * The promoter's options from {@code fc.git.remote}, {@code fc.git.baseBranch}, {@code
   * fc.git.push}.
   */
  public static GitPromoter.Options gitOptions(String remote, String baseBranch, String push) {
    GitPromoter.Options options = GitPromoter.Options.defaults();
    if (remote != null && !remote.isBlank()) {
      options = options.withRemote(remote.trim());
    }
    if (baseBranch != null && !baseBranch.isBlank()) {
      options = options.withBaseBranch(baseBranch.trim());
    }
    if (push != null && !push.isBlank()) {
      String value = push.trim().toLowerCase(Locale.ROOT);
      if (!value.equals("true") && !value.equals("false")) {
        throw Hints.invalidRequest("git.push", push, "expected true or false");
      }
      options = options.withPush(Boolean.parseBoolean(value));
    }
    return options;
  }

  /** {@code fc.weight} as a percentage, or null (all traffic). */
  public static BigDecimal weight(String weight) {
    if (weight == null || weight.isBlank()) {
      return null;
    }
    try {
      return new BigDecimal(weight.trim());
    } catch (NumberFormatException e) {
      throw Hints.invalidRequest("weight", weight, "expected a percentage such as 10 or 2.5");
    }
  }

  /**
   * {@code fc.affinity} for a Git promotion: null (keep the file's) when unset or with no weight.
   */
  public static Affinity affinity(String affinity, BigDecimal weight) {
    if (weight == null || affinity == null || affinity.isBlank()) {
      return null;
    }
    try {
      return Affinity.valueOf(affinity.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Hints.invalidRequest("affinity", affinity, "expected none or key");
    }
  }

  /** A promotion by Git names a release (a Git release id), never a platform version number. */
  public static String gitRelease(String release, Integer version) {
    if (version != null) {
      throw Hints.invalidRequest(
          "version",
          String.valueOf(version),
          "with fc.via=git name the release (-Dfc.release=<id from the environment files>);"
              + " version numbers are the platform's, not Git's");
    }
    if (release == null || release.isBlank()) {
      throw Hints.missingRequest("release", "release to promote (an id from gitops/environments)");
    }
    return release.trim();
  }

  /**
   * A local binding's state folder: as written when absolute ({@code ~/} is the user's home), else
   * relative to the repository root (the gitops folder's parent), so every clone resolves it the
   * same way.
   */
  public static Path stateDir(String written, Path gitopsDir) {
    if (written.equals("~") || written.startsWith("~/")) {
      return Path.of(System.getProperty("user.home"), written.substring(1).replaceFirst("^/", ""))
          .normalize();
    }
    Path path = Path.of(written);
    if (path.isAbsolute()) {
      return path.normalize();
    }
    Path root = gitopsDir.toAbsolutePath().getParent();
    return (root == null ? gitopsDir : root).resolve(path).normalize();
  }
}
