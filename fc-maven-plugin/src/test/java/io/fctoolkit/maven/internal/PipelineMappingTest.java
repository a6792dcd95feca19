package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PipelineMappingTest {

  private static final Path PIPELINES = Path.of("../pipelines");

  @Test
  void target_mapsEachFolderWhereItsCiSystemLooks() {
    // Then
    assertThat(PipelineMapping.target("github/workflows/ci.yml", InitCi.GITHUB))
        .contains(".github/workflows/ci.yml");
    assertThat(PipelineMapping.target("github/workflows/ci.yml", InitCi.JENKINS)).isEmpty();
    assertThat(PipelineMapping.target("Jenkinsfile", InitCi.JENKINS)).contains("Jenkinsfile");
    assertThat(PipelineMapping.target("Jenkinsfile", InitCi.GITHUB)).isEmpty();
    assertThat(PipelineMapping.target("scripts/plan-envs.sh", InitCi.GITHUB))
        .contains("pipelines/scripts/plan-envs.sh");
    assertThat(PipelineMapping.target("scripts/plan-envs.sh", InitCi.JENKINS))
        .contains("pipelines/scripts/plan-envs.sh");
    assertThat(PipelineMapping.target("README.md", InitCi.GITHUB)).contains("pipelines/README.md");
    assertThat(PipelineMapping.target("README.md", InitCi.NONE)).isEmpty();
    // A file that only starts like a rule's file name is not that file.
    assertThat(PipelineMapping.target("Jenkinsfile.md", InitCi.GITHUB))
        .contains("pipelines/Jenkinsfile.md");
  }

  @Test
  void theRepositorysPipelines_github_everyWorkflowGoesToDotGithub() {
    // Given
    Map<String, Path> sources = InitPlan.tree(PIPELINES);
    assertThat(sources).as("the repository's pipelines/ folder").isNotEmpty();
    Set<String> targets = new TreeSet<>();
    // When
    sources.keySet().forEach(s -> PipelineMapping.target(s, InitCi.GITHUB).ifPresent(targets::add));
    // Then
    for (String source : sources.keySet()) {
      if (source.startsWith("github/")) {
        assertThat(targets).contains("." + source);
      }
    }
    assertThat(targets).contains("pipelines/README.md").doesNotContain("Jenkinsfile");
    assertThat(targets).noneMatch(t -> t.startsWith("pipelines/github/"));
  }

  @Test
  void theRepositorysPipelines_jenkins_theJenkinsfileAtTheTopAndNoWorkflow() {
    // Given
    Set<String> targets = new TreeSet<>();
    // When
    InitPlan.tree(PIPELINES)
        .keySet()
        .forEach(s -> PipelineMapping.target(s, InitCi.JENKINS).ifPresent(targets::add));
    // Then
    assertThat(targets).contains("Jenkinsfile", "pipelines/README.md");
    assertThat(targets).noneMatch(t -> t.startsWith(".github/"));
  }
}
