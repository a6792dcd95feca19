package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.gitops.internal.EnvironmentDocument;
import io.fctoolkit.core.gitops.internal.GitBranchWriter;
import io.fctoolkit.core.gitops.internal.GitBranchWriter.Draft;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Writes promotions, rollbacks and new releases into environment files as Git commits, each on its
 * own branch, ready for a pull request. The edit keeps every untouched line of the file as it was.
 * This class holds the promotion rules (which alias moves where, which release is copied from
 * another environment, what a rollback returns to); {@link GitBranchWriter} does the Git side.
 *
 * <p>Each alias has one promotion branch ({@code fc/promote/<env>/<function>/<alias>}): a second
 * promotion while the first is unmerged fails with {@link GitPromotionConflictException} instead of
 * silently replacing it; making the very same change again returns the pending commit.
 */
public final class GitPromoter {

  /** The commit message line that names the failure a revert is for (its idempotency key). */
  static final String FAILED_ROLLOUT = "Failed-Rollout: ";

  private final GitBranchWriter writer;

  /**
   * How the promoter talks to Git.
   *
   * @param remote the remote to fetch from and push to ({@code origin})
   * @param baseBranch the branch promotions start from, or null for the checked-out branch
   * @param push whether to push the new branch when the remote exists
   * @param authorName the commit author's name, or null for the repository's user.name
   * @param authorEmail the commit author's email, or null for the repository's user.email
   * @param auth how fetches and pushes authenticate: an HTTPS token, the SSH folder ({@link
   *     GitAuth}); never printed
   */
  public record Options(
      String remote,
      String baseBranch,
      boolean push,
      String authorName,
      String authorEmail,
      GitAuth auth) {
    public Options {
      requireNonNull(remote, "remote");
      auth = auth == null ? GitAuth.NONE : auth;
    }

    /** origin, the checked-out branch, push on, author from Git's configuration. */
    public static Options defaults() {
      return new Options("origin", null, true, null, null, GitAuth.NONE);
    }

    public Options withAuthor(String name, String email) {
      return new Options(remote, baseBranch, push, name, email, auth);
    }

    public Options withBaseBranch(String branch) {
      return new Options(remote, branch, push, authorName, authorEmail, auth);
    }

    public Options withRemote(String name) {
      return new Options(name, baseBranch, push, authorName, authorEmail, auth);
    }

    public Options withPush(boolean enabled) {
      return new Options(remote, baseBranch, enabled, authorName, authorEmail, auth);
    }

    public Options withAuth(GitAuth credentials) {
      return new Options(remote, baseBranch, push, authorName, authorEmail, credentials);
    }

    @Override
    public String toString() {
      return "Options[remote="
          + remote
          + ", baseBranch="
          + baseBranch
          + ", push="
          + push
          + ", author="
          + authorName
          + " <"
          + authorEmail
          + ">, auth="
          + auth
          + "]";
    }
  }

  /**
   * A promoter for the gitops directory {@code gitopsDir}, which must be inside a Git working tree.
   */
  public GitPromoter(Path gitopsDir, Options options, Consumer<FcEvent> events) {
    this(gitopsDir, options, events, DerivedFiles.NONE);
  }

  /**
   * A promoter whose commits also carry what derives from the edited environment file, e.g. the
   * re-rendered manifests of a pull-mode environment ({@link DerivedFiles}).
   */
  public GitPromoter(
      Path gitopsDir, Options options, Consumer<FcEvent> events, DerivedFiles derivedFiles) {
    requireNonNull(options, "options");
    this.writer =
        new GitBranchWriter(
            gitopsDir,
            new GitBranchWriter.Settings(
                options.remote(),
                options.baseBranch(),
                options.push(),
                options.authorName(),
                options.authorEmail(),
                options.auth()),
            events,
            derivedFiles);
  }

  /**
   * Points {@code alias} at {@code release}: with {@code weight} null or 100 all traffic moves to
   * it; with a weight below 100 it becomes the canary next to the current primary release. A
   * release not yet declared in the environment is copied from the environment that declares it
   * (build once, promote the same digest).
   *
   * @param function the function, or null when the environment has exactly one
   * @param affinity the canary's affinity, or null to keep the current one
   */
  public PromotionResult promote(
      String environment,
      String function,
      String alias,
      String release,
      BigDecimal weight,
      Affinity affinity) {
    requireNonNull(environment, "environment");
    requireNonNull(alias, "alias");
    requireNonNull(release, "release");
    if (weight != null && (weight.signum() < 0 || weight.compareTo(BigDecimal.valueOf(100)) > 0)) {
      throw new GitPromotionException(
          "weight " + weight.toPlainString() + " is out of range",
          "use a percentage from 0 to 100",
          "weight");
    }
    return change(
        environment,
        (base, document, fn) -> {
          AliasSpec current = currentAlias(document, environment, fn, alias);
          boolean declared = isDeclared(base, environment, fn, release);
          String text = withDeclaredRelease(base, environment, fn, document.text(), release);
          String title = title("promote", environment, fn, alias, release);
          AliasSpec next;
          if (weight == null || weight.compareTo(BigDecimal.valueOf(100)) == 0) {
            next = AliasSpec.of(alias, release);
          } else {
            if (current.release().equals(release)) {
              throw new GitPromotionException(
                  release
                      + " is already the primary release of "
                      + fn
                      + "/"
                      + alias
                      + " in "
                      + environment,
                  "promote a different release as canary, or drop the weight to make it the only"
                      + " one");
            }
            Affinity chosen =
                affinity != null
                    ? affinity
                    : current.hasCanary() ? current.affinity() : Affinity.NONE;
            next = new AliasSpec(alias, current.release(), release, weight, chosen);
            title +=
                " (canary "
                    + next.weight().toPlainString()
                    + "%"
                    + (chosen == Affinity.KEY ? ", key affinity" : "")
                    + ")";
          }
          if (next.equals(current)) {
            throw new GitNothingToChangeException(
                fn
                    + "/"
                    + alias
                    + " in "
                    + environment
                    + " already points at "
                    + current.describe(),
                "nothing to promote");
          }
          return aliasEdit(
              environment,
              fn,
              text,
              title,
              current,
              next,
              declared ? "" : " (release copied from another environment)");
        },
        function);
  }

  /**
   * Points {@code alias} back: a canary is removed (all traffic to the primary release); otherwise
   * the alias returns to the primary release it had before, found in the file's Git history.
   */
  public PromotionResult rollback(String environment, String function, String alias) {
    requireNonNull(environment, "environment");
    requireNonNull(alias, "alias");
    return change(
        environment,
        (base, document, fn) -> {
          AliasSpec current = currentAlias(document, environment, fn, alias);
          AliasSpec next;
          String title;
          if (current.hasCanary()) {
            next = AliasSpec.of(alias, current.release());
            title =
                title("rollback", environment, fn, alias, current.release())
                    + " (drop canary "
                    + current.canaryRelease()
                    + ")";
          } else {
            String previous = previousRelease(environment, fn, alias, current.release());
            next = AliasSpec.of(alias, previous);
            title =
                title("rollback", environment, fn, alias, previous)
                    + " (was "
                    + current.release()
                    + ")";
          }
          String text = withDeclaredRelease(base, environment, fn, document.text(), next.release());
          return aliasEdit(environment, fn, text, title, current, next, "");
        },
        function);
  }

  /**
   * Writes the revert of a failed rollout: {@code alias} back to {@code release} (the one the
   * platform serves again), keeping its rollout block, on branch {@code
   * fc/revert/<env>/<function>/<alias>}, with the failure in the commit message. Once per failure:
   * while the branch holds a pending commit for the same {@code failure}, that commit is returned
   * (also when the base branch moved since); a different pending change on the branch is a {@link
   * GitPromotionConflictException}.
   *
   * @param failedRelease the release whose rollout failed, which Git must still name
   * @param failure one line naming the failure, e.g. {@code grader/prod 2026-12-07.1 started
   *     2026-12-07T10:00:00Z}; it is the commit's {@code Failed-Rollout:} line
   * @param reason why the rollout failed (the platform's reason), for the commit message
   * @throws GitNothingToChangeException when Git no longer names {@code failedRelease} there
   */
  public PromotionResult revertFailedRollout(
      String environment,
      String function,
      String alias,
      String failedRelease,
      String release,
      String failure,
      String reason) {
    requireNonNull(environment, "environment");
    requireNonNull(alias, "alias");
    requireNonNull(failedRelease, "failedRelease");
    requireNonNull(release, "release");
    requireNonNull(failure, "failure");
    return change(
        environment,
        (base, document, fn) -> {
          AliasSpec current = currentAlias(document, environment, fn, alias);
          if (!current.release().equals(failedRelease) || current.hasCanary()) {
            throw new GitNothingToChangeException(
                fn
                    + "/"
                    + alias
                    + " in "
                    + environment
                    + " points at "
                    + current.describe()
                    + " on the base branch, no longer at the failed release "
                    + failedRelease,
                "nothing to revert");
          }
          AliasSpec next =
              new AliasSpec(
                  alias, release, null, BigDecimal.ZERO, current.affinity(), current.rollout());
          String text = withDeclaredRelease(base, environment, fn, document.text(), release);
          String title =
              title("revert", environment, fn, alias, release)
                  + " (rollout of "
                  + failedRelease
                  + " failed)";
          String body =
              fn
                  + "/"
                  + alias
                  + " in "
                  + environment
                  + ": "
                  + failedRelease
                  + " -> "
                  + release
                  + "\n\nThe rollout of "
                  + failedRelease
                  + " failed and the platform rolled the alias back to "
                  + release
                  + ": "
                  + (reason == null || reason.isBlank() ? "no reason given" : reason.strip())
                  + "\nMerging this makes Git name what runs again; promote a fixed release"
                  + " afterwards.\n\n"
                  + FAILED_ROLLOUT
                  + failure;
          return new Draft(
              EnvironmentDocument.parse(text).withAlias(fn, next),
              title,
              body,
              "revert/" + environment + "/" + fn + "/" + alias,
              FAILED_ROLLOUT + failure);
        },
        function);
  }

  /**
   * Records a new release in an environment file (what {@code fc:deploy -Dfc.record=git} does for
   * {@code dev}), and moves {@code alias} to it when not null.
   */
  public PromotionResult recordRelease(
      String environment, String function, Release release, String alias) {
    return recordRelease(environment, function, release, alias, null);
  }

  /**
   * Records a new release in an environment file, and moves {@code alias} to it when not null. An
   * image the file already declares under another id keeps that id (one image is one release).
   * Recording what the file already says throws {@link GitNothingToChangeException}.
   *
   * @param note a last paragraph for the commit message (where the release was published), or null
   */
  public PromotionResult recordRelease(
      String environment, String function, Release release, String alias, String note) {
    requireNonNull(environment, "environment");
    requireNonNull(release, "release");
    return change(
        environment,
        (base, document, fn) -> {
          EnvironmentFunction declared = base.environment(environment).function(fn).orElseThrow();
          Optional<Release> existing = declared.release(release.id());
          if (existing.isPresent() && !existing.get().image().equals(release.image())) {
            throw new GitPromotionException(
                "release "
                    + release.id()
                    + " of "
                    + fn
                    + " in "
                    + environment
                    + " already names image "
                    + existing.get().image(),
                "release ids are immutable: give the new build a new id");
          }
          // The same digest under another id is the same release: the validator refuses two ids
          // for one digest, and a rebuild with identical bytes is not a new release.
          Optional<Release> recorded =
              existing.or(
                  () ->
                      declared.releases().stream()
                          .filter(r -> release.image().isPinned() && r.image().isPinned())
                          .filter(r -> r.image().digest().equals(release.image().digest()))
                          .findFirst());
          String id = recorded.map(Release::id).orElse(release.id());
          String text = document.text();
          if (recorded.isEmpty()) {
            text = EnvironmentDocument.parse(text).withRelease(fn, release);
          }
          String title = "release(" + environment + "): " + fn + " " + id;
          String body =
              fn + " release " + id + " = " + recorded.map(Release::image).orElse(release.image());
          if (alias != null) {
            AliasSpec current = currentAlias(document, environment, fn, alias);
            AliasSpec next = AliasSpec.of(alias, id);
            if (!next.equals(current)) {
              text = EnvironmentDocument.parse(text).withAlias(fn, next);
              title += ", " + alias + " -> " + id;
              body += "\n" + fn + "/" + alias + ": " + current.describe() + " -> " + id;
            }
          }
          if (text.equals(document.text())) {
            throw new GitNothingToChangeException(
                "release "
                    + id
                    + " ("
                    + recorded.map(Release::image).orElse(release.image())
                    + ") is already recorded in "
                    + environment
                    + (alias == null ? "" : ", and " + alias + " points at it"),
                "nothing to record");
          }
          if (note != null && !note.isBlank()) {
            body += "\n\n" + note.strip();
          }
          return new Draft(text, title, body, "release/" + environment + "/" + fn + "/" + id);
        },
        function);
  }

  private static String title(
      String verb, String environment, String function, String alias, String release) {
    return verb + "(" + environment + "): " + function + " " + alias + " -> " + release;
  }

  private static boolean isDeclared(
      GitOpsRepository base, String environment, String function, String release) {
    return base.environment(environment)
        .function(function)
        .orElseThrow()
        .release(release)
        .isPresent();
  }

  /** {@code text} with release {@code id} declared, copied from the environment declaring it. */
  private static String withDeclaredRelease(
      GitOpsRepository base, String environment, String function, String text, String id) {
    if (isDeclared(base, environment, function, id)) {
      return text;
    }
    Release found = findRelease(base, environment, function, id);
    return EnvironmentDocument.parse(text).withRelease(function, found);
  }

  /** The edit that moves an alias, on the alias's own promotion branch. */
  private static Draft aliasEdit(
      String environment,
      String function,
      String text,
      String title,
      AliasSpec current,
      AliasSpec next,
      String note) {
    String body =
        function
            + "/"
            + next.name()
            + " in "
            + environment
            + ": "
            + current.describe()
            + " -> "
            + next.describe()
            + note;
    return new Draft(
        EnvironmentDocument.parse(text).withAlias(function, next),
        title,
        body,
        "promote/" + environment + "/" + function + "/" + next.name());
  }

  @FunctionalInterface
  private interface Editor {
    Draft edit(GitOpsRepository base, EnvironmentDocument document, String function)
        throws IOException;
  }

  private PromotionResult change(String environment, Editor editor, String function) {
    return writer.write(
        environment,
        (base, text) -> {
          String fn = chooseFunction(base, environment, function);
          return editor.edit(base, EnvironmentDocument.parse(text), fn);
        });
  }

  /** {@code fc/<name>}, made a valid ref name: release ids may hold '..' or end in '.'. */
  static String branchName(String name) {
    return GitBranchWriter.branchName(name);
  }

  private static String chooseFunction(GitOpsRepository base, String environment, String function) {
    EnvironmentSpec env = base.environment(environment);
    if (function != null) {
      if (env.function(function).isEmpty()) {
        throw new GitPromotionException(
            "function " + function + " is not deployed in environment " + environment,
            "add it under 'functions:' in " + env.file());
      }
      return function;
    }
    if (env.functions().size() != 1) {
      throw new GitPromotionException(
          "environment " + environment + " has " + env.functions().size() + " functions",
          "name the function",
          "function");
    }
    return env.functions().get(0).name();
  }

  private static AliasSpec currentAlias(
      EnvironmentDocument document, String environment, String function, String alias) {
    return document
        .alias(function, alias)
        .orElseThrow(
            () ->
                new GitPromotionException(
                    "alias " + alias + " of " + function + " is not declared in " + environment,
                    "declare it under 'aliases:' in environments/"
                        + environment
                        + "/"
                        + GitOpsRepository.ENVIRONMENT_FILE
                        + " first (a new alias is a reviewed"
                        + " change, not a promotion)"));
  }

  private static Release findRelease(
      GitOpsRepository base, String environment, String function, String id) {
    EnvironmentSpec target = base.environment(environment);
    List<Release> candidates = new ArrayList<>();
    for (EnvironmentSpec env : base.environments().values()) {
      env.function(function)
          .flatMap(f -> f.release(id))
          .filter(r -> r.image().isPinned() || target.allowsTags())
          .ifPresent(candidates::add);
    }
    if (candidates.isEmpty()) {
      throw new GitPromotionException(
          "release " + id + " of " + function + " is not declared (by digest) in any environment",
          "record it first (a deploy to dev records the release by digest), or check the id");
    }
    if (candidates.stream().map(Release::image).distinct().count() > 1) {
      throw new GitPromotionException(
          "release " + id + " of " + function + " names different images in different environments",
          "release ids must name one image everywhere; fix the environment files");
    }
    return candidates.get(0);
  }

  /** The primary release the alias had before {@code current}, from the file's history. */
  private String previousRelease(String environment, String function, String alias, String current)
      throws IOException {
    return writer
        .searchHistory(
            environment,
            text -> {
              try {
                return EnvironmentDocument.parse(text)
                    .alias(function, alias)
                    .map(AliasSpec::release)
                    .filter(release -> !release.equals(current));
              } catch (RuntimeException invalid) {
                return Optional.empty();
              }
            })
        .orElseThrow(
            () ->
                new GitPromotionException(
                    "alias "
                        + alias
                        + " of "
                        + function
                        + " in "
                        + environment
                        + " never pointed at another release in this file's history",
                    "promote the release you want explicitly"));
  }
}
