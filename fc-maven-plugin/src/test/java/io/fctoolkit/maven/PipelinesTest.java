package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Checks pipelines/: actions pinned by commit, the plugin's goals called in batch mode. */
class PipelinesTest {

  private static final Path PIPELINES = Path.of("../pipelines");
  private static final Pattern USES = Pattern.compile("uses:\\s*(\\S+)@(\\S+)(.*)");

  private static List<Path> workflows() throws Exception {
    try (Stream<Path> files = Files.list(PIPELINES.resolve("github/workflows"))) {
      return files.filter(file -> file.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String name) throws Exception {
    return (Map<String, Object>)
        new Load(LoadSettings.builder().build())
            .loadFromString(Files.readString(PIPELINES.resolve("github/workflows/" + name)));
  }

  @Test
  void everyAction_isPinnedByAFullCommitShaWithItsVersionInAComment() throws Exception {
    assertThat(workflows()).hasSize(3);
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
  void plan_runsOnPullRequestsTouchingGitops_andMayComment() throws Exception {
    Map<String, Object> plan = yaml("gitops-plan.yml");
    Map<String, Object> on = (Map<String, Object>) plan.get("on");
    assertThat((List<String>) ((Map<String, Object>) on.get("pull_request")).get("paths"))
        .containsExactly("gitops/**");
    assertThat((Map<String, Object>) plan.get("permissions"))
        .containsEntry("pull-requests", "write")
        .containsEntry("contents", "read");
    assertThat(Files.readString(PIPELINES.resolve("github/workflows/gitops-plan.yml")))
        .contains("./mvnw -B -N fc:plan -Dfc.env=${{ matrix.env }}");
  }

  @Test
  @SuppressWarnings("unchecked")
  void apply_runsOnMainOnly_oneAtATime() throws Exception {
    Map<String, Object> apply = yaml("gitops-apply.yml");
    Map<String, Object> on = (Map<String, Object>) apply.get("on");
    assertThat((List<String>) ((Map<String, Object>) on.get("push")).get("branches"))
        .containsExactly("main");
    Map<String, Object> job =
        (Map<String, Object>) ((Map<String, Object>) apply.get("jobs")).get("apply");
    assertThat((Map<String, Object>) job.get("concurrency"))
        .containsEntry("cancel-in-progress", false);
    assertThat(Files.readString(PIPELINES.resolve("github/workflows/gitops-apply.yml")))
        .contains("./mvnw -B -N fc:apply -Dfc.env=");
  }

  @Test
  void jenkinsfile_hasTheSameStages() throws Exception {
    String jenkinsfile = Files.readString(PIPELINES.resolve("Jenkinsfile"));
    assertThat(jenkinsfile)
        .contains("stage('Verify')", "stage('Integration tests')", "stage('Plan')")
        .contains("stage('Apply')", "fc:plan -Dfc.env=", "fc:apply -Dfc.env=prod")
        .contains("changeset 'gitops/**'", "pullRequest.comment");
    assertThat(jenkinsfile.lines().filter(line -> line.contains("./mvnw ")))
        .allSatisfy(line -> assertThat(line).contains("./mvnw -B"));
  }
}
