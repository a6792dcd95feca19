package io.fctoolkit.maven.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.PlatformBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitPlanTest {

  /** What the plugin's build packages under fc-init/: the repository's own folders. */
  @TempDir Path templates;

  @TempDir Path project;

  private Path templates() throws Exception {
    copy(Path.of("../pipelines"), templates.resolve("pipelines"));
    copy(Path.of("../gitops/schema"), templates.resolve("schema"));
    return templates;
  }

  private static void copy(Path from, Path to) throws Exception {
    for (Map.Entry<String, Path> file : InitPlan.tree(from).entrySet()) {
      Path target = to.resolve(file.getKey());
      Files.createDirectories(target.getParent());
      Files.copy(file.getValue(), target);
    }
  }

  private static FunctionConfig grader() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GREETING", "say \"hi\"\\n");
    env.put("LEVEL", "debug");
    return FunctionConfig.builder("grader", "com.example.Grader")
        .resources(new Resources(768, 4, Duration.ofSeconds(90)))
        .scaling(new Scaling(1, 6, Duration.ofMinutes(10), 2))
        .env(env)
        .publicInvoke(true)
        .build();
  }

  @Test
  void of_github_writesGitopsTheReaderAcceptsWithThePomsValues() throws Exception {
    // Given
    List<InitFile> files = InitPlan.of(grader(), InitCi.GITHUB, templates());
    // When
    InitWriter.write(project, files, false);
    GitOpsRepository repo = GitOpsRepository.open(project.resolve("gitops"));
    // Then
    FunctionConfig read = repo.function("grader").config();
    assertThat(read.handler()).isEqualTo("com.example.Grader");
    assertThat(read.resources()).isEqualTo(new Resources(768, 4, Duration.ofSeconds(90)));
    assertThat(read.scaling()).isEqualTo(new Scaling(1, 6, Duration.ofMinutes(10), 2));
    assertThat(read.env()).isEqualTo(grader().env());
    assertThat(read.publicInvoke()).isTrue();
    assertThat(repo.environment("dev").platform()).isInstanceOf(PlatformBinding.Local.class);
    assertThat(repo.environment("dev").function("grader")).isPresent();
    assertThat(repo.environment("prod").platform()).isInstanceOf(PlatformBinding.Knative.class);
    assertThat(paths(files))
        .contains(
            "gitops/functions/grader.yaml",
            "gitops/environments/dev/environment.yaml",
            "gitops/environments/prod/environment.yaml",
            "gitops/schema/function.schema.json",
            ".github/workflows/gitops-plan.yml",
            "pipelines/README.md")
        .doesNotContain("Jenkinsfile");
  }

  @Test
  void of_copiesEachPipelineFileVerbatim() throws Exception {
    // Given
    Path root = templates();
    // When
    List<InitFile> files = InitPlan.of(grader(), InitCi.JENKINS, root);
    // Then
    InitFile jenkinsfile =
        files.stream().filter(f -> f.path().equals("Jenkinsfile")).findFirst().orElseThrow();
    assertThat(jenkinsfile.content())
        .isEqualTo(Files.readAllBytes(Path.of("../pipelines/Jenkinsfile")));
    assertThat(paths(files)).noneMatch(p -> p.startsWith(".github/"));
  }

  @Test
  void of_none_writesOnlyGitops() throws Exception {
    // When
    List<InitFile> files = InitPlan.of(grader(), InitCi.NONE, templates());
    // Then
    assertThat(paths(files)).allMatch(p -> p.startsWith("gitops/"));
  }

  @Test
  void functionFile_minimalFunction_hasNoEnvAndNoPublic() {
    // When
    String yaml =
        InitPlan.functionFile(FunctionConfig.builder("hello", "com.example.Hello").build());
    // Then
    assertThat(yaml)
        .contains("name: hello\n", "handler: com.example.Hello\n", "timeout: 1m\n")
        .doesNotContain("env:", "public:");
  }

  @Test
  void duration_usesTheLargestWholeUnit() {
    assertThat(InitPlan.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(InitPlan.duration(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(InitPlan.duration(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(InitPlan.duration(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(InitPlan.duration(Duration.ofHours(2))).isEqualTo("2h");
  }

  @Test
  void scripts_areMarkedExecutable() {
    assertThat(InitFile.isScript("pipelines/scripts/a.sh", new byte[0])).isTrue();
    assertThat(InitFile.isScript("pipelines/x", "#!/bin/sh\n".getBytes(UTF_8))).isTrue();
    assertThat(InitFile.isScript("pipelines/README.md", "# x".getBytes(UTF_8))).isFalse();
  }

  private static List<String> paths(List<InitFile> files) {
    return files.stream().map(InitFile::path).toList();
  }
}
