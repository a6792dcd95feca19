package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.PlatformConnection;
import io.fctoolkit.core.PlatformProvider;
import io.fctoolkit.core.gitops.DerivedFiles;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.GitPromoter;
import io.fctoolkit.core.gitops.PromotionResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A promotion by Git of an environment in pull mode carries its manifests rendered again, so the
 * merged pull request changes what Argo CD or Flux apply; in push mode it changes the environment
 * file alone. Real Git (JGit), the repository's own gitops files, the Knative renderer.
 */
class PullModeRenderingTest {

  static final Path GITOPS = Path.of("..", "gitops");
  static final String CANARY =
      "ghcr.io/fc-toolkit/grader@sha256:" + "4d2e".repeat(16); // a release recorded in dev
  static final Function<PlatformConnection, PlatformProvider> PROVIDERS =
      connection ->
          PlatformSupport.provider(
              PullModeRenderingTest.class.getClassLoader(), connection.type(), "test");

  @TempDir Path dir;
  final List<FcEvent> events = new ArrayList<>();

  /** A repository with this project's functions and environments, dev holding a second release. */
  private Git repository(boolean pullMode) throws Exception {
    Path gitops = dir.resolve("repo/gitops");
    Files.createDirectories(gitops.resolve("functions"));
    Files.copy(GITOPS.resolve("functions/grader.yaml"), gitops.resolve("functions/grader.yaml"));
    for (String env : List.of("dev", "prod")) {
      Files.createDirectories(gitops.resolve("environments").resolve(env));
      Files.copy(
          GITOPS.resolve("environments").resolve(env).resolve("environment.yaml"),
          gitops.resolve("environments").resolve(env).resolve("environment.yaml"));
    }
    Path dev = gitops.resolve("environments/dev/environment.yaml");
    Files.writeString(
        dev,
        Files.readString(dev)
            .replace(
                "        image: 127.0.0.1:5000/fc/grader:dev\n",
                "        image: 127.0.0.1:5000/fc/grader:dev\n"
                    + "      - id: 2026-11-22.1\n"
                    + "        image: "
                    + CANARY
                    + "\n"));
    if (pullMode) {
      EnvironmentRendering.render(
          GitOpsRepository.open(gitops),
          "prod",
          EnvironmentRendering.renderDir(gitops, "prod"),
          PROVIDERS);
    }
    Git git = Git.init().setDirectory(dir.resolve("repo").toFile()).setInitialBranch("main").call();
    StoredConfig config = git.getRepository().getConfig();
    config.setString("user", null, "name", "Dana");
    config.setString("user", null, "email", "dana@example.com");
    config.save();
    git.add().addFilepattern("gitops").call();
    git.commit().setMessage("gitops").call();
    return git;
  }

  private PromotionResult promote(Git git, DerivedFiles derived) {
    return new GitPromoter(
            git.getRepository().getWorkTree().toPath().resolve("gitops"),
            GitPromoter.Options.defaults(),
            events::add,
            derived)
        .promote("prod", null, "prod", "2026-11-22.1", BigDecimal.TEN, null);
  }

  /** Every file of the commit under {@code prefix}, by path relative to it. */
  private static Map<String, String> files(Repository repo, String commit, String prefix)
      throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      RevCommit revCommit = walk.parseCommit(repo.resolve(commit));
      tree.addTree(revCommit.getTree());
      tree.setRecursive(true);
      while (tree.next()) {
        if (tree.getPathString().startsWith(prefix)) {
          files.put(
              tree.getPathString().substring(prefix.length()),
              new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }

  /** What fc:render writes for prod from the gitops files of {@code commit}. */
  private Map<String, String> renderedFrom(Repository repo, String commit) throws IOException {
    Path state = Files.createTempDirectory(dir, "state");
    for (Map.Entry<String, String> file : files(repo, commit, "gitops/").entrySet()) {
      if (!file.getKey().startsWith("rendered/")) {
        Path target = state.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      }
    }
    Path out = state.resolve("rendered/prod");
    EnvironmentRendering.render(GitOpsRepository.open(state), "prod", out, PROVIDERS);
    Map<String, String> rendered = new TreeMap<>();
    try (Stream<Path> paths = Files.list(out)) {
      for (Path p : paths.toList()) {
        rendered.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return rendered;
  }

  @Test
  void promotion_inPullMode_rendersTheEnvironmentAgainInTheSameCommit() throws Exception {
    try (Git git = repository(true)) {
      Repository repo = git.getRepository();
      Map<String, String> before = files(repo, "main", "gitops/rendered/prod/");
      assertThat(before.get("service-grader.yaml")).doesNotContain(CANARY);

      // When
      PromotionResult result = promote(git, new PullModeRendering(PROVIDERS));

      // Then the branch's manifests are exactly what fc:render makes of the branch's files
      Map<String, String> after = files(repo, result.commit(), "gitops/rendered/prod/");
      assertThat(after).isEqualTo(renderedFrom(repo, result.commit()));
      assertThat(after.get("service-grader.yaml")).contains(CANARY).contains("percent: 10");
      assertThat(after).containsKey("namespace-grader.yaml");
      assertThat(result.message()).contains("rendered/prod/ rendered again from the edited state");
      // and the working tree still holds main's rendering
      assertThat(
              Files.readString(
                  repo.getWorkTree().toPath().resolve("gitops/rendered/prod/service-grader.yaml")))
          .isEqualTo(before.get("service-grader.yaml"));
    }
  }

  @Test
  void promotion_withoutRendering_leavesTheManifestsStale() throws Exception {
    // What a promotion did before PullModeRendering: the merged file and the applied manifests
    // disagree.
    try (Git git = repository(true)) {
      Repository repo = git.getRepository();
      PromotionResult result = promote(git, DerivedFiles.NONE);
      assertThat(files(repo, result.commit(), "gitops/rendered/prod/"))
          .isEqualTo(files(repo, "main", "gitops/rendered/prod/"))
          .isNotEqualTo(renderedFrom(repo, result.commit()));
    }
  }

  @Test
  void promotion_inPushMode_changesTheEnvironmentFileAlone() throws Exception {
    try (Git git = repository(false)) {
      Repository repo = git.getRepository();
      PromotionResult result = promote(git, new PullModeRendering(PROVIDERS));

      Map<String, String> before = files(repo, "main", "gitops/");
      Map<String, String> after = files(repo, result.commit(), "gitops/");
      assertThat(after.keySet()).isEqualTo(before.keySet());
      assertThat(after.keySet().stream().filter(k -> !after.get(k).equals(before.get(k))))
          .containsExactly("environments/prod/environment.yaml");
      assertThat(
              PullModeRendering.isPullMode(repo.getWorkTree().toPath().resolve("gitops"), "prod"))
          .isFalse();
    }
  }
}
