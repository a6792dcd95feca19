package io.fctoolkit.maven.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline scripts and the workflow and Jenkinsfile steps that need no Maven, run for real:
 * bash scripts in a Git repository with a bare remote on disk, the workflows' jobs through {@link
 * WorkflowRunner}, the Jenkinsfile's {@code sh} steps under dash, GitHub's API through {@link
 * StubGh} (which records each request). The steps that call the plugin run in the invoker IT {@code
 * src/it/pipelines} ({@link PipelineScenario}).
 */
class PipelineScriptsTest {

  static final Path ROOT = Path.of("..");
  static final Path WORKFLOWS = ROOT.resolve("pipelines/github/workflows");
  static final String REPO = "acme/hello";

  @TempDir Path dir;
  Path ws;
  Path remote;
  StubGh gh;
  Map<String, String> env;

  @BeforeEach
  void repository() throws Exception {
    gh = StubGh.install(dir);
    Path home = Files.createDirectories(dir.resolve("home"));
    env = new HashMap<>();
    env.put("PATH", gh.path());
    env.put("HOME", home.toString());
    env.put("STUB_GH_STATE", gh.stateVariable());
    env.put("GIT_AUTHOR_NAME", "Dana");
    env.put("GIT_AUTHOR_EMAIL", "dana@example.com");
    env.put("GIT_COMMITTER_NAME", "Dana");
    env.put("GIT_COMMITTER_EMAIL", "dana@example.com");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    remote = dir.resolve("remote.git");
    Shell.git(dir, env, "init", "-q", "--bare", "-b", "main", remote.toString());
    ws = dir.resolve("ws");
    Shell.git(dir, env, "init", "-q", "-b", "main", ws.toString());
    Shell.copyTree(ROOT.resolve("pipelines"), ws.resolve("pipelines"));
    for (String part : List.of("functions", "environments", "schema", "argocd")) {
      Shell.copyTree(ROOT.resolve("gitops").resolve(part), ws.resolve("gitops").resolve(part));
    }
    Shell.git(ws, env, "add", ".");
    Shell.git(ws, env, "commit", "-q", "-m", "initial");
    Shell.git(ws, env, "remote", "add", "origin", remote.toString());
    Shell.git(ws, env, "push", "-q", "origin", "main");
  }

  private Shell.Result script(String name, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add("pipelines/scripts/" + name);
    command.addAll(List.of(args));
    return Shell.run(ws, env, command);
  }

  /** A branch from main with one more commit that writes {@code text} to {@code path}. */
  private String change(String branch, String path, String text) throws Exception {
    Shell.git(ws, env, "checkout", "-q", "-B", branch, "main");
    Path file = ws.resolve(path);
    if (text == null) {
      Shell.git(ws, env, "rm", "-q", "-r", path);
    } else {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      Shell.git(ws, env, "add", path);
    }
    Shell.git(ws, env, "commit", "-q", "-m", "change " + path);
    String sha = Shell.git(ws, env, "rev-parse", "HEAD").trim();
    Shell.git(ws, env, "checkout", "-q", "main");
    return sha;
  }

  private String appended(String path) throws Exception {
    return Files.readString(ws.resolve(path)) + "# reviewed\n";
  }

  @Test
  void changedEnvironments_followTheDiff() throws Exception {
    String prod =
        change(
            "prod",
            "gitops/environments/prod/environment.yaml",
            appended("gitops/environments/prod/environment.yaml"));
    String function =
        change("fn", "gitops/functions/grader.yaml", appended("gitops/functions/grader.yaml"));
    String schema =
        change(
            "schema",
            "gitops/schema/environment.schema.json",
            appended("gitops/schema/environment.schema.json"));
    String argo =
        change(
            "argo", "gitops/argocd/grader-prod.yaml", appended("gitops/argocd/grader-prod.yaml"));
    String rendered =
        change("rendered", "gitops/rendered/prod/service-grader.yaml", "kind: Service\n");
    String deleted = change("deleted", "gitops/environments/dev", null);

    assertThat(script("fc-changed-envs", "main", prod).ok().stdout()).isEqualTo("prod\n");
    // both environments deploy the grader
    assertThat(script("fc-changed-envs", "main", function).ok().stdout()).isEqualTo("dev\nprod\n");
    assertThat(script("fc-changed-envs", "--json", "main", schema).ok().stdout())
        .isEqualTo("[\"dev\",\"prod\"]\n");
    assertThat(script("fc-changed-envs", "--json", "main", argo).ok().stdout()).isEqualTo("[]\n");
    assertThat(script("fc-changed-envs", "main", rendered).ok().stdout()).isEqualTo("prod\n");
    Shell.Result gone = script("fc-changed-envs", "main", deleted).ok();
    assertThat(gone.stdout()).isEmpty();
    assertThat(gone.stderr()).contains("dev: its environment file is gone in this change");
    // a branch's first push (before = forty zeros) and by hand
    assertThat(script("fc-changed-envs", "--json", "0".repeat(40), prod).ok().stdout())
        .isEqualTo("[\"dev\",\"prod\"]\n");
    assertThat(script("fc-changed-envs", "--json", "--only", "dev").ok().stdout())
        .isEqualTo("[\"dev\"]\n");
    Shell.Result unknown = script("fc-changed-envs", "--only", "staging");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.stderr())
        .contains("environment 'staging' has no file gitops/environments/staging/environment.yaml");
    Shell.Result injected = script("fc-changed-envs", "--only", "dev;rm");
    assertThat(injected.exitCode()).isEqualTo(1);
    assertThat(injected.stderr()).contains("'dev;rm' is not an environment name");
  }

  @Test
  void envPlatform_readsTheFile_andPullModeIsACommittedRendering() throws Exception {
    assertThat(script("fc-env-platform", "dev").ok().stdout()).isEqualTo("local\n");
    assertThat(script("fc-env-platform", "prod").ok().stdout()).isEqualTo("knative\n");
    assertThat(script("fc-env-platform", "--mode", "prod").ok().stdout()).isEqualTo("push\n");
    Files.createDirectories(ws.resolve("gitops/rendered/prod"));
    Files.writeString(ws.resolve("gitops/rendered/prod/kustomization.yaml"), "resources: []\n");
    assertThat(script("fc-env-platform", "--mode", "prod").ok().stdout()).isEqualTo("pull\n");
  }

  @Test
  void comment_isPostedOnce_thenEdited_perEnvironment_andSkippedForForks() throws Exception {
    env.put("GITHUB_REPOSITORY", REPO);
    env.put("PR_NUMBER", "7");
    Path dev = dir.resolve("comment-dev.md");
    Path prod = dir.resolve("comment-prod.md");
    Files.writeString(dev, "<!-- fc-toolkit-plan:dev -->\n### plan 1\n");
    Files.writeString(prod, "<!-- fc-toolkit-plan:prod -->\n### plan for prod\n");

    script("fc-comment", dev.toString()).ok();
    script("fc-comment", prod.toString()).ok();
    Files.writeString(dev, "<!-- fc-toolkit-plan:dev -->\n### plan 2\n");
    Shell.Result edited = script("fc-comment", dev.toString()).ok();

    assertThat(edited.stderr()).contains("updated comment 1000 on #7");
    assertThat(gh.comments())
        .containsExactly(
            "<!-- fc-toolkit-plan:dev -->\n### plan 2\n",
            "<!-- fc-toolkit-plan:prod -->\n### plan for prod\n");
    List<StubGh.Call> calls = gh.calls();
    assertThat(calls.get(0).args())
        .containsExactly(
            "api",
            "--paginate",
            "repos/acme/hello/issues/7/comments",
            "--jq",
            ".[] | select(.body | startswith(\"<!-- fc-toolkit-plan:dev -->\")) | .id");
    assertThat(calls.get(1).args())
        .containsExactly(
            "api", "--method", "POST", "repos/acme/hello/issues/7/comments", "-F", "body=@" + dev);
    assertThat(calls.get(1).body()).isEqualTo("<!-- fc-toolkit-plan:dev -->\n### plan 1\n");
    assertThat(calls.get(5).args())
        .containsExactly(
            "api",
            "--method",
            "PATCH",
            "repos/acme/hello/issues/comments/1000",
            "-F",
            "body=@" + dev);

    env.put("PR_HEAD_REPO", "someone/hello");
    Shell.Result fork = script("fc-comment", dev.toString()).ok();
    assertThat(fork.stderr()).contains("pull request from the fork someone/hello");
    assertThat(gh.calls()).hasSize(6);
  }

  @Test
  void comment_refusesABodyWithoutTheMarker() throws Exception {
    env.put("GITHUB_REPOSITORY", REPO);
    env.put("PR_NUMBER", "7");
    Path body = dir.resolve("body.md");
    Files.writeString(body, "### plan\n");
    Shell.Result result = script("fc-comment", body.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr())
        .contains("does not start with a <!-- fc-toolkit-plan:<env> --> marker");
    assertThat(gh.calls()).isEmpty();
  }

  @Test
  void openPullRequest_usesTheCommitsTitleAndBody_once() throws Exception {
    Shell.git(ws, env, "checkout", "-q", "-b", "fc/promote/prod/grader/prod");
    Shell.git(
        ws,
        env,
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "promote(prod): grader prod -> 2",
        "-m",
        "grader/prod in prod: 1 -> 2");
    Shell.git(ws, env, "checkout", "-q", "main");
    // outside GitHub Actions the repository comes from origin's address
    Shell.git(ws, env, "remote", "set-url", "origin", "git@github.com:acme/hello.git");

    Shell.Result first = script("fc-open-pr", "fc/promote/prod/grader/prod", "main").ok();
    Shell.Result second = script("fc-open-pr", "fc/promote/prod/grader/prod", "main").ok();

    assertThat(first.stderr()).contains("opened https://github.com/acme/hello/pull/1");
    assertThat(second.stderr())
        .contains(
            "a pull request for fc/promote/prod/grader/prod is already open: https://github.com/acme/hello/pull/1");
    List<StubGh.Call> calls = gh.calls();
    assertThat(calls).hasSize(3);
    assertThat(calls.get(0).args())
        .containsExactly(
            "api",
            "repos/acme/hello/pulls?head=acme:fc/promote/prod/grader/prod&state=open",
            "--jq",
            ".[0].html_url // empty");
    assertThat(calls.get(1).args())
        .containsExactly(
            "api",
            "--method",
            "POST",
            "repos/acme/hello/pulls",
            "-f",
            "head=fc/promote/prod/grader/prod",
            "-f",
            "base=main",
            "-f",
            "title=promote(prod): grader prod -> 2",
            "-f",
            "body=grader/prod in prod: 1 -> 2",
            "--jq",
            ".html_url");
  }

  @Test
  void apply_withRolloutWait_opensThePullRequestOfTheRevertItPushed_thenFails() throws Exception {
    // The revert fc:apply wrote and pushed after the rollout failed (the plugin's part is tested in
    // GitOpsRolloutRuntimeTest); here a stand-in Maven prints what the plugin prints for it.
    String branch = "fc/revert/dev/grader/dev";
    Shell.git(ws, env, "checkout", "-q", "-b", branch);
    Shell.git(
        ws,
        env,
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "revert(dev): grader dev -> 2026-12-01.1 (rollout of 2026-12-07.1 failed)",
        "-m",
        "Failed-Rollout: grader/dev 2026-12-07.1");
    Shell.git(ws, env, "checkout", "-q", "main");
    Path calls = dir.resolve("mvn-calls");
    Path mvn = dir.resolve("mvn");
    Files.writeString(
        mvn,
        "#!/bin/sh\n"
            + "echo \"$*\" >> '"
            + calls
            + "'\n"
            + "case \"$*\" in *fc:apply*)\n"
            + "  echo '[INFO] grader/dev v2: ROLLED_BACK: check errorRate failed'\n"
            + "  echo '[INFO] branch  "
            + branch
            + "'\n"
            + "  echo '[INFO] pushed  yes: open a pull request from "
            + branch
            + "'\n"
            + "  exit 1 ;;\n"
            + "esac\n");
    Files.setPosixFilePermissions(
        mvn, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    env.put("FC_MVN", mvn.toString());
    env.put("FC_LOCAL_STATE_DIR", dir.resolve("runtime").toString());
    env.put("GITHUB_REPOSITORY", REPO);
    env.put("FC_ROLLOUT_WAIT", "15m");

    Shell.Result applied = script("fc-apply", "dev", dir.resolve("out").toString());

    assertThat(applied.exitCode()).as(applied.stderr()).isNotZero();
    assertThat(applied.stderr()).contains("fc:apply of dev failed");
    assertThat(Files.readString(calls))
        .contains("fc:apply -Dfc.env=dev")
        .contains("-Dfc.apply.wait=15m")
        .contains("-Dfc.git.baseBranch=main")
        // a failed apply prints no status
        .doesNotContain("fc:status");
    assertThat(gh.calls())
        .anySatisfy(
            c ->
                assertThat(c.args())
                    .contains("head=" + branch, "base=main")
                    .contains(
                        "title=revert(dev): grader dev -> 2026-12-01.1 (rollout of 2026-12-07.1"
                            + " failed)"));

    env.put("FC_ROLLOUT_WAIT", "15m;reboot");
    Shell.Result refused = script("fc-apply", "dev", dir.resolve("out").toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.stderr()).contains("FC_ROLLOUT_WAIT takes a duration such as 15m");
  }

  @Test
  void checkEnvironment_refusesAMissingOne_andUnprotectedProduction() throws Exception {
    env.put("GITHUB_REPOSITORY", REPO);
    gh.environment("dev", 0);
    gh.environment("prod", 0);

    assertThat(script("fc-check-environment", "dev").ok().stderr())
        .contains("GitHub environment 'dev' exists (0 protection rule(s))");
    Shell.Result unprotected = script("fc-check-environment", "prod");
    assertThat(unprotected.exitCode()).isEqualTo(1);
    assertThat(unprotected.stderr())
        .contains("GitHub environment 'prod' has no required reviewers or wait timer");
    Shell.Result missing = script("fc-check-environment", "staging");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.stderr())
        .contains("GitHub environment 'staging' does not exist in acme/hello")
        .contains("a job would otherwise create it without protection");

    gh.environment("prod", 1);
    assertThat(script("fc-check-environment", "prod").ok().stderr())
        .contains("GitHub environment 'prod' exists (1 protection rule(s))");
    assertThat(gh.calls().get(0).args())
        .containsExactly(
            "api",
            "repos/acme/hello/environments/dev",
            "--jq",
            "[.protection_rules[]? | select(.type == \"required_reviewers\" or .type == \"wait_timer\")] | length");
  }

  private Map<String, Object> contexts(Map<String, Object> github, Map<String, Object> inputs) {
    Map<String, Object> contexts = new LinkedHashMap<>();
    Map<String, Object> gh = new LinkedHashMap<>(github);
    gh.putIfAbsent("repository", REPO);
    gh.putIfAbsent("repository_owner", "acme");
    gh.putIfAbsent("token", "ghs_test");
    contexts.put("github", gh);
    contexts.put("inputs", inputs);
    contexts.put("secrets", Map.of());
    contexts.put("vars", Map.of());
    return contexts;
  }

  @Test
  void planWorkflow_plansExactlyTheEnvironmentsThePullRequestTouches() throws Exception {
    WorkflowRunner plan = new WorkflowRunner(WORKFLOWS.resolve("gitops-plan.yml"));
    String head =
        change(
            "fc/promote/prod/grader/prod",
            "gitops/environments/prod/environment.yaml",
            appended("gitops/environments/prod/environment.yaml"));
    String base = Shell.git(ws, env, "rev-parse", "main").trim();
    Map<String, Object> contexts =
        contexts(
            Map.of(
                "event_name",
                "pull_request",
                "event",
                Map.of(
                    "pull_request",
                    Map.of("number", 7, "base", Map.of("sha", base), "head", Map.of("sha", head)))),
            Map.of());

    WorkflowRunner.Job job = plan.run("environments", contexts, ws, env);

    assertThat(job.succeeded()).as(job.log()).isTrue();
    assertThat(job.outputs()).containsEntry("envs", "[\"prod\"]");
    contexts.put("needs", Map.of("environments", Map.of("outputs", job.outputs())));
    assertThat(plan.jobRuns("plan", contexts)).isTrue();
    assertThat(plan.matrix("plan", "env", contexts)).containsExactly("prod");

    // A change outside the environments plans nothing
    String argo =
        change(
            "argo", "gitops/argocd/grader-prod.yaml", appended("gitops/argocd/grader-prod.yaml"));
    contexts.put(
        "github",
        Map.of(
            "event",
            Map.of(
                "pull_request", Map.of("base", Map.of("sha", base), "head", Map.of("sha", argo)))));
    WorkflowRunner.Job none = plan.run("environments", contexts, ws, env);
    contexts.put("needs", Map.of("environments", Map.of("outputs", none.outputs())));
    assertThat(plan.jobRuns("plan", contexts)).isFalse();
  }

  @Test
  void applyWorkflow_appliesTheChangedEnvironments_onlyInProtectedGitHubEnvironments()
      throws Exception {
    WorkflowRunner apply = new WorkflowRunner(WORKFLOWS.resolve("gitops-apply.yml"));
    String before = Shell.git(ws, env, "rev-parse", "main").trim();
    String after =
        change(
            "next",
            "gitops/environments/prod/environment.yaml",
            appended("gitops/environments/prod/environment.yaml"));
    Map<String, Object> push =
        contexts(
            Map.of(
                "event_name",
                "push",
                "sha",
                after,
                "ref_name",
                "main",
                "event",
                Map.of("before", before)),
            Map.of());

    // prod's GitHub environment exists but has no protection rule: refused before any apply
    gh.environment("prod", 0);
    WorkflowRunner.Job refused = apply.run("environments", push, ws, env);
    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.log())
        .contains("GitHub environment 'prod' has no required reviewers or wait timer");

    gh.environment("prod", 2);
    WorkflowRunner.Job job = apply.run("environments", push, ws, env);
    assertThat(job.succeeded()).as(job.log()).isTrue();
    assertThat(job.outputs()).containsEntry("envs", "[\"prod\"]");
    push.put("needs", Map.of("environments", Map.of("outputs", job.outputs())));
    assertThat(apply.matrix("apply", "env", push)).containsExactly("prod");

    // By hand: the chosen environment only, checked the same way (dev needs no rule)
    gh.environment("dev", 0);
    Map<String, Object> dispatch =
        contexts(Map.of("event_name", "workflow_dispatch"), Map.of("environment", "dev"));
    WorkflowRunner.Job chosen = apply.run("environments", dispatch, ws, env);
    assertThat(chosen.succeeded()).as(chosen.log()).isTrue();
    assertThat(chosen.outputs()).containsEntry("envs", "[\"dev\"]");
  }

  @Test
  void jenkinsfile_everyShStep_isPlainShell_thatDashParses() throws Exception {
    List<JenkinsSteps.ShStep> steps = JenkinsSteps.extract(ROOT.resolve("pipelines/Jenkinsfile"));
    assertThat(steps).hasSizeGreaterThanOrEqualTo(11);
    Map<String, String> groovy =
        Map.of("name", "prod", "base", "origin/main", "env.CHANGE_TARGET", "main");
    for (JenkinsSteps.ShStep step : steps) {
      String script = JenkinsSteps.render(step, groovy);
      JenkinsSteps.Result parsed = JenkinsSteps.dashParse(script, ws);
      assertThat(parsed.exitCode())
          .as("line " + step.line() + ": " + script + "\n" + parsed.stderr())
          .isZero();
      assertThat(script).as("line " + step.line()).doesNotContain("pipefail", "[[", "source ");
      // every script a step calls exists and is executable (bash by its own shebang)
      for (String word : script.split("[\\s'\"]+")) {
        if (word.startsWith("pipelines/scripts/")) {
          assertThat(ws.resolve(word)).as("line " + step.line()).isExecutable();
          assertThat(Files.readAllLines(ws.resolve(word)).get(0)).isEqualTo("#!/usr/bin/env bash");
        }
      }
    }
  }

  @Test
  void jenkinsPlan_onThePullRequestsFirstBuild_findsTheChangedEnvironmentsFromTheTarget()
      throws Exception {
    // Given a pull request's first build: Jenkins cloned only its branch (no origin/main yet) and
    // has no changeset to compare with
    String head =
        change(
            "PR-7",
            "gitops/environments/prod/environment.yaml",
            appended("gitops/environments/prod/environment.yaml"));
    Shell.git(ws, env, "push", "-q", "origin", "PR-7");
    Path agent = dir.resolve("agent");
    Shell.git(
        dir,
        env,
        "clone",
        "-q",
        "--single-branch",
        "--branch",
        "PR-7",
        remote.toString(),
        agent.toString());
    assertThat(Shell.git(agent, env, "branch", "-r")).doesNotContain("origin/main");
    List<JenkinsSteps.ShStep> steps = JenkinsSteps.extract(ROOT.resolve("pipelines/Jenkinsfile"));

    // When the Plan stage's sh steps run under dash
    JenkinsSteps.Result base =
        JenkinsSteps.dash(
            JenkinsSteps.render(
                JenkinsSteps.find(steps, "fc-pr-base"), Map.of("env.CHANGE_TARGET", "main")),
            agent,
            env);
    JenkinsSteps.Result envs =
        JenkinsSteps.dash(
            JenkinsSteps.render(
                JenkinsSteps.find(steps, "fc-changed-envs"), Map.of("base", base.stdout().trim())),
            agent,
            env);

    // Then the target was fetched and the environment the change touches is planned
    assertThat(base.exitCode()).as(base.stderr()).isZero();
    assertThat(base.stdout().trim()).isEqualTo("origin/main");
    assertThat(envs.exitCode()).as(envs.stderr()).isZero();
    assertThat(envs.stdout()).isEqualTo("prod\n");
    assertThat(Shell.git(agent, env, "rev-parse", "HEAD").trim()).isEqualTo(head);
  }
}
