package io.fctoolkit.maven.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipelines end to end, run by the invoker IT {@code src/it/pipelines} (its verify.groovy),
 * where the plugin is installed and Maven runs offline: a team's repository with a bare remote on
 * disk, two images of a hello function in a real registry, and the GitHub workflows' jobs run step
 * by step ({@link WorkflowRunner}) and the Jenkinsfile's sh steps run under dash ({@link
 * JenkinsSteps}), calling the real scripts and the real plugin on a real local runtime:
 *
 * <ol>
 *   <li>apply dev by hand: the alias goes live on blue (a runtime that outlives the jobs);
 *   <li>promote green by dispatch: the branch is pushed, the pull request requested from the API;
 *   <li>plan the pull request (GitHub and Jenkins): the comment body names the move;
 *   <li>merge, apply on the push (GitHub, then Jenkins again, which changes nothing): the alias
 *       moved to green on the runtime;
 *   <li>an invalid environment file fails its plan, and the comment says why.
 * </ol>
 */
public final class PipelineScenario {

  static final String REPO = "acme/hello";
  static final String BRANCH = "fc/promote/dev/hello/live";

  private final Path work;
  private final Path pipelines;
  private final Path remote;
  private final StubGh gh;
  private final Map<String, String> env = new HashMap<>();
  private final List<JenkinsSteps.ShStep> jenkins;
  private final Path runtimeState;
  private int checkouts;

  private PipelineScenario(Path work, Path pipelines, Path mavenHome, Path settings, Path repo)
      throws Exception {
    this.work = work;
    this.pipelines = pipelines;
    this.remote = work.resolve("remote.git");
    this.gh = StubGh.install(work);
    this.jenkins = JenkinsSteps.extract(pipelines.resolve("Jenkinsfile"));
    this.runtimeState = work.resolve("runtime-of-dev");
    env.put("PATH", gh.path());
    env.put("HOME", Files.createDirectories(work.resolve("home")).toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("STUB_GH_STATE", gh.stateVariable());
    env.put("GIT_AUTHOR_NAME", "Dana");
    env.put("GIT_AUTHOR_EMAIL", "dana@example.com");
    env.put("GIT_COMMITTER_NAME", "Dana");
    env.put("GIT_COMMITTER_EMAIL", "dana@example.com");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    // The plugin as the IT installed it; everything else from the outer build's local repository
    // (the IT settings mirror every repository there); a quick JIT for many short Maven runs.
    env.put(
        "FC_MVN",
        mavenHome.resolve("bin/mvn") + " -B -ntp -s " + settings + " -Dmaven.repo.local=" + repo);
    env.put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    // dev's runtime outlives the jobs (a self-hosted runner's), so the alias can be seen to move.
    env.put("FC_LOCAL_STATE_DIR", runtimeState.toString());
  }

  /**
   * Runs the scenario in {@code it}/scenario.
   *
   * @param it the IT project (pom.xml, src/)
   * @param image the registry repository holding the two builds
   * @param blue the first build's digest
   * @param green the second build's digest
   */
  public static void run(
      Path it, Path mavenHome, Path settings, Path repo, String image, String blue, String green)
      throws Exception {
    long start = System.nanoTime();
    Path work = Files.createDirectories(it.resolve("scenario"));
    Path pipelines = it.resolve("../../../../pipelines").normalize();
    PipelineScenario scenario = new PipelineScenario(work, pipelines, mavenHome, settings, repo);
    try {
      scenario.play(it, image, blue, green);
    } finally {
      scenario.stopRuntime();
      System.out.printf("pipelines scenario: %d s%n", (System.nanoTime() - start) / 1_000_000_000L);
    }
  }

  private void play(Path it, String image, String blue, String green) throws Exception {
    String initial = seed(it, image, blue, green);
    gh.environment("dev", 0);
    gh.environment("staging", 1);

    // 1. Apply dev by hand (workflow_dispatch): live -> blue
    WorkflowRunner apply =
        new WorkflowRunner(pipelines.resolve("github/workflows/gitops-apply.yml"));
    String applied = runApply(apply, dispatch(Map.of("environment", "dev")), "main");
    assertThat(applied).contains("live");
    assertThat(live(status())).as("after the first apply").endsWith(" blue");

    // 2. Promote green on live by dispatch: branch pushed, pull request requested
    WorkflowRunner promote =
        new WorkflowRunner(pipelines.resolve("github/workflows/gitops-promote.yml"));
    Path ws = checkout("main");
    WorkflowRunner.Job promoted =
        promote.run(
            "promote",
            contexts(
                Map.of("event_name", "workflow_dispatch", "ref_name", "main"),
                Map.of(
                    "environment",
                    "dev",
                    "alias",
                    "live",
                    "release",
                    "green",
                    "weight",
                    "",
                    "function",
                    "")),
            ws,
            env);
    assertThat(promoted.succeeded()).as(promoted.log()).isTrue();
    String branchTip = Shell.git(work, env, "ls-remote", remote.toString(), "refs/heads/" + BRANCH);
    assertThat(branchTip).as("the promotion branch on the remote").isNotBlank();
    String head = branchTip.split("\\s+")[0];
    StubGh.Call opened =
        gh.calls().stream()
            .filter(c -> c.has("--method", "POST", "repos/acme/hello/pulls"))
            .findFirst()
            .orElseThrow();
    assertThat(opened.args())
        .contains("head=" + BRANCH, "base=main", "title=promote(dev): hello live -> green");

    // 3. The pull request's plan: GitHub's job posts the comment body
    WorkflowRunner plan = new WorkflowRunner(pipelines.resolve("github/workflows/gitops-plan.yml"));
    Map<String, Object> pr =
        contexts(
            Map.of(
                "event_name",
                "pull_request",
                "event",
                Map.of(
                    "pull_request",
                    Map.of(
                        "number", 1,
                        "base", Map.of("sha", initial),
                        "head", Map.of("sha", head, "repo", Map.of("full_name", REPO))))),
            Map.of());
    List<Object> planned = runPlan(plan, pr, head, true);
    assertThat(planned).containsExactly("dev");
    String comment = gh.comments().get(0);
    assertThat(comment).startsWith("<!-- fc-toolkit-plan:dev -->").contains("green");

    // ... and Jenkins' Plan stage under dash (a first build: only the PR branch is cloned)
    Path agent = work.resolve("jenkins-pr");
    Shell.git(
        work,
        env,
        "clone",
        "-q",
        "--single-branch",
        "--branch",
        BRANCH,
        remote.toString(),
        agent.toString());
    Map<String, String> jenkinsEnv = jenkinsEnv(agent);
    String base = sh(agent, jenkinsEnv, "fc-pr-base", Map.of("env.CHANGE_TARGET", "main")).trim();
    String envs = sh(agent, jenkinsEnv, "fc-changed-envs", Map.of("base", base));
    assertThat(envs).isEqualTo("dev\n");
    JenkinsSteps.Result jenkinsPlan =
        JenkinsSteps.dash(
            JenkinsSteps.render(JenkinsSteps.find(jenkins, "fc-plan"), Map.of("name", "dev")),
            agent,
            jenkinsEnv);
    assertThat(jenkinsPlan.exitCode()).as(jenkinsPlan.stdout() + jenkinsPlan.stderr()).isZero();
    assertThat(Files.readString(Path.of(jenkinsEnv.get("FC_OUT")).resolve("comment-dev.md")))
        .startsWith("<!-- fc-toolkit-plan:dev -->")
        .contains("green");

    // 4. Merge the pull request; the push applies dev: live moves to green
    Path merger = checkout("main");
    Shell.git(merger, env, "fetch", "-q", "origin", BRANCH);
    Shell.git(merger, env, "merge", "-q", "--no-ff", "-m", "Merge pull request #1", "FETCH_HEAD");
    Shell.git(merger, env, "push", "-q", "origin", "main");
    String merged = Shell.git(merger, env, "rev-parse", "HEAD").trim();
    String before = live(status());
    Map<String, Object> push =
        contexts(
            Map.of(
                "event_name",
                "push",
                "sha",
                merged,
                "ref_name",
                "main",
                "event",
                Map.of("before", initial)),
            Map.of());
    String appliedMerge = runApply(apply, push, merged);
    assertThat(appliedMerge).contains("green");
    String after = live(status());
    assertThat(after)
        .as("the alias after the merge was applied")
        .isNotEqualTo(before)
        .endsWith(" green");

    // ... Jenkins' Apply stage under dash on the same commit changes nothing more
    Path main = checkout(merged);
    Map<String, String> mainEnv = jenkinsEnv(main);
    String changed = sh(main, mainEnv, "fc-changed-envs", Map.of("base", initial));
    assertThat(changed).isEqualTo("dev\n");
    assertThat(sh(main, mainEnv, "fc-env-platform", Map.of("name", "dev"))).isEqualTo("local\n");
    sh(main, mainEnv, "fc-apply", Map.of("name", "dev"));
    assertThat(live(status())).isEqualTo(after);

    // 5. An invalid environment file fails its plan, and the comment says why
    Path broken = checkout("main");
    Path staging = broken.resolve("gitops/environments/staging/environment.yaml");
    Files.writeString(
        staging,
        Files.readString(staging).replace("driftPolicy: fail", "driftPolicy: fail\nreplicas: 3"));
    Shell.git(broken, env, "commit", "-q", "-am", "staging: an unknown field");
    Shell.git(broken, env, "push", "-q", "origin", "HEAD:refs/heads/staging-field");
    String brokenHead = Shell.git(broken, env, "rev-parse", "HEAD").trim();
    Map<String, Object> brokenPr =
        contexts(
            Map.of(
                "event_name",
                "pull_request",
                "event",
                Map.of(
                    "pull_request",
                    Map.of(
                        "number",
                        2,
                        "base",
                        Map.of("sha", merged),
                        "head",
                        Map.of("sha", brokenHead)))),
            Map.of());
    int before5 = gh.comments().size();
    List<Object> failedEnvs = runPlan(plan, brokenPr, brokenHead, false);
    assertThat(failedEnvs).containsExactly("staging");
    assertThat(gh.comments()).hasSize(before5 + 1);
    assertThat(gh.comments().get(before5))
        .startsWith("<!-- fc-toolkit-plan:staging -->")
        .contains("plan FAILED for `staging`")
        .contains("unknown field 'replicas'");
  }

  /** The seed commit on main: the IT project, the pipelines, gitops/ with dev and staging. */
  private String seed(Path it, String image, String blue, String green) throws Exception {
    Shell.git(work, env, "init", "-q", "--bare", "-b", "main", remote.toString());
    Path seed = work.resolve("seed");
    Shell.git(work, env, "init", "-q", "-b", "main", seed.toString());
    Files.copy(it.resolve("pom.xml"), seed.resolve("pom.xml"));
    Shell.copyTree(it.resolve("src"), seed.resolve("src"));
    Shell.copyTree(pipelines, seed.resolve("pipelines"));
    Files.writeString(seed.resolve(".gitignore"), "target/\n");
    Path gitops = seed.resolve("gitops");
    Files.createDirectories(gitops.resolve("functions"));
    Files.writeString(
        gitops.resolve("functions/hello.yaml"),
        "apiVersion: fc-toolkit.io/v1\nkind: Function\nname: hello\nhandler: com.example.HelloWorld\n");
    Files.createDirectories(gitops.resolve("environments/dev"));
    Files.writeString(
        gitops.resolve("environments/dev/environment.yaml"),
        """
        apiVersion: fc-toolkit.io/v1
        kind: Environment
        name: dev
        platform:
          type: local
          insecureRegistry: true
        driftPolicy: overwrite
        functions:
          hello:
            releases:
              - id: blue
                image: %s@%s
              - id: green
                image: %s@%s
            aliases:
              - name: live
                release: blue
        """
            .formatted(image, blue, image, green));
    Files.createDirectories(gitops.resolve("environments/staging"));
    Files.writeString(
        gitops.resolve("environments/staging/environment.yaml"),
        """
        apiVersion: fc-toolkit.io/v1
        kind: Environment
        name: staging
        platform:
          type: knative
          context: staging
          namespace: hello
        bootstrapServers: kafka:9092
        driftPolicy: fail
        functions:
          hello:
            releases:
              - id: blue
                image: %s@%s
            aliases:
              - name: live
                release: blue
        """
            .formatted(image, blue));
    Shell.git(seed, env, "add", ".");
    Shell.git(seed, env, "commit", "-q", "-m", "hello on dev and staging");
    Shell.git(seed, env, "remote", "add", "origin", remote.toString());
    Shell.git(seed, env, "push", "-q", "origin", "main");
    return Shell.git(seed, env, "rev-parse", "HEAD").trim();
  }

  /** A fresh clone at {@code ref}, as actions/checkout makes one. */
  private Path checkout(String ref) throws Exception {
    Path ws = work.resolve("ws-" + (++checkouts));
    Shell.git(work, env, "clone", "-q", remote.toString(), ws.toString());
    if (!ref.equals("main")) {
      Shell.git(ws, env, "checkout", "-q", ref);
    }
    return ws;
  }

  private Map<String, Object> contexts(Map<String, Object> github, Map<String, Object> inputs) {
    Map<String, Object> contexts = new LinkedHashMap<>();
    Map<String, Object> g = new LinkedHashMap<>(github);
    g.putIfAbsent("repository", REPO);
    g.putIfAbsent("repository_owner", "acme");
    g.putIfAbsent("actor", "dana");
    g.putIfAbsent("token", "ghs_test");
    contexts.put("github", g);
    contexts.put("inputs", inputs);
    contexts.put("secrets", Map.of());
    contexts.put("vars", Map.of());
    return contexts;
  }

  private Map<String, Object> dispatch(Map<String, Object> inputs) {
    return contexts(Map.of("event_name", "workflow_dispatch", "ref_name", "main"), inputs);
  }

  /** gitops-apply's two jobs; returns the apply job's log. */
  private String runApply(WorkflowRunner apply, Map<String, Object> contexts, String ref)
      throws Exception {
    WorkflowRunner.Job environments = apply.run("environments", contexts, checkout(ref), env);
    assertThat(environments.succeeded()).as(environments.log()).isTrue();
    contexts.put("needs", Map.of("environments", Map.of("outputs", environments.outputs())));
    assertThat(apply.jobRuns("apply", contexts)).isTrue();
    StringBuilder log = new StringBuilder();
    for (Object name : apply.matrix("apply", "env", contexts)) {
      Map<String, Object> job = new LinkedHashMap<>(contexts);
      job.put("matrix", Map.of("env", name));
      WorkflowRunner.Job run = apply.run("apply", job, checkout(ref), env);
      assertThat(run.succeeded()).as(run.log()).isTrue();
      log.append(run.log());
    }
    return log.toString();
  }

  /** gitops-plan's two jobs on {@code head}; returns the environments planned. */
  private List<Object> runPlan(
      WorkflowRunner plan, Map<String, Object> contexts, String head, boolean succeeds)
      throws Exception {
    WorkflowRunner.Job environments = plan.run("environments", contexts, checkout(head), env);
    assertThat(environments.succeeded()).as(environments.log()).isTrue();
    contexts.put("needs", Map.of("environments", Map.of("outputs", environments.outputs())));
    List<Object> envs = plan.matrix("plan", "env", contexts);
    for (Object name : envs) {
      Map<String, Object> job = new LinkedHashMap<>(contexts);
      job.put("matrix", Map.of("env", name));
      WorkflowRunner.Job run = plan.run("plan", job, checkout(head), env);
      assertThat(run.succeeded()).as(run.log()).isEqualTo(succeeds);
      // the comment is posted whether the plan passed or failed
      assertThat(run.step("Post the plan on the pull request").outcome())
          .as(run.log())
          .isEqualTo("success");
    }
    return envs;
  }

  /** The environment a Jenkins agent gives the sh steps of this Jenkinsfile. */
  private Map<String, String> jenkinsEnv(Path workspace) throws Exception {
    Map<String, String> jenkinsEnv = new HashMap<>(env);
    jenkinsEnv.put("WORKSPACE", workspace.toString());
    jenkinsEnv.put("FC_GLOBAL_SETTINGS", workspace.resolve(".fc/settings.xml").toString());
    jenkinsEnv.put("FC_OUT", workspace.resolve(".fc/out").toString());
    jenkinsEnv.put("FC_PROTECTED_ENVIRONMENTS", "prod");
    JenkinsSteps.Result setup =
        JenkinsSteps.dash(
            JenkinsSteps.render(JenkinsSteps.find(jenkins, "fc-setup"), Map.of()),
            workspace,
            jenkinsEnv);
    assertThat(setup.exitCode()).as(setup.stderr()).isZero();
    return jenkinsEnv;
  }

  /** Runs the Jenkinsfile's sh step that calls {@code script} under dash; returns its stdout. */
  private String sh(
      Path workspace, Map<String, String> jenkinsEnv, String script, Map<String, String> groovy)
      throws Exception {
    JenkinsSteps.Result result =
        JenkinsSteps.dash(
            JenkinsSteps.render(JenkinsSteps.find(jenkins, script), groovy), workspace, jenkinsEnv);
    assertThat(result.exitCode())
        .as(result.script() + "\n" + result.stdout() + result.stderr())
        .isZero();
    return result.stdout();
  }

  /** What fc:status says about hello on dev's runtime: its lines between the header and the end. */
  private String status() throws Exception {
    Path ws = work.resolve("seed");
    String log =
        Shell.run(
                ws,
                env,
                "pipelines/scripts/fc-maven",
                "-N",
                "fc:status",
                "-Dfc.env=dev",
                "-Dfc.function=hello",
                "-Dfc.runtime.stateDir=" + runtimeState)
            .ok()
            .stdout();
    StringBuilder table = new StringBuilder();
    boolean inside = false;
    for (String line : log.split("\n")) {
      if (line.startsWith("[INFO] hello on ")) {
        inside = true;
      } else if (inside && line.startsWith("[INFO] ---")) {
        break;
      }
      if (inside) {
        table.append(line).append('\n');
      }
    }
    assertThat(table).as(log).isNotEmpty();
    return table.toString();
  }

  /** The version the alias live routes to and its release, from the status table: "v2 green". */
  private static String live(String status) {
    return status
        .lines()
        .map(line -> line.replaceFirst("^\\[INFO\\] ", "").strip())
        .filter(line -> line.matches("v\\d+ .*\\blive\\b.*"))
        .map(line -> line.split("\\s+"))
        // the version and its release: the figures between them change as instances come and go
        .map(cells -> cells[0] + " " + cells[cells.length - 1])
        .findFirst()
        .orElseThrow(() -> new AssertionError("no version serves alias live:\n" + status));
  }

  private void stopRuntime() throws Exception {
    Shell.run(
        work.resolve("seed"),
        env,
        "pipelines/scripts/fc-maven",
        "-q",
        "-N",
        "fc:local-stop",
        "-Dfc.runtime.stateDir=" + runtimeState);
  }
}
