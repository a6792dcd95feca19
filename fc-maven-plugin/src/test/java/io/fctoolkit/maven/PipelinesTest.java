package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Checks pipelines/ (and fc-toolkit's own workflows in .ci/github): actions pinned by commit, least
 * privilege, no expression inside a shell step, the plugin's goals called through the scripts. The
 * scripts and steps themselves run in pipelines.PipelineScriptsTest and the IT src/it/pipelines.
 */
class PipelinesTest {

  private static final Path PIPELINES = Path.of("../pipelines");
  private static final Path TOOLKIT_WORKFLOWS = Path.of("../.ci/github");
  private static final Pattern USES = Pattern.compile("uses:\\s*(\\S+)@(\\S+)(.*)");

  private static List<Path> workflows() throws Exception {
    List<Path> all = new ArrayList<>();
    for (Path dir : List.of(PIPELINES.resolve("github/workflows"), TOOLKIT_WORKFLOWS)) {
      try (Stream<Path> files = Files.list(dir)) {
        all.addAll(files.filter(file -> file.toString().endsWith(".yml")).sorted().toList());
      }
    }
    return all;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws Exception {
    return (Map<String, Object>)
        new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
  }

  private static Map<String, Object> yaml(String name) throws Exception {
    return yaml(PIPELINES.resolve("github/workflows/" + name));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> jobs(Map<String, Object> workflow) {
    return (Map<String, Map<String, Object>>) workflow.get("jobs");
  }

  @Test
  void theWorkflowsATeamCopies_andTheToolkitsOwn() throws Exception {
    assertThat(workflows())
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "ci.yml",
            "gitops-apply.yml",
            "gitops-plan.yml",
            "gitops-promote.yml",
            "gitops-release.yml",
            "knative-e2e.yml",
            "toolkit-ci.yml");
  }

  @Test
  void everyAction_isPinnedByAFullCommitShaWithItsVersionInAComment() throws Exception {
    int actions = 0;
    for (Path workflow : workflows()) {
      for (String line : Files.readAllLines(workflow)) {
        Matcher uses = USES.matcher(line.trim().replaceFirst("^- ", ""));
        if (uses.matches()) {
          actions++;
          assertThat(uses.group(2)).as(workflow + ": " + line).matches("[0-9a-f]{40}");
          assertThat(uses.group(3)).as(workflow + ": " + line).matches("\\s+# v\\d+(\\.\\d+)*");
        }
      }
    }
    assertThat(actions).isGreaterThan(5);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyWorkflow_readsOnlyByDefault_andEveryShellStepIsShortWithoutExpressions()
      throws Exception {
    for (Path workflow : workflows()) {
      Map<String, Object> yaml = yaml(workflow);
      assertThat((Map<String, Object>) yaml.get("permissions"))
          .as(workflow + ": top-level permissions")
          .containsExactly(Map.entry("contents", "read"));
      for (Map.Entry<String, Map<String, Object>> job : jobs(yaml).entrySet()) {
        for (Map<String, Object> step : (List<Map<String, Object>>) job.getValue().get("steps")) {
          Object run = step.get("run");
          if (run == null) {
            continue;
          }
          String where = workflow.getFileName() + " " + job.getKey() + ": " + step.get("name");
          // Values reach the shell through env:, never spliced into the script (injection).
          assertThat(run.toString()).as(where).doesNotContain("${{");
          // Logic lives in pipelines/scripts (tested, shellchecked), not in the YAML.
          assertThat(run.toString().strip().lines().count()).as(where).isLessThanOrEqualTo(4);
        }
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void plan_runsOnPullRequestsTouchingGitops_forTheEnvironmentsOfTheDiff() throws Exception {
    Map<String, Object> plan = yaml("gitops-plan.yml");
    Map<String, Object> on = (Map<String, Object>) plan.get("on");
    assertThat((List<String>) ((Map<String, Object>) on.get("pull_request")).get("paths"))
        .containsExactly("gitops/**");
    Map<String, Object> job = jobs(plan).get("plan");
    assertThat((Map<String, Object>) job.get("permissions"))
        .containsEntry("pull-requests", "write")
        .containsEntry("contents", "read")
        .containsEntry("id-token", "write")
        .hasSize(3);
    assertThat(((Map<String, Object>) ((Map<String, Object>) job.get("strategy")).get("matrix")))
        .containsEntry("env", "${{ fromJSON(needs.environments.outputs.envs) }}");
    assertThat(Files.readString(PIPELINES.resolve("github/workflows/gitops-plan.yml")))
        .contains("pipelines/scripts/fc-plan \"$FC_ENV\"", "pipelines/scripts/fc-comment");
  }

  @Test
  @SuppressWarnings("unchecked")
  void apply_runsOnMain_oneAtATimePerEnvironment_inItsGitHubEnvironment() throws Exception {
    Map<String, Object> apply = yaml("gitops-apply.yml");
    Map<String, Object> on = (Map<String, Object>) apply.get("on");
    assertThat((List<String>) ((Map<String, Object>) on.get("push")).get("branches"))
        .containsExactly("main");
    Map<String, Object> input =
        (Map<String, Object>)
            ((Map<String, Object>)
                    ((Map<String, Object>) on.get("workflow_dispatch")).get("inputs"))
                .get("environment");
    // a choice of the repository's GitHub environments, not free text
    assertThat(input).containsEntry("type", "environment");
    Map<String, Object> job = jobs(apply).get("apply");
    assertThat(job).containsEntry("environment", "${{ matrix.env }}");
    assertThat((Map<String, Object>) job.get("concurrency"))
        .containsEntry("group", "gitops-apply-${{ matrix.env }}")
        .containsEntry("cancel-in-progress", false);
    assertThat(Files.readString(PIPELINES.resolve("github/workflows/gitops-apply.yml")))
        .contains("secrets.FC_KUBECONFIG }}", "pipelines/scripts/fc-apply \"$FC_ENV\"")
        .doesNotContain("KUBECONFIG_APPLY");
  }

  @Test
  @SuppressWarnings("unchecked")
  void promote_andRelease_endInAPullRequest() throws Exception {
    Map<String, Object> promote = yaml("gitops-promote.yml");
    Map<String, Object> inputs =
        (Map<String, Object>)
            ((Map<String, Object>)
                    ((Map<String, Object>) promote.get("on")).get("workflow_dispatch"))
                .get("inputs");
    assertThat(inputs).containsOnlyKeys("environment", "alias", "release", "weight", "function");
    assertThat((Map<String, Object>) jobs(promote).get("promote").get("permissions"))
        .containsExactly(Map.entry("contents", "write"), Map.entry("pull-requests", "write"));
    Map<String, Object> release = yaml("gitops-release.yml");
    assertThat(
            (List<String>)
                ((Map<String, Object>) ((Map<String, Object>) release.get("on")).get("push"))
                    .get("tags"))
        .containsExactly("v*");
    assertThat(Files.readString(PIPELINES.resolve("github/workflows/gitops-release.yml")))
        .contains("pipelines/scripts/fc-release");
  }

  @Test
  @SuppressWarnings("unchecked")
  void knativeEndToEnd_alsoRunsOnPullRequestsTouchingTheKnativeSupport() throws Exception {
    Map<String, Object> e2e = yaml(TOOLKIT_WORKFLOWS.resolve("knative-e2e.yml"));
    Map<String, Object> on = (Map<String, Object>) e2e.get("on");
    assertThat((List<String>) ((Map<String, Object>) on.get("pull_request")).get("paths"))
        .contains("fc-knative/**");
    assertThat(on).containsKeys("schedule", "workflow_dispatch");
  }

  @Test
  void jenkinsfile_hasTheSameStages_andNoneOfTheOldBugs() throws Exception {
    String jenkinsfile = Files.readString(PIPELINES.resolve("Jenkinsfile"));
    assertThat(jenkinsfile)
        .contains("stage('Verify')", "stage('Plan')", "stage('Apply')")
        .contains("stage('Promote')", "stage('Release')")
        .contains("string(name: 'PROMOTE_ENV'", "string(name: 'PROMOTE_WEIGHT'")
        .contains("pullRequest.comment(", "pullRequest.editComment(")
        .contains("disableConcurrentBuilds(abortPrevious: env.CHANGE_ID != null)")
        .contains(
            "withKubeconfig('fc-kubeconfig-plan', true)",
            "withKubeconfig(\"fc-kubeconfig-${name}\", false)")
        .contains("lock(resource: \"fc-apply-${name}\")");
    // pullRequest is a global of the GitHub plugin, never a script binding; changeset is empty
    // on a pull request's first build; pipefail is not sh (dash).
    assertThat(jenkinsfile).doesNotContain("binding.hasVariable", "changeset", "pipefail");
  }
}
