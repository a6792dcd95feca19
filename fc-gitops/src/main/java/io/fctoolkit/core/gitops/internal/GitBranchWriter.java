package io.fctoolkit.core.gitops.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.gitops.DerivedFiles;
import io.fctoolkit.core.gitops.GitAuth;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.GitOpsValidationException;
import io.fctoolkit.core.gitops.GitPromotionConflictException;
import io.fctoolkit.core.gitops.GitPromotionException;
import io.fctoolkit.core.gitops.PromotionResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
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
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * The Git side of promotions: commits one edited environment file on its own branch, built from the
 * base branch's tree (the working tree and the checked-out branch are never touched), and pushes
 * the branch when the repository has the configured remote. What to edit is the caller's: this
 * class knows JGit, not aliases or releases, so promotion rules are tested without it.
 */
public final class GitBranchWriter {

  /**
   * How to reach and write the repository.
   *
   * @param remote the remote to fetch from and push to
   * @param baseBranch the branch edits start from, or null for the checked-out branch
   * @param push whether to push the new branch when the remote exists
   * @param authorName the commit author's name, or null for the repository's user.name
   * @param authorEmail the commit author's email, or null for the repository's user.email
   * @param auth how fetches and pushes authenticate (HTTPS token, SSH folder); never printed
   */
  public record Settings(
      String remote,
      String baseBranch,
      boolean push,
      String authorName,
      String authorEmail,
      GitAuth auth) {
    public Settings {
      requireNonNull(remote, "remote");
      auth = auth == null ? GitAuth.NONE : auth;
    }

    @Override
    public String toString() {
      return "Settings[remote="
          + remote
          + ", baseBranch="
          + baseBranch
          + ", push="
          + push
          + ", auth="
          + auth
          + "]";
    }
  }

  /**
   * One edit of an environment file: new text, commit title and body, branch name.
   *
   * @param pendingKey a line of the body that names what the edit is for (e.g. one failed rollout),
   *     or null: a pending (unmerged) tip of the branch whose message holds it is this edit
   *     already, made on an older base, and is returned instead of a conflict
   */
  public record Draft(String text, String title, String body, String branch, String pendingKey) {
    public Draft {
      requireNonNull(text, "text");
      requireNonNull(title, "title");
      requireNonNull(body, "body");
      requireNonNull(branch, "branch");
    }

    public Draft(String text, String title, String body, String branch) {
      this(text, title, body, branch, null);
    }
  }

  /** Makes the edit from the base branch's gitops state and the file's text on that branch. */
  @FunctionalInterface
  public interface Drafter {
    Draft draft(GitOpsRepository base, String fileText) throws IOException;
  }

  private final Path gitopsDir;
  private final Settings options;
  private final Consumer<FcEvent> events;
  private final DerivedFiles derivedFiles;

  public GitBranchWriter(Path gitopsDir, Settings settings, Consumer<FcEvent> events) {
    this(gitopsDir, settings, events, DerivedFiles.NONE);
  }

  /** A writer whose commits also carry what {@code derivedFiles} rewrites from the edited state. */
  public GitBranchWriter(
      Path gitopsDir, Settings settings, Consumer<FcEvent> events, DerivedFiles derivedFiles) {
    this.gitopsDir = requireNonNull(gitopsDir, "gitopsDir").toAbsolutePath().normalize();
    this.options = requireNonNull(settings, "settings");
    this.events = requireNonNull(events, "events");
    this.derivedFiles = requireNonNull(derivedFiles, "derivedFiles");
  }

  /**
   * Fetches, drafts the edit of {@code environment}'s file on the base branch, checks that the
   * edited gitops state is valid as a whole, commits it on the draft's branch ({@code fc/...}) and
   * pushes. Running the very same edit again returns the pending commit.
   */
  public PromotionResult write(String environment, Drafter drafter) {
    try (Repository repo = openRepository();
        Git git = new Git(repo);
        RemoteAccess access =
            new RemoteAccess(
                options.auth(),
                options.remote(),
                repo.getConfig().getString("remote", options.remote(), "url"))) {
      String prefix = gitopsPrefix(repo);
      String envPath = envPath(repo, environment);
      boolean hasRemote = hasRemote(repo);
      String baseBranch = baseBranch(repo);
      if (ObjectId.isId(baseBranch)) {
        throw new GitPromotionException(
            "HEAD is detached (at " + baseBranch.substring(0, 8) + "), so there is no base branch",
            "name the branch promotions start from; CI checkouts are often detached",
            "git.baseBranch");
      }
      if (hasRemote) {
        // Prune, so a promotion branch deleted on the remote (PR closed) is no longer pending.
        try {
          access
              .configure(git.fetch().setRemote(options.remote()).setRemoveDeletedRefs(true))
              .call();
        } catch (GitAPIException | RuntimeException e) {
          throw access.explain("fetch from", e);
        }
      }
      ObjectId base = repo.resolve(baseRef(repo));
      if (base == null) {
        throw new GitPromotionException(
            "base branch "
                + baseBranch
                + " not found"
                + (hasRemote ? " on " + options.remote() : ""),
            "push the base branch first, or name another base branch",
            "git.baseBranch");
      }
      Path scratch = Files.createTempDirectory("fc-gitops-");
      try {
        RevCommit baseCommit = repo.parseCommit(base);
        GitOpsRepository baseState = materialize(repo, baseCommit, prefix, scratch);
        String original = readFile(repo, baseCommit, envPath);
        Draft edit = drafter.draft(baseState, original);
        // The edited state must be valid as a whole before anything is committed.
        Path editedFile =
            scratch
                .resolve("environments")
                .resolve(environment)
                .resolve(GitOpsRepository.ENVIRONMENT_FILE);
        Files.writeString(editedFile, edit.text(), StandardCharsets.UTF_8);
        GitOpsRepository.open(scratch);
        List<String> derived = derived(scratch, environment);
        String branch = branchName(edit.branch());
        String message =
            edit.title()
                + "\n\n"
                + edit.body()
                + derivedNote(derived)
                + "\n\nWritten by fc-toolkit.\n";
        ObjectId commit =
            commit(repo, baseCommit, envPath, edit.text(), message, prefix, scratch, derived);
        RevCommit tip = updateBranch(repo, branch, commit, hasRemote, edit.pendingKey());
        boolean pushed = hasRemote && options.push() && push(git, branch, access);
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
          "cannot write the promotion: " + RemoteAccess.redact(e.getMessage(), token()),
          "check the repository",
          RemoteAccess.Redacted.of(e, token()));
    } catch (IllegalArgumentException e) {
      throw new GitPromotionException(e.getMessage(), null, e);
    }
  }

  /** The folders {@link DerivedFiles} rewrote in the edited state, checked to stay inside it. */
  private List<String> derived(Path scratch, String environment) throws IOException {
    List<String> folders = derivedFiles.update(scratch, environment);
    for (String folder : folders) {
      Path resolved = scratch.resolve(folder).normalize();
      if (folder.isBlank() || !resolved.startsWith(scratch) || resolved.equals(scratch)) {
        throw new IllegalArgumentException(
            "derived folder '" + folder + "' is not a folder inside the gitops directory");
      }
    }
    return List.copyOf(folders);
  }

  private static String derivedNote(List<String> derived) {
    StringBuilder note = new StringBuilder();
    for (String folder : derived) {
      note.append("\n").append(folder).append("/ rendered again from the edited state");
    }
    return note.toString();
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
  public static String branchName(String name) {
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

  /**
   * The first answer {@code probe} gives for the texts {@code environment}'s file had on the base
   * branch, newest first (first parents only: a merged pull request is one step), or empty.
   */
  public Optional<String> searchHistory(
      String environment, Function<String, Optional<String>> probe) throws IOException {
    try (Repository repo = openRepository();
        RevWalk walk = new RevWalk(repo)) {
      String envPath = envPath(repo, environment);
      ObjectId start = repo.resolve(baseRef(repo));
      // The states the base branch went through, newest first: first parents only (a merged PR
      // is one step), topological so that commits made within the same second keep their order.
      walk.setFirstParent(true);
      walk.sort(RevSort.TOPO);
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
        Optional<String> answer = probe.apply(text);
        if (answer.isPresent()) {
          return answer;
        }
      }
    }
    return Optional.empty();
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

  private ObjectId commit(
      Repository repo,
      RevCommit base,
      String path,
      String text,
      String message,
      String prefix,
      Path scratch,
      List<String> derived)
      throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      ObjectId blob = inserter.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8));
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, base.getTree());
      builder.finish();
      DirCacheEditor editor = index.editor();
      editor.add(fileEdit(path, blob));
      for (String folder : derived) {
        // The folder becomes exactly what the edited state holds: files added or changed, and
        // files the base had there but the edited state no longer has are deleted.
        String treePath = prefix + folder;
        Path source = scratch.resolve(folder);
        Set<String> present = new HashSet<>();
        if (Files.isDirectory(source)) {
          try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
              String entryPath =
                  treePath + "/" + source.relativize(file).toString().replace('\\', '/');
              present.add(entryPath);
              editor.add(
                  fileEdit(
                      entryPath, inserter.insert(Constants.OBJ_BLOB, Files.readAllBytes(file))));
            }
          }
        }
        for (DirCacheEntry old : index.getEntriesWithin(treePath)) {
          if (!present.contains(old.getPathString())) {
            editor.add(new DirCacheEditor.DeletePath(old));
          }
        }
      }
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

  private static DirCacheEditor.PathEdit fileEdit(String path, ObjectId blob) {
    return new DirCacheEditor.PathEdit(path) {
      @Override
      public void apply(DirCacheEntry entry) {
        entry.setFileMode(FileMode.REGULAR_FILE);
        entry.setObjectId(blob);
      }
    };
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
  private RevCommit updateBranch(
      Repository repo, String branch, ObjectId commit, boolean hasRemote, String pendingKey)
      throws IOException {
    String ref = Constants.R_HEADS + branch;
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit next = walk.parseCommit(commit);
      // A branch already there is fine only when its tip is merged into our base: the previous
      // promotion of this alias is done. Otherwise another promotion is in flight.
      ObjectId local = repo.resolve(ref);
      ObjectId remote =
          hasRemote ? repo.resolve(Constants.R_REMOTES + options.remote() + "/" + branch) : null;
      RevCommit base = next.getParent(0);
      for (ObjectId existing : new ObjectId[] {remote, local}) {
        if (existing == null) {
          continue;
        }
        RevCommit tip = walk.parseCommit(existing);
        if (sameChange(tip, next)
            || (pendingKey != null
                && tip.getFullMessage().lines().anyMatch(pendingKey::equals)
                && !walk.isMergedInto(tip, walk.parseCommit(base)))) {
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
    return a.getTree().equals(b.getTree()) && Arrays.equals(a.getParents(), b.getParents());
  }

  private boolean push(Git git, String branch, RemoteAccess access) {
    String ref = Constants.R_HEADS + branch;
    PushCommand push =
        access.configure(
            git.push().setRemote(options.remote()).setRefSpecs(new RefSpec(ref + ":" + ref)));
    Iterable<PushResult> results;
    try {
      results = push.call();
    } catch (GitAPIException | RuntimeException e) {
      throw access.explain("push " + branch + " to", e);
    }
    for (PushResult result : results) {
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
                    + (update.getMessage() == null
                        ? ""
                        : " (" + access.redact(update.getMessage()) + ")"),
                "check the remote's permissions; the commit is on the local branch " + branch);
      }
    }
    return true;
  }

  private String token() {
    return options.auth().token();
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
