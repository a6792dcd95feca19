package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.gitops.Applier;
import io.fctoolkit.core.gitops.ApplyReport;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.core.gitops.Plan;
import io.fctoolkit.core.gitops.PlanRenderer;
import io.fctoolkit.core.gitops.Planner;
import io.fctoolkit.knative.internal.KnativeKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's own gitops files (functions/grader.yaml, environments/prod) planned and applied by
 * fc-gitops' Planner and Applier onto KnativePlatform, against the mock API server in CRUD mode.
 */
class GitOpsOnKnativeCrudTest {

  @RegisterExtension final CrudMock mock = new CrudMock();

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void useMock() {
    server = mock.mockServer();
    client = mock.client();
  }

  @TempDir Path gitops;

  private final List<FcEvent> events = new ArrayList<>();

  private void copyGitops() throws IOException {
    Path source = Path.of("..", "gitops");
    for (String dir : List.of("functions", "environments", "schema")) {
      try (Stream<Path> files = Files.walk(source.resolve(dir))) {
        for (Path file : files.toList()) {
          Path target = gitops.resolve(source.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        }
      }
    }
  }

  private KnativePlatform platform() {
    return KnativePlatform.using(client, KnativeOptions.of("grader"), events::add);
  }

  @Test
  void grader_withKeyOrdering_isRefusedByThePlanBecauseKnativeHasNoKeyOrdering()
      throws IOException {
    copyGitops();
    Path environment = gitops.resolve("environments/prod/environment.yaml");
    Files.writeString(
        environment, Files.readString(environment).replace("ordering: partition", "ordering: key"));
    Plan plan = new Planner(GitOpsRepository.open(gitops)).plan("prod", platform());

    assertThat(plan.refusal()).contains("ordering key is not supported");
  }

  private Plan planWithRollout(String rollout) throws IOException {
    copyGitops();
    Path environment = gitops.resolve("environments/prod/environment.yaml");
    String text = Files.readString(environment);
    String with = text.replaceFirst("(?m)^(\\s+)release: (\\S+)$", "$1release: $2\n$1" + rollout);
    assertThat(with).contains(rollout);
    Files.writeString(environment, with);
    return new Planner(GitOpsRepository.open(gitops)).plan("prod", platform());
  }

  @Test
  void grader_withRollout_planSaysWhatFlaggerWillDoAndWarnsPerField() throws IOException {
    Plan plan = planWithRollout("rollout:");

    assertThat(plan.refusal()).isNull();
    String at = "grader alias prod: functions.grader.aliases[0].rollout";
    assertThat(plan.warnings())
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith(at + ": Flagger runs this rollout")
                    .contains("canary weights [10, 50]%", "rollback after 60 failed checks")
                    .contains("request-success-rate >= 99", "samples >= 100"))
        .anySatisfy(w -> assertThat(w).startsWith(at + ".minSamples: "))
        .anySatisfy(w -> assertThat(w).startsWith(at + ".gates.maxDeadLetterRate: "))
        .anySatisfy(w -> assertThat(w).startsWith(at + ": no key affinity"));
    assertThat(PlanRenderer.text(plan)).contains("Flagger runs this rollout");
  }

  @Test
  void grader_withRolloutFlaggerCannotRun_isRefusedAtTheField() throws IOException {
    Plan plan = planWithRollout("rollout:\n          onInconclusive: hold");

    assertThat(plan.refusal())
        .contains("grader alias prod: functions.grader.aliases[0].rollout.onInconclusive");
  }

  @Test
  void grader_rolloutOfANewRelease_isRefusedByApplyBeforeAnythingIsPublished() throws IOException {
    // Given: the committed state applied, then Git rolls out a new release
    copyGitops();
    KnativePlatform platform = platform();
    new Applier(GitOpsRepository.open(gitops), events::add).apply("prod", platform).throwIfFailed();
    Path environment = gitops.resolve("environments/prod/environment.yaml");
    String image =
        "ghcr.io/fc-toolkit/grader@sha256:"
            + "9a4e2d7c1b0f3e6a5d8c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e";
    String text =
        Files.readString(environment)
            .replace(
                "    aliases:\n      - name: prod\n        release: 2026-11-21.1",
                "      - id: 2026-12-07.1\n        image: "
                    + image
                    + "\n    aliases:\n      - name: prod\n        release: 2026-12-07.1\n"
                    + "        rollout:");
    assertThat(text).contains("release: 2026-12-07.1");
    Files.writeString(environment, text);
    GitOpsRepository repo = GitOpsRepository.open(gitops);

    // When / Then
    assertThatThrownBy(() -> new Applier(repo, events::add).apply("prod", platform))
        .isInstanceOf(FcException.class)
        .hasMessageContaining("alias grader/prod has a rollout")
        .hasMessageContaining("nothing was applied");
    assertThat(platform.describe("grader").orElseThrow().versions()).hasSize(1);
  }

  @Test
  void grader_asCommitted_isPlannedAppliedAndThenUpToDate() throws IOException {
    copyGitops();
    GitOpsRepository repo = GitOpsRepository.open(gitops);
    KnativePlatform platform = platform();

    Plan plan = new Planner(repo).plan("prod", platform);
    assertThat(plan.refusal()).isNull();
    assertThat(plan.hasChanges()).isTrue();
    ApplyReport report = new Applier(repo, events::add).apply(plan, platform).throwIfFailed();
    assertThat(report.succeeded()).isTrue();

    FunctionState state = platform.describe("grader").orElseThrow();
    assertThat(state.versions())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.releaseId()).isEqualTo("2026-11-21.1");
              assertThat(v.config().env())
                  .containsEntry("GRADER_PHOTO_TOKEN", "${secret:grader-photos/token}");
            });
    assertThat(state.alias("prod").orElseThrow().target()).isEqualTo(AliasTarget.of(1));
    assertThat(state.trigger("submissions").orElseThrow().ordering()).isEqualTo(Ordering.PARTITION);
    GenericKubernetesResource source =
        client
            .genericKubernetesResources(KnativeKinds.KAFKA_SOURCE)
            .inNamespace("grader")
            .withName("grader-submissions")
            .get();
    assertThat(source.getAdditionalProperties().get("spec").toString())
        .contains("bootstrapServers=[kafka-0.kafka.svc:9092, kafka-1.kafka.svc:9092]")
        .contains("consumerGroup=fc-grader-submissions")
        .contains("ordering=ordered");
    for (var kind :
        List.of(
            KnativeKinds.SERVICE,
            KnativeKinds.KAFKA_SOURCE,
            KnativeKinds.KAFKA_SINK,
            KnativeKinds.SEQUENCE)) {
      for (GenericKubernetesResource r :
          client.genericKubernetesResources(kind).inNamespace("grader").list().getItems()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object = client.getKubernetesSerialization().convertValue(r, Map.class);
        assertThat(CrdSchemas.get().validate(object))
            .as(r.getKind() + " " + r.getMetadata().getName())
            .isEmpty();
      }
    }

    Plan again = new Planner(repo).plan("prod", platform);
    assertThat(again.hasChanges()).as(PlanRenderer.text(again)).isFalse();

    // Promotion by pull request: a second release as a 12.5% canary of prod.
    Path env = gitops.resolve("environments/prod/environment.yaml");
    Files.writeString(
        env,
        Files.readString(env)
            .replace(
                "    aliases:\n      - name: prod\n        release: 2026-11-21.1\n",
                "      - id: 2026-11-22.1\n"
                    + "        image: ghcr.io/fc-toolkit/grader@"
                    + Grader.DIGEST_2
                    + "\n"
                    + "    aliases:\n"
                    + "      - name: prod\n"
                    + "        release: 2026-11-21.1\n"
                    + "        canaryRelease: 2026-11-22.1\n"
                    + "        weight: 12.5\n"));
    repo = GitOpsRepository.open(gitops);
    Plan canary = new Planner(repo).plan("prod", platform);
    assertThat(canary.refusal()).as(PlanRenderer.text(canary)).isNull();
    // The planner rounds for a platform without decimal weights and says so in the plan.
    assertThat(PlanRenderer.text(canary)).contains("12.5% is rounded to 13%");
    new Applier(repo, events::add).apply(canary, platform).throwIfFailed();

    assertThat(platform.describe("grader").orElseThrow().alias("prod").orElseThrow().target())
        .hasToString("v1 + canary v2 at 13%");
    GenericKubernetesResource service =
        client
            .genericKubernetesResources(KnativeKinds.SERVICE)
            .inNamespace("grader")
            .withName("grader")
            .get();
    assertThat(service.getAdditionalProperties().get("spec").toString())
        .contains("percent=87, revisionName=grader-v1, tag=prod")
        .contains("percent=13, revisionName=grader-v2");
    assertThat(new Planner(repo).plan("prod", platform).hasChanges()).isFalse();
  }
}
