package io.fctoolkit.core.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.TriggerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GitOpsRepositoryTest {

  static final Path PROJECT_GITOPS = Path.of("..", "gitops");

  @Test
  void open_projectGitops_readsGraderDevAndProd() {
    GitOpsRepository repo = GitOpsRepository.open(PROJECT_GITOPS);

    FunctionSpec grader = repo.function("grader");
    assertThat(grader.handler()).isEqualTo("io.fctoolkit.grader.GraderFunction");
    TriggerDecl submissions = grader.trigger("submissions").orElseThrow();
    TriggerSpec prodTrigger =
        submissions.toSpec("grader", "prod", repo.environment("prod").bootstrapServers());
    assertThat(prodTrigger.deadLetterTopic()).isEqualTo("submissions-dlq");
    assertThat(prodTrigger.onSuccessTopic()).isEqualTo("grades");
    assertThat(prodTrigger.ordering()).isEqualTo(Ordering.KEY);
    assertThat(prodTrigger.consumerGroup()).isEqualTo("fc-grader-submissions");
    assertThat(grader.config().env().get("GRADER_PHOTO_TOKEN"))
        .isEqualTo("${secret:grader-photos/token}");

    EnvironmentSpec dev = repo.environment("dev");
    assertThat(dev.platform()).isInstanceOf(PlatformBinding.Local.class);
    assertThat(dev.bootstrapServers()).isNull();
    assertThat(dev.driftPolicy()).isEqualTo(DriftPolicy.OVERWRITE);
    assertThat(dev.function("grader").orElseThrow().alias("dev").orElseThrow().release())
        .isEqualTo("dev");

    EnvironmentSpec prod = repo.environment("prod");
    assertThat(prod.platform()).isEqualTo(new PlatformBinding.Knative("prod", "grader"));
    assertThat(prod.driftPolicy()).isEqualTo(DriftPolicy.FAIL);
    assertThat(prod.function("grader").orElseThrow().trigger("submissions").orElseThrow().alias())
        .isEqualTo("prod");
  }

  static Stream<Path> validFiles() throws IOException {
    List<Path> files = new java.util.ArrayList<>();
    for (Path root : List.of(PROJECT_GITOPS, Fixtures.resource("valid"))) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(p -> p.toString().endsWith(".yaml"))
            .filter(
                p -> p.toString().contains("functions") || p.toString().contains("environments"))
            .forEach(files::add);
      }
    }
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void jsonSchema_acceptsEveryValidFile(Path file) {
    assertThat(SchemaSupport.validate(file)).isEmpty();
  }

  @Test
  void yamlLanguageServerComments_pointAtTheSchemas() throws IOException {
    for (Path file :
        List.of(
            PROJECT_GITOPS.resolve("functions/grader.yaml"),
            PROJECT_GITOPS.resolve("environments/dev/environment.yaml"),
            PROJECT_GITOPS.resolve("environments/prod/environment.yaml"))) {
      String first = Files.readAllLines(file).get(0);
      assertThat(first).startsWith("# yaml-language-server: $schema=");
      Path schema = file.getParent().resolve(first.substring(first.indexOf('=') + 1)).normalize();
      assertThat(schema).exists();
    }
  }

  @Test
  void open_invalidFunctionAndEnvironment_reportsAllErrorsOfAllFilesAtOnce(
      @org.junit.jupiter.api.io.TempDir Path dir) {
    Path root = Fixtures.copyValid(dir.resolve("gitops"));
    Fixtures.replace(
        root, Fixtures.GRADER, "  memoryMb: 512\n", "  memoryMb: 12\n  memroyMb: 512\n");
    Fixtures.replace(root, Fixtures.PROD, "driftPolicy: fail", "driftPolicy: never");
    Fixtures.replace(
        root, Fixtures.DEV, "        release: 2026-11-22.2\n", "        release: 2026-11-22.9\n");

    GitOpsValidationException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            GitOpsValidationException.class, () -> GitOpsRepository.open(root));

    assertThat(e.errors())
        .extracting(ValidationError::toString)
        .containsExactly(
            "environments/dev/environment.yaml:19:18: functions.grader.aliases[0].release: release"
                + " '2026-11-22.9' is not declared in this environment's releases; did you mean"
                + " '2026-11-22.1'? (fix: use one of 2026-11-21.1, 2026-11-22.1, 2026-11-22.2, or"
                + " add it under 'releases:')",
            "environments/prod/environment.yaml:10:14: driftPolicy: unknown driftPolicy 'never'"
                + " (fix: use one of fail, overwrite, report)",
            "functions/grader.yaml:6:13: resources.memoryMb: memoryMb 12 is out of range (fix: use a"
                + " whole number from 64 to 1048576)",
            "functions/grader.yaml:7:3: resources.memroyMb: unknown field 'memroyMb'; did you mean"
                + " 'memoryMb'? (fix: allowed here: memoryMb, concurrency, timeout)");
    assertThat(e.getMessage()).startsWith("4 errors in gitops files:");
  }

  @Test
  void locate_findsTheProjectGitopsFromAModuleDirectory() {
    assertThat(GitOpsRepository.locate(Path.of("..", "grader-function")))
        .isEqualTo(PROJECT_GITOPS.toAbsolutePath().normalize());
    assertThat(GitOpsRepository.locate(Path.of("")))
        .isEqualTo(PROJECT_GITOPS.toAbsolutePath().normalize());
  }

  @Test
  void projectDev_fromACleanClone_asksForADeploy_thenPlansAndAppliesTheDeployedBuild() {
    GitOpsRepository repo = GitOpsRepository.open(PROJECT_GITOPS);
    InMemoryPlatform platform = new InMemoryPlatform();

    Plan clean = new Planner(repo).plan("dev", platform);
    assertThat(clean.errors())
        .singleElement()
        .asString()
        .contains("grader release dev names its image by tag")
        .contains("deploy it (a deploy publishes the image");
    assertThat(clean.refusal()).isNotNull();

    // What fc:deploy does first: publish the build it made under the release id 'dev'.
    platform.publish(
        new io.fctoolkit.core.PublishRequest(
            repo.function("grader").config(),
            new io.fctoolkit.core.ImageSource.Archive(
                Path.of("target/jib-image.tar"), Fixtures.D1, "127.0.0.1:5000/fc/grader"),
            "dev"));
    ApplyReport report = new Applier(repo, event -> {}).apply("dev", platform);

    assertThat(report.succeeded()).isTrue();
    assertThat(platform.calls())
        .containsExactly(
            "publish grader dev", "putAlias grader/dev v1", "putTrigger grader/submissions -> dev");
    assertThat(
            platform
                .describe("grader")
                .orElseThrow()
                .trigger("submissions")
                .orElseThrow()
                .bootstrapServers())
        .as("no bootstrapServers in dev: the embedded broker")
        .isNull();
    assertThat(new Planner(repo).plan("dev", platform).hasChanges()).isFalse();
  }

  @Test
  void projectProd_onAPlatformWithoutKeyOrdering_isPlannedWithPartitionOrdering_andKeyIsRefused(
      @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    io.fctoolkit.core.PlatformCapabilities knativeLike =
        new io.fctoolkit.core.PlatformCapabilities(false, false, false, false);
    Plan plan =
        new Planner(GitOpsRepository.open(PROJECT_GITOPS))
            .plan("prod", new InMemoryPlatform(knativeLike));

    assertThat(plan.errors()).isEmpty();
    Plan.TriggerChange trigger = plan.triggers().get(0);
    assertThat(trigger.desired().ordering()).isEqualTo(Ordering.PARTITION);
    assertThat(trigger.desired().deadLetterTopic()).isEqualTo("submissions-dlq");

    Path copy = dir.resolve("gitops");
    try (Stream<Path> files = Files.walk(PROJECT_GITOPS)) {
      for (Path f : files.toList()) {
        Path to = copy.resolve(PROJECT_GITOPS.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Fixtures.replace(copy, Fixtures.PROD, "        ordering: partition\n", "");
    Plan refused =
        new Planner(GitOpsRepository.open(copy)).plan("prod", new InMemoryPlatform(knativeLike));

    assertThat(refused.errors())
        .singleElement()
        .asString()
        .contains("grader trigger submissions: ordering key is not supported by this platform")
        .contains(
            "'ordering: partition' on the trigger's binding in environments/prod/environment.yaml");
  }
}
