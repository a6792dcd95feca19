package io.fctoolkit.core.gitops;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.Release;
import io.fctoolkit.core.gitops.internal.EnvironmentDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Writes promotions, rollbacks and new releases into environment files as Git commits, each on its
 * own branch, ready for a pull request. The edit keeps every untouched line of the file as it was;
 * the commit is built from the base branch's tree, so the working tree and the checked-out branch
 * are never touched. Pushes when the repository has the configured remote.
 *
 * <p>Each alias has one promotion branch ({@code fc/promote/<env>/<function>/<alias>}): a second
 * promotion while the first is unmerged fails with {@link GitPromotionConflictException} instead of
 * silently replacing it; making the very same change again returns the pending commit.
 */
public final class GitPromoter {

  private final Path gitopsDir;
  private final Options options;
  private final Consumer<FcEvent> events;

  /**
   * How the promoter talks to Git.
   *
   * @param remote the remote to fetch from and push to ({@code origin})
   * @param baseBranch the branch promotions start from, or null for the checked-out branch
   * @param push whether to push the new branch when the remote exists
   * @param authorName the commit author's name, or null for the repository's user.name
   * @param authorEmail the commit author's email, or null for the repository's user.email
   * @param token an HTTPS token for the remote, or null (SSH agents and credential-less file
   *     remotes need none); never printed
   */
  public record Options(
      String remote,
      String baseBranch,
      boolean push,
      String authorName,
      String authorEmail,
      String token) {
    public Options {
      requireNonNull(remote, "remote");
    }

    /** origin, the checked-out branch, push on, author from Git's configuration. */
    public static Options defaults() {
      return new Options("origin", null, true, null, null, null);
    }

    public Options withAuthor(String name, String email) {
      return new Options(remote, baseBranch, push, name, email, token);
    }

    public Options withBaseBranch(String branch) {
      return new Options(remote, branch, push, authorName, authorEmail, token);
    }

    public Options withRemote(String name) {
      return new Options(name, baseBranch, push, authorName, authorEmail, token);
    }

    public Options withPush(boolean enabled) {
      return new Options(remote, baseBranch, enabled, authorName, authorEmail, token);
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
          + ">, token="
          + (token == null ? "none" : "****")
          + "]";
    }
  }

  /**
   * A promoter for the gitops directory {@code gitopsDir}, which must be inside a Git working tree.
   */
  public GitPromoter(Path gitopsDir, Options options, Consumer<FcEvent> events) {
    this.gitopsDir = requireNonNull(gitopsDir, "gitopsDir").toAbsolutePath().normalize();
    this.options = requireNonNull(options, "options");
    this.events = requireNonNull(events, "events");
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
          "use a percentage from 0 to 100, e.g. -Dfc.weight=10");
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
          return new Edit(text, title, body, "release/" + environment + "/" + fn + "/" + id);
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
  private static Edit aliasEdit(
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
    return new Edit(
        EnvironmentDocument.parse(text).withAlias(function, next),
        title,
        body,
        "promote/" + environment + "/" + function + "/" + next.name());
  }

  /** The edit of one promotion: new file text, commit title and body, branch name. */
  private record Edit(String text, String title, String body, String branch) {}

  @FunctionalInterface
  private interface Editor {
    Edit edit(GitOpsRepository base, EnvironmentDocument document, String function)
        throws IOException;
  }

  private PromotionResult change(String environment, Editor editor, String function) {
    try (Repository repo = openRepository();
        Git git = new Git(repo)) {
      String prefix = gitopsPrefix(repo);
      String envPath = envPath(repo, environment);
      boolean hasRemote = hasRemote(repo);
      String baseBranch = baseBranch(repo);
      if (ObjectId.isId(baseBranch)) {
        throw new GitPromotionException(
            "HEAD is detached (at " + baseBranch.substring(0, 8) + "), so there is no base branch",
            "name the branch promotions start from (-Dfc.git.baseBranch=main); CI checkouts are often"
                + " detached");
      }
      if (hasRemote) {
        // Prune, so a promotion branch deleted on the remote (PR closed) is no longer pending.
        git.fetch()
            .setRemote(options.remote())
            .setRemoveDeletedRefs(true)
            .setCredentialsProvider(credentials())
            .call();
      }
      ObjectId base = repo.resolve(baseRef(repo));
      if (base == null) {
        throw new GitPromotionException(
            "base branch "
                + baseBranch
                + " not found"
                + (hasRemote ? " on " + options.remote() : ""),
            "push the base branch first, or set the base branch (-Dfc.git.baseBranch=main)");
      }
      Path scratch = Files.createTempDirectory("fc-gitops-");
      try {
        RevCommit baseCommit = repo.parseCommit(base);
        GitOpsRepository baseState = materialize(repo, baseCommit, prefix, scratch);
        String fn = chooseFunction(baseState, environment, function);
        String original = readFile(repo, baseCommit, envPath);
        Edit edit = editor.edit(baseState, EnvironmentDocument.parse(original), fn);
        // The edited state must be valid as a whole before anything is committed.
        Path editedFile =
            scratch
                .resolve("environments")
                .resolve(environment)
                .resolve(GitOpsRepository.ENVIRONMENT_FILE);
        Files.writeString(editedFile, edit.text(), StandardCharsets.UTF_8);
        GitOpsRepository.open(scratch);
        String branch = branchName(edit.branch());
        String message = edit.title() + "\n\n" + edit.body() + "\n\nWritten by fc-toolkit.\n";
        ObjectId commit = commit(repo, baseCommit, envPath, edit.text(), message);
        RevCommit tip = updateBranch(repo, branch, commit, hasRemote);
        boolean pushed = hasRemote && options.push() && push(git, branch);
        events.accept(
            FcEvent.lifecycle(
                edit.title()
                    + (tip.equals(commit)
                        ? " committed on branch "
                        : " is already pending as " + tip.abbreviate(8).name() + " on branch ")
                    + branch
                    + (pushed ? " and pushed" : "")));
        return new PromotionResult(
            branch, tip.name(), base.name(), tip.getFullMessage(), envPath, pushed);
      } finally {
        deleteRecursively(scratch);
      }
    } catch (IOException e) {
      throw new GitPromotionException(
          "cannot write the promotion: " + e.getMessage(), "check the repository", e);
    } catch (GitAPIException e) {
      throw new GitPromotionException(
          "git failed: " + e.getMessage(),
          "check that the remote '" + options.remote() + "' is reachable and credentials are set",
          e);
    } catch (IllegalArgumentException e) {
      throw new GitPromotionException(e.getMessage(), null, e);
    }
  }

  private String envPath(Repository repo, String environment) throws IOException {
    return gitopsPrefix(repo)
        + "environments/"
        + environment
        + "/"
        + GitOpsRepository.ENVIRONMENT_FILE;
  }

  private boolean hasRemote(Repository repo) {
    return repo.getConfig().getSubsections("remote").contains(options.remote());
  }

  private String baseBranch(Repository repo) throws IOException {
    return options.baseBranch() != null ? options.baseBranch() : repo.getBranch();
  }

  /** The base branch as the remote has it (after the fetch), or the local one without a remote. */
  private String baseRef(Repository repo) throws IOException {
    return hasRemote(repo)
        ? Constants.R_REMOTES + options.remote() + "/" + baseBranch(repo)
        : Constants.R_HEADS + baseBranch(repo);
  }

  /** {@code fc/<name>}, made a valid ref name: release ids may hold '..' or end in '.'. */
  static String branchName(String name) {
    String branch = "fc/" + name.replace("..", "-");
    while (branch.endsWith(".") || branch.endsWith(".lock")) {
      branch = branch.substring(0, branch.lastIndexOf('.')) + "-";
    }
    if (!Repository.isValidRefName(Constants.R_HEADS + branch)) {
      throw new GitPromotionException(
          "cannot name a branch after '" + name + "'", "use simpler environment and release names");
    }
    return branch;
  }

  private Repository openRepository() throws IOException {
    FileRepositoryBuilder builder =
        new FileRepositoryBuilder().readEnvironment().findGitDir(gitopsDir.toFile());
    if (builder.getGitDir() == null) {
      throw new GitPromotionException(
          gitopsDir + " is not inside a Git repository",
          "promotion by pull request needs the gitops directory in a Git clone");
    }
    return builder.setMustExist(true).build();
  }

  private String gitopsPrefix(Repository repo) throws IOException {
    Path top = repo.getWorkTree().toPath().toRealPath();
    Path relative = top.relativize(gitopsDir.toRealPath());
    String prefix = relative.toString().replace('\\', '/');
    return prefix.isEmpty() ? "" : prefix + "/";
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
          "name the function (-Dfc.function=...)");
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
          "record it first (fc:deploy records dev releases by digest), or check the id");
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
    try (Repository repo = openRepository();
        RevWalk walk = new RevWalk(repo)) {
      String envPath = envPath(repo, environment);
      ObjectId start = repo.resolve(baseRef(repo));
      // The states the base branch went through, newest first: first parents only (a merged PR
      // is one step), topological so that commits made within the same second keep their order.
      walk.setFirstParent(true);
      walk.sort(org.eclipse.jgit.revwalk.RevSort.TOPO);
      walk.markStart(walk.parseCommit(start));
      int seen = 0;
      for (RevCommit commit : walk) {
        if (++seen > 10_000) {
          break;
        }
        String text;
        try {
          text = readFile(repo, commit, envPath);
        } catch (GitPromotionException missing) {
          continue;
        }
        Optional<AliasSpec> then;
        try {
          then = EnvironmentDocument.parse(text).alias(function, alias);
        } catch (RuntimeException invalid) {
          continue;
        }
        if (then.isPresent() && !then.get().release().equals(current)) {
          return then.get().release();
        }
      }
    }
    throw new GitPromotionException(
        "alias "
            + alias
            + " of "
            + function
            + " in "
            + environment
            + " never pointed at another release in this file's history",
        "promote the release you want explicitly");
  }

  private static GitOpsRepository materialize(
      Repository repo, RevCommit commit, String prefix, Path into) throws IOException {
    try (TreeWalk walk = new TreeWalk(repo)) {
      walk.addTree(commit.getTree());
      walk.setRecursive(true);
      if (!prefix.isEmpty()) {
        walk.setFilter(PathFilter.create(prefix.substring(0, prefix.length() - 1)));
      }
      while (walk.next()) {
        String path = walk.getPathString().substring(prefix.length());
        Path target = into.resolve(path).normalize();
        if (!target.startsWith(into)) {
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.write(target, repo.open(walk.getObjectId(0)).getBytes());
      }
    }
    try {
      return GitOpsRepository.open(into);
    } catch (GitOpsValidationException e) {
      throw new GitPromotionException(
          "the gitops files on the base branch are invalid, so nothing can be promoted on top of"
              + " them: "
              + e.getMessage(),
          "fix the base branch first",
          e);
    }
  }

  private static String readFile(Repository repo, RevCommit commit, String path)
      throws IOException {
    try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
      if (walk == null) {
        throw new GitPromotionException(
            path + " does not exist at " + commit.abbreviate(8).name(),
            "create the environment file first");
      }
      return new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

  private ObjectId commit(Repository repo, RevCommit base, String path, String text, String message)
      throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      ObjectId blob = inserter.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, base.getTree());
      builder.finish();
      DirCacheEditor editor = index.editor();
      editor.add(
          new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry entry) {
              entry.setFileMode(FileMode.REGULAR_FILE);
              entry.setObjectId(blob);
            }
          });
      editor.finish();
      ObjectId tree = index.writeTree(inserter);
      PersonIdent author = author(repo);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentId(base);
      commit.setAuthor(author);
      commit.setCommitter(author);
      commit.setMessage(message);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      return id;
    }
  }

  private PersonIdent author(Repository repo) {
    PersonIdent fromConfig = new PersonIdent(repo);
    String name = options.authorName() != null ? options.authorName() : fromConfig.getName();
    String email =
        options.authorEmail() != null ? options.authorEmail() : fromConfig.getEmailAddress();
    return new PersonIdent(name, email);
  }

  /**
   * Points the branch at {@code commit}, or at the commit already there that makes the same change
   * on the same base (running a promotion or a deploy twice is not a conflict with itself). Returns
   * the branch's new tip.
   */
  private RevCommit updateBranch(Repository repo, String branch, ObjectId commit, boolean hasRemote)
      throws IOException {
    String ref = Constants.R_HEADS + branch;
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit next = walk.parseCommit(commit);
      // A branch already there is fine only when its tip is merged into our base: the previous
      // promotion of this alias is done. Otherwise another promotion is in flight.
      ObjectId local = repo.resolve(ref);
      ObjectId remote =
          hasRemote ? repo.resolve(Constants.R_REMOTES + options.remote() + "/" + branch) : null;
      for (ObjectId existing : new ObjectId[] {remote, local}) {
        if (existing != null && sameChange(walk.parseCommit(existing), next)) {
          next = walk.parseCommit(existing);
          break;
        }
      }
      for (ObjectId existing : new ObjectId[] {remote, local}) {
        if (existing != null && !walk.isMergedInto(walk.parseCommit(existing), next)) {
          RevCommit other = walk.parseCommit(existing);
          throw new GitPromotionConflictException(
              branch,
              "another change to this alias is pending on branch "
                  + branch
                  + (existing == remote ? " on " + options.remote() : "")
                  + ": "
                  + other.abbreviate(8).name()
                  + " \""
                  + other.getShortMessage()
                  + "\" by "
                  + other.getAuthorIdent().getName()
                  + ", not merged into the base branch",
              "merge or close that pull request (and delete its branch), then promote again");
        }
      }
      RefUpdate update = repo.updateRef(ref);
      update.setNewObjectId(next);
      update.setExpectedOldObjectId(local == null ? ObjectId.zeroId() : local);
      update.setRefLogMessage("fc-toolkit: " + branch, false);
      RefUpdate.Result result = update.update(walk);
      switch (result) {
        case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> {}
        default ->
            throw new GitPromotionConflictException(
                branch,
                "branch " + branch + " changed while the promotion was written (" + result + ")",
                "promote again");
      }
      return next;
    }
  }

  /** Whether two commits make the same edit on the same base. */
  private static boolean sameChange(RevCommit a, RevCommit b) {
    return a.getTree().equals(b.getTree())
        && java.util.Arrays.equals(a.getParents(), b.getParents());
  }

  private boolean push(Git git, String branch) throws GitAPIException {
    String ref = Constants.R_HEADS + branch;
    PushCommand push =
        git.push()
            .setRemote(options.remote())
            .setRefSpecs(new RefSpec(ref + ":" + ref))
            .setCredentialsProvider(credentials());
    for (PushResult result : push.call()) {
      RemoteRefUpdate update = result.getRemoteUpdate(ref);
      if (update == null) {
        continue;
      }
      switch (update.getStatus()) {
        case OK, UP_TO_DATE -> {}
        case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED ->
            throw new GitPromotionConflictException(
                branch,
                "the remote refused branch "
                    + branch
                    + ": someone pushed another change to this alias first",
                "look at the open pull request for "
                    + branch
                    + "; merge or close it, then promote again (your commit stays on the local"
                    + " branch)");
        default ->
            throw new GitPromotionException(
                "push of "
                    + branch
                    + " failed: "
                    + update.getStatus()
                    + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"),
                "check the remote's permissions; the commit is on the local branch " + branch);
      }
    }
    return true;
  }

  private org.eclipse.jgit.transport.CredentialsProvider credentials() {
    return options.token() == null
        ? null
        : new UsernamePasswordCredentialsProvider("fc-toolkit", options.token());
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
