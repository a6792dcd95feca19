package io.fctoolkit.core.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ThreeWayMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Real Git repositories for tests: a bare remote, clones, merges and reverts, all with JGit. */
final class GitRepos {

  private GitRepos() {}

  /** A bare remote whose main branch holds the valid fixture under {@code gitops/}. */
  static Path remoteWithFixture(Path dir) throws Exception {
    Path remote = dir.resolve("remote.git");
    Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
    Path seed = dir.resolve("seed");
    try (Git git = Git.init().setDirectory(seed.toFile()).setInitialBranch("main").call()) {
      identify(git, "Seed", "seed@example.com");
      Fixtures.copyValid(seed.resolve("gitops"));
      git.add().addFilepattern(".").call();
      git.commit().setMessage("initial gitops state").call();
      git.remoteAdd()
          .setName("origin")
          .setUri(new org.eclipse.jgit.transport.URIish(remote.toUri().toURL()))
          .call();
      git.push()
          .setRemote("origin")
          .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
          .call();
    }
    return remote;
  }

  static Git clone(Path remote, Path into, String name) throws GitAPIException, IOException {
    Git git =
        Git.cloneRepository().setURI(remote.toUri().toString()).setDirectory(into.toFile()).call();
    identify(git, name, name.toLowerCase() + "@example.com");
    return git;
  }

  static void identify(Git git, String name, String email) throws IOException {
    StoredConfig config = git.getRepository().getConfig();
    config.setString("user", null, "name", name);
    config.setString("user", null, "email", email);
    config.save();
  }

  /** Merges {@code origin/<branch>} into main with a merge commit (a merged pull request). */
  static RevCommit mergePullRequest(Git git, String branch, int number) throws Exception {
    git.fetch().setRemote("origin").call();
    git.checkout().setName("main").call();
    git.pull().setRemote("origin").setRemoteBranchName("main").call();
    ObjectId head = git.getRepository().resolve("refs/remotes/origin/" + branch);
    MergeResult result =
        git.merge()
            .include(head)
            .setFastForward(MergeCommand.FastForwardMode.NO_FF)
            .setMessage("Merge pull request #" + number + " from " + branch)
            .call();
    if (!result.getMergeStatus().isSuccessful()) {
      throw new IllegalStateException("merge failed: " + result);
    }
    git.push()
        .setRemote("origin")
        .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
        .call();
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      return walk.parseCommit(result.getNewHead());
    }
  }

  /**
   * {@code git revert -m 1 <merge>} (JGit's RevertCommand refuses merge commits): a three-way merge
   * of the merge's first parent into HEAD with the merge commit as base, committed and pushed to
   * main.
   */
  static RevCommit revertMerge(Git git, RevCommit merge) throws Exception {
    Repository repo = git.getRepository();
    git.checkout().setName("main").call();
    git.pull().setRemote("origin").setRemoteBranchName("main").call();
    try (RevWalk walk = new RevWalk(repo);
        ObjectInserter inserter = repo.newObjectInserter()) {
      RevCommit head = walk.parseCommit(repo.resolve("HEAD"));
      RevCommit parent = walk.parseCommit(merge.getParent(0));
      ThreeWayMerger merger = MergeStrategy.RECURSIVE.newMerger(repo, true);
      merger.setBase(merge.getTree());
      if (!merger.merge(head, parent)) {
        throw new IllegalStateException("revert conflicts");
      }
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(merger.getResultTreeId());
      commit.setParentId(head);
      PersonIdent me = new PersonIdent(repo);
      commit.setAuthor(me);
      commit.setCommitter(me);
      commit.setMessage(
          "Revert \""
              + merge.getShortMessage()
              + "\"\n\nThis reverts commit "
              + merge.name()
              + ".\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = repo.updateRef("refs/heads/main");
      update.setNewObjectId(id);
      update.setExpectedOldObjectId(head);
      RefUpdate.Result result = update.update();
      if (result != RefUpdate.Result.FAST_FORWARD) {
        throw new IllegalStateException("cannot move main: " + result);
      }
      git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef("HEAD").call();
      git.push()
          .setRemote("origin")
          .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
          .call();
      return walk.parseCommit(id);
    }
  }

  /** The text of {@code path} at {@code rev} (a branch, remote branch or commit). */
  static String show(Git git, String rev, String path) throws IOException {
    Repository repo = git.getRepository();
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(repo.resolve(rev));
      try (TreeWalk tree = TreeWalk.forPath(repo, path, commit.getTree())) {
        return tree == null
            ? null
            : new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  static RevCommit commit(Git git, String rev) throws IOException {
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      return walk.parseCommit(git.getRepository().resolve(rev));
    }
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
