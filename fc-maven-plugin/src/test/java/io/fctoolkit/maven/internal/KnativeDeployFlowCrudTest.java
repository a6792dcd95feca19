package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.gitops.EnvironmentSpec;
import io.fctoolkit.core.gitops.FunctionSpec;
import io.fctoolkit.core.gitops.GitOpsRepository;
import io.fctoolkit.knative.CrdSchemas;
import io.fctoolkit.knative.CrudMock;
import io.fctoolkit.knative.KnativeOptions;
import io.fctoolkit.knative.KnativePlatform;
import io.fctoolkit.knative.internal.KnativeKinds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * fc:deploy, fc:promote and fc:rollback (their flows, without Maven) on KnativePlatform against
 * fabric8's mock API server in CRUD mode, with the project's own gitops/ (the grader and its {@code
 * prod} environment, {@code platform: knative}); every object written validates against the real
 * Knative CRD schemas.
 */
class KnativeDeployFlowCrudTest {

  static final String NS = "grader";
  static final String REPO = "127.0.0.1:5000/fc/grader";
  static final String DIGEST_1 =
      "sha256:1111111111111111111111111111111111111111111111111111111111111111";
  static final String DIGEST_2 =
      "sha256:2222222222222222222222222222222222222222222222222222222222222222";

  @RegisterExtension final CrudMock mock = new CrudMock();

  KubernetesMockServer server;
  KubernetesClient client;

  private final List<FcEvent> events = new ArrayList<>();
  private KnativePlatform platform;
  private GitOpsRepository gitops;
  private EnvironmentSpec prod;
  private FunctionSpec grader;

  @BeforeEach
  void connect() {
    server = mock.mockServer();
    client = mock.client();
    gitops = GitOpsRepository.open(Path.of("..", "gitops"));
    prod = gitops.environment("prod");
    grader = gitops.function("grader");
    // As AbstractFcMojo.connect builds it from the environment file.
    platform =
        KnativePlatform.using(
            client,
            KnativeOptions.of(NS).withKafkaBootstrapServers(prod.bootstrapServers()),
            events::add);
  }

  @AfterEach
  void close() {
    platform.close();
  }

  private static ImageSource image(String digest) {
    return new ImageSource.Registry(ImageRef.byDigest(REPO, digest), true);
  }

  private DeployFlow.Result deploy(FunctionConfig config, String digest, String alias) {
    List<TriggerSpec> triggers = DeployFlow.triggers(Optional.of(grader), prod, alias);
    return new DeployFlow(platform, events::add, DeployFlow.Steps.untimed())
        .run(
            new DeployFlow.Request(
                config,
                image(digest),
                DeployFlow.releaseId(prod, "grader", alias, digest),
                alias,
                triggers));
  }

  private DeployFlow.Result deploy(String digest) {
    return deploy(grader.config(), digest, "prod");
  }

  private GenericKubernetesResource get(
      io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind, String name) {
    return client.genericKubernetesResources(kind).inNamespace(NS).withName(name).get();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> traffic() {
    return (List<Map<String, Object>>)
        map(get(KnativeKinds.SERVICE, "grader").getAdditionalProperties().get("spec"))
            .get("traffic");
  }

  private String templateName() {
    Map<String, Object> spec =
        map(get(KnativeKinds.SERVICE, "grader").getAdditionalProperties().get("spec"));
    return (String) map(map(spec.get("template")).get("metadata")).get("name");
  }

  private void assertAllObjectsValidate() {
    assertThat(CrdSchemas.get().validateNamespace(client, NS)).isEmpty();
  }

  @Test
  void deploy_createsRevisionV1ByDigest_tagsTheAlias_andCreatesTheKafkaSource() {
    // When
    DeployFlow.Result result = deploy(DIGEST_1);

    // Then
    assertThat(result.published().created()).isTrue();
    assertThat(result.published().version().number()).isEqualTo(1);
    assertThat(templateName()).isEqualTo("grader-v1");
    assertThat(
            map(get(KnativeKinds.SERVICE, "grader").getAdditionalProperties().get("spec"))
                .toString())
        .contains("image=" + REPO + "@" + DIGEST_1);
    assertThat(traffic())
        .anySatisfy(
            t -> {
              assertThat(t).containsEntry("tag", "prod").containsEntry("revisionName", "grader-v1");
            });
    assertThat(result.alias().target()).isEqualTo(AliasTarget.of(1));
    assertThat(result.invokeUrl()).isEqualTo("http://prod-grader.grader.svc.cluster.local");
    assertThat(result.triggers())
        .singleElement()
        .asString()
        .startsWith("submissions (topic submissions -> prod)")
        .doesNotContain("NOT applied");
    Map<String, Object> source =
        map(
            get(KnativeKinds.KAFKA_SOURCE, "grader-submissions")
                .getAdditionalProperties()
                .get("spec"));
    assertThat(source)
        .containsEntry("consumerGroup", "fc-grader-submissions")
        .containsEntry("ordering", "ordered") // prod binds ordering: partition
        .containsEntry(
            "bootstrapServers", List.of("kafka-0.kafka.svc:9092", "kafka-1.kafka.svc:9092"));
    assertAllObjectsValidate();
  }

  @Test
  void redeploy_ofTheSameImageAndConfiguration_writesNoNewRevision() {
    deploy(DIGEST_1);
    String resourceVersion = get(KnativeKinds.SERVICE, "grader").getMetadata().getResourceVersion();

    // When
    DeployFlow.Result again = deploy(DIGEST_1);

    // Then
    assertThat(again.published().created()).isFalse();
    assertThat(again.published().version().number()).isEqualTo(1);
    assertThat(again.alias().revision()).isEqualTo(1);
    assertThat(templateName()).isEqualTo("grader-v1");
    assertThat(get(KnativeKinds.SERVICE, "grader").getMetadata().getResourceVersion())
        .isEqualTo(resourceVersion);
    assertThat(events)
        .extracting(FcEvent::message)
        .contains("No new version: v1 already has this image and configuration");
    assertAllObjectsValidate();
  }

  @Test
  void deploy_ofANewDigest_publishesV2AndMovesTheAliasFromV1() {
    deploy(DIGEST_1);

    // When
    DeployFlow.Result second = deploy(DIGEST_2);

    // Then
    assertThat(second.published().version().number()).isEqualTo(2);
    assertThat(templateName()).isEqualTo("grader-v2");
    assertThat(second.alias().target()).isEqualTo(AliasTarget.of(2));
    assertThat(second.alias().previous()).isEqualTo(AliasTarget.of(1));
    assertThat(traffic())
        .anySatisfy(
            t ->
                assertThat(t)
                    .containsEntry("tag", "prod")
                    .containsEntry("revisionName", "grader-v2"));
    assertAllObjectsValidate();
  }

  @Test
  void deploy_ofACommittedRelease_publishesUnderItsGitReleaseId() {
    String committed = prod.function("grader").orElseThrow().releases().get(0).image().digest();

    DeployFlow.Result result = deploy(committed);

    assertThat(result.published().version().releaseId()).isEqualTo("2026-11-21.1");
    assertThat(DeployFlow.releaseId(prod, "grader", "prod", DIGEST_2)).isNull();
    // a local environment's moving, tag-named release takes any build of its alias
    assertThat(DeployFlow.releaseId(gitops.environment("dev"), "grader", "dev", DIGEST_2))
        .isEqualTo("dev");
  }

  @Test
  void promote_withACanary_routesWholePercentsAndSaysHowItRounded() {
    deploy(DIGEST_1);
    deploy(grader.config(), DIGEST_2, "next"); // v2 behind its own tag, prod stays on v1
    events.clear();

    // When
    String line =
        new AliasFlow(platform, events::add)
            .promote("grader", "prod", 2, null, "12.5", "none", null);

    // Then
    assertThat(line).contains("(routed 87/13 %: whole percents only, 12.5 % rounded to 13 %)");
    assertThat(events)
        .filteredOn(e -> e.level() == FcEvent.Level.WARN)
        .extracting(FcEvent::message)
        .anyMatch(m -> m.contains("12.5 % rounded to 13 %"));
    FunctionState state = platform.describe("grader").orElseThrow();
    assertThat(state.alias("prod").orElseThrow().target().canaryVersion()).isEqualTo(2);
    assertThat(traffic())
        .anySatisfy(t -> assertThat(t).containsEntry("tag", "prod").containsEntry("percent", 87))
        .anySatisfy(
            t ->
                assertThat(t)
                    .containsEntry("revisionName", "grader-v2")
                    .containsEntry("percent", 13)
                    .doesNotContainKey("tag"));
    assertAllObjectsValidate();
  }

  @Test
  void rollback_pointsTheAliasBackAtItsPreviousTarget() {
    deploy(DIGEST_1);
    deploy(DIGEST_2);

    // When
    String line = new AliasFlow(platform, events::add).rollback("grader", "prod", null);

    // Then
    assertThat(line).startsWith("Rolled back alias prod of grader: v2 -> v1");
    assertThat(platform.describe("grader").orElseThrow().alias("prod").orElseThrow().target())
        .isEqualTo(AliasTarget.of(1));
    assertThat(traffic())
        .anySatisfy(
            t ->
                assertThat(t)
                    .containsEntry("tag", "prod")
                    .containsEntry("revisionName", "grader-v1"));
    assertAllObjectsValidate();
  }

  @Test
  void redeploy_withAChangedTrigger_updatesTheKafkaSourceAndKeepsItsConsumerGroup() {
    deploy(DIGEST_1);
    String uid = get(KnativeKinds.KAFKA_SOURCE, "grader-submissions").getMetadata().getUid();
    List<TriggerSpec> changed =
        DeployFlow.triggers(Optional.of(grader), prod, "prod").stream()
            .map(t -> t.toBuilder().ordering(Ordering.NONE).build())
            .toList();

    // When
    new DeployFlow(platform, events::add, DeployFlow.Steps.untimed())
        .run(new DeployFlow.Request(grader.config(), image(DIGEST_1), null, "prod", changed));

    // Then
    GenericKubernetesResource source = get(KnativeKinds.KAFKA_SOURCE, "grader-submissions");
    assertThat(source.getMetadata().getUid()).isEqualTo(uid);
    assertThat(map(source.getAdditionalProperties().get("spec")))
        .containsEntry("consumerGroup", "fc-grader-submissions")
        .containsEntry("ordering", "unordered");
    assertThat(events)
        .extracting(FcEvent::message)
        .anyMatch(m -> m.startsWith("Updated trigger grader/submissions"))
        .noneMatch(m -> m.contains("consumer group changes"));
    assertAllObjectsValidate();
  }

  @Test
  void deploy_ofALocalArchive_isRefusedNamingTheImageParameter_andWritesNothing() {
    ImageSource archive =
        new ImageSource.Archive(Path.of("target/fc/image.tar"), DIGEST_1, "grader");

    assertThatThrownBy(
            () ->
                new DeployFlow(platform, events::add, DeployFlow.Steps.untimed())
                    .run(new DeployFlow.Request(grader.config(), archive, null, "prod", List.of())))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("needs a registry image")
        .satisfies(
            e ->
                assertThat(((InvalidRequestException) e).describe())
                    .contains("<image>")
                    .contains("-Dfc.image="));
    assertThat(get(KnativeKinds.SERVICE, "grader")).isNull();
  }

  @Test
  void requireRegistryTarget_refusesAnArchiveBuildForAKnativeEnvironment_beforeTheBuild() {
    assertThatThrownBy(() -> DeployFlow.requireRegistryTarget(prod, true))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("environment 'prod' (environments/prod/environment.yaml)")
        .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("image"));
    DeployFlow.requireRegistryTarget(prod, false);
    DeployFlow.requireRegistryTarget(gitops.environment("dev"), true); // local: archives are fine
  }
}
