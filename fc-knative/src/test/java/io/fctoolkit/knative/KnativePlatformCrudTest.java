package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.Version;
import io.fctoolkit.knative.internal.KnativeKinds;
import io.fctoolkit.knative.internal.Kube;
import io.fctoolkit.knative.internal.Names;
import io.fctoolkit.knative.internal.SortedJson;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** KnativePlatform against fabric8's mock API server in CRUD mode. */
class KnativePlatformCrudTest {

  static final String NS = "grader";

  @RegisterExtension final CrudMock mock = new CrudMock();

  KubernetesMockServer server;
  KubernetesClient client;

  private final List<FcEvent> events = new ArrayList<>();
  private KnativePlatform platform;

  @BeforeEach
  void connect() {
    server = mock.mockServer();
    client = mock.client();
    platform =
        KnativePlatform.using(
            client,
            KnativeOptions.of(NS).withKafkaBootstrapServers("kafka.kafka.svc:9092"),
            events::add);
  }

  @AfterEach
  void close() {
    platform.close();
  }

  private static PublishRequest request(String digest, FunctionConfig config) {
    return new PublishRequest(
        config,
        new ImageSource.Registry(Grader.image(digest), false),
        "r-" + digest.substring(7, 13));
  }

  private PublishResult publish(String digest) {
    return platform.publish(request(digest, Grader.config()));
  }

  private GenericKubernetesResource get(
      io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind, String name) {
    return client.genericKubernetesResources(kind).inNamespace(NS).withName(name).get();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    return (Map<String, Object>) r.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> traffic() {
    return (List<Map<String, Object>>) spec(get(KnativeKinds.SERVICE, "grader")).get("traffic");
  }

  @SuppressWarnings("unchecked")
  private String templateName() {
    Map<String, Object> template =
        (Map<String, Object>) spec(get(KnativeKinds.SERVICE, "grader")).get("template");
    return (String) ((Map<String, Object>) template.get("metadata")).get("name");
  }

  /** Every object the platform wrote, read back from the server, validates against its CRD. */
  private void assertAllObjectsValidate() {
    assertThat(CrdSchemas.get().validateNamespace(client, NS)).isEmpty();
  }

  @Test
  void publish_newFunction_createsServiceWithRevisionV1PinnedByDigest() {
    PublishResult result = publish(Grader.DIGEST_1);

    assertThat(result.created()).isTrue();
    assertThat(result.version().number()).isEqualTo(1);
    assertThat(result.version().contentId())
        .isEqualTo(Version.contentId(Grader.DIGEST_1, Grader.config()));
    assertThat(templateName()).isEqualTo("grader-v1");
    String yaml = client.getKubernetesSerialization().asYaml(get(KnativeKinds.SERVICE, "grader"));
    assertThat(yaml)
        .contains("image: \"ghcr.io/fc-toolkit/grader@" + Grader.DIGEST_1 + "\"")
        .contains("containerConcurrency: 8")
        .contains("autoscaling.knative.dev/max-scale: \"8\"")
        .contains("path: \"/_fc/ready\"")
        .contains("timeoutSeconds: 40");
    assertThat(traffic())
        .singleElement()
        .satisfies(t -> assertThat(t).containsEntry("latestRevision", true));
    FunctionState state = platform.describe("grader").orElseThrow();
    assertThat(state.versions())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.imageDigest()).isEqualTo(Grader.DIGEST_1);
              assertThat(v.config()).isEqualTo(Grader.config());
              assertThat(v.releaseId()).isEqualTo("r-3c1f0e");
            });
    assertThat(platform.functions()).containsExactly("grader");
    assertAllObjectsValidate();
  }

  @Test
  void publish_unchangedContent_returnsTheExistingVersionWithoutANewRevision() {
    publish(Grader.DIGEST_1);
    String before = get(KnativeKinds.SERVICE, "grader").getMetadata().getResourceVersion();

    PublishResult again = publish(Grader.DIGEST_1);

    assertThat(again.created()).isFalse();
    assertThat(again.version().number()).isEqualTo(1);
    assertThat(get(KnativeKinds.SERVICE, "grader").getMetadata().getResourceVersion())
        .isEqualTo(before);
    assertThat(templateName()).isEqualTo("grader-v1");
    assertThat(events).anySatisfy(e -> assertThat(e.message()).startsWith("Content unchanged"));
  }

  @Test
  void publish_changedConfig_makesV2_whileTheAliasKeepsServingV1() {
    publish(Grader.DIGEST_1);
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));

    FunctionConfig more =
        Grader.config().toBuilder()
            .resources(new io.fctoolkit.core.Resources(1024, 8, Duration.ofSeconds(30)))
            .build();
    PublishResult v2 = platform.publish(request(Grader.DIGEST_1, more));

    assertThat(v2.created()).isTrue();
    assertThat(v2.version().number()).isEqualTo(2);
    assertThat(templateName()).isEqualTo("grader-v2");
    assertThat(traffic())
        .singleElement()
        .satisfies(
            t ->
                assertThat(t)
                    .containsEntry("revisionName", "grader-v1")
                    .containsEntry("percent", 100)
                    .containsEntry("tag", "prod"));
    assertAllObjectsValidate();
  }

  @SuppressWarnings("unchecked")
  private Map<String, String> templateEnv() {
    Map<String, Object> template =
        (Map<String, Object>) spec(get(KnativeKinds.SERVICE, "grader")).get("template");
    Map<String, Object> container =
        ((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers"))
            .get(0);
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
      env.put((String) e.get("name"), String.valueOf(e.get("value")));
    }
    return env;
  }

  @Test
  void publish_everyRevisionAnswersCloudEventsWithReplies_asPlatformEnvNotVersionContent() {
    // Given v1 and a trigger whose results go to an onSuccess topic through a Sequence
    publish(Grader.DIGEST_1);
    Map<String, String> v1Env = templateEnv();
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));
    String beforeTrigger = get(KnativeKinds.SERVICE, "grader").getMetadata().getResourceVersion();
    platform.putTrigger(Grader.submissions("prod"));

    // Then the reply settings are in the template whether or not a trigger has onSuccess, so
    // adding the trigger did not touch the Service (no new revision)
    assertThat(v1Env)
        .containsEntry("FC_FUNCTION_NAME", "grader")
        .containsEntry("FC_REPLY_CLOUDEVENTS", "true");
    assertThat(get(KnativeKinds.SERVICE, "grader").getMetadata().getResourceVersion())
        .isEqualTo(beforeTrigger);
    assertThat(get(KnativeKinds.SEQUENCE, "grader-submissions")).isNotNull();

    // When v2 is published, the settings are the same and the content id ignores them
    FunctionConfig more =
        Grader.config().toBuilder()
            .resources(new io.fctoolkit.core.Resources(1024, 8, Duration.ofSeconds(30)))
            .build();
    PublishResult v2 = platform.publish(request(Grader.DIGEST_1, more));

    assertThat(templateName()).isEqualTo("grader-v2");
    assertThat(templateEnv())
        .containsEntry("FC_FUNCTION_NAME", "grader")
        .containsEntry("FC_REPLY_CLOUDEVENTS", "true");
    assertThat(v2.version().contentId()).isEqualTo(Version.contentId(Grader.DIGEST_1, more));
    assertAllObjectsValidate();
  }

  @Test
  void publish_functionEnvSettingAHostVariable_isRefusedAndNothingIsApplied() {
    Map<String, String> env = new java.util.HashMap<>(Grader.config().env());
    env.put("FC_REPLY_CLOUDEVENTS", "false");
    FunctionConfig config = Grader.config().toBuilder().env(env).build();

    assertThatThrownBy(() -> platform.publish(request(Grader.DIGEST_1, config)))
        .isInstanceOf(UnsupportedOnKnativeException.class)
        .hasMessageContaining("function.env.FC_REPLY_CLOUDEVENTS")
        .hasMessageContaining("reserved");
    assertThat(get(KnativeKinds.SERVICE, "grader")).isNull();
  }

  @Test
  void promote_withCanary_splitsTheDefaultRoute_andRollbackRestoresIt() {
    publish(Grader.DIGEST_1);
    publish(Grader.DIGEST_2);
    Alias prod = platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));
    platform.putAlias(new AliasUpdate("grader", "dev", AliasTarget.of(2), 0L));

    Alias canary =
        platform.putAlias(
            new AliasUpdate(
                "grader",
                "prod",
                AliasTarget.canary(1, 2, new BigDecimal("12.5"), Affinity.NONE),
                prod.revision()));

    assertThat(canary.revision()).isEqualTo(2);
    assertThat(canary.previous()).isEqualTo(AliasTarget.of(1));
    assertThat(traffic())
        .extracting(t -> t.get("revisionName") + "/" + t.get("percent") + "/" + t.get("tag"))
        .containsExactly("grader-v1/87/prod", "grader-v2/13/null", "grader-v2/0/dev");
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.level()).isEqualTo(FcEvent.Level.WARN);
              assertThat(e.message()).contains("12.5% becomes 13%");
            });
    assertAllObjectsValidate();

    // Rollback: point the alias at its previous target, guarded by the revision just read.
    Alias current = platform.describe("grader").orElseThrow().alias("prod").orElseThrow();
    Alias rolledBack =
        platform.putAlias(
            new AliasUpdate("grader", "prod", current.previous(), current.revision()));

    assertThat(rolledBack.target()).isEqualTo(AliasTarget.of(1));
    assertThat(rolledBack.revision()).isEqualTo(3);
    assertThat(traffic())
        .extracting(t -> t.get("revisionName") + "/" + t.get("percent") + "/" + t.get("tag"))
        .containsExactly("grader-v1/100/prod", "grader-v2/0/dev");
  }

  @Test
  void appliedObjects_haveTheSameSpecsAsTheRenderedOnes() {
    platform.publish(
        new PublishRequest(
            Grader.config(),
            new ImageSource.Registry(Grader.image(Grader.DIGEST_1), false),
            "2026-11-21.1"));
    platform.publish(
        new PublishRequest(
            Grader.config(),
            new ImageSource.Registry(Grader.image(Grader.DIGEST_2), false),
            "2026-11-22.1"));
    platform.putAlias(
        new AliasUpdate(
            "grader", "prod", AliasTarget.canary(1, 2, new BigDecimal("12.5"), Affinity.NONE), 0L));
    platform.putAlias(new AliasUpdate("grader", "staging", AliasTarget.of(2), 0L));
    RenderInput prod = Grader.prod();
    KnativePlatform prodKafka =
        KnativePlatform.using(
            client,
            KnativeOptions.of(NS).withKafkaBootstrapServers(prod.kafkaBootstrapServers()),
            events::add);
    prod.triggers().forEach(prodKafka::putTrigger);

    for (RenderedManifests.Manifest m : KnativeRenderer.render(prod).manifests()) {
      GenericKubernetesResource applied = get(KnativeKinds.of(m.apiVersion(), m.kind()), m.name());
      assertThat(applied).as(m.fileName()).isNotNull();
      // Through JSON text, so 40 and 40L compare equal as they would on the wire.
      Object appliedSpec = SortedJson.read(SortedJson.write(spec(applied)), Map.class);
      Object renderedSpec = SortedJson.read(SortedJson.write(m.object().get("spec")), Map.class);
      assertThat(appliedSpec).as(m.fileName()).isEqualTo(renderedSpec);
    }
  }

  @Test
  void describe_trafficChangedOutsideFcToolkit_isReportedAsDrift() {
    publish(Grader.DIGEST_1);
    publish(Grader.DIGEST_2);
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));
    assertThat(platform.drift("grader")).isEmpty();

    GenericKubernetesResource service = get(KnativeKinds.SERVICE, "grader");
    spec(service)
        .put(
            "traffic", List.of(Map.of("revisionName", "grader-v2", "percent", 100, "tag", "prod")));
    client
        .genericKubernetesResources(KnativeKinds.SERVICE)
        .inNamespace(NS)
        .resource(service)
        .update();

    assertThat(platform.drift("grader"))
        .singleElement()
        .satisfies(d -> assertThat(d).contains("grader-v2").contains("but the aliases say"));
    platform.describe("grader");
    assertThat(events)
        .anySatisfy(e -> assertThat(e.message()).startsWith("Service grader drifted"));

    // The next fc-toolkit write restores what the aliases say.
    platform.putAlias(new AliasUpdate("grader", "dev", AliasTarget.of(2), 0L));
    assertThat(platform.drift("grader")).isEmpty();
  }

  @Test
  void putAlias_rounding_isWarnedOnceNotOnEveryWrite() {
    publish(Grader.DIGEST_1);
    publish(Grader.DIGEST_2);
    platform.putAlias(
        new AliasUpdate(
            "grader", "prod", AliasTarget.canary(1, 2, new BigDecimal("12.5"), Affinity.NONE), 0L));
    platform.putAlias(new AliasUpdate("grader", "dev", AliasTarget.of(2), 0L));
    platform.publish(request(Grader.DIGEST_3, Grader.config()));

    assertThat(events).filteredOn(e -> e.message().contains("12.5% becomes 13%")).hasSize(1);
  }

  @Test
  void putAlias_staleRevision_isAConflictNamingBothRevisions() {
    publish(Grader.DIGEST_1);
    publish(Grader.DIGEST_2);
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(2), 1L));

    assertThatThrownBy(
            () -> platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 1L)))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> {
              assertThat(e.expectedRevision()).isEqualTo(1L);
              assertThat(e.actualRevision()).isEqualTo(2L);
              assertThat(e.getMessage())
                  .contains("alias grader/prod")
                  .contains("revision 1")
                  .contains("revision 2");
            });
    assertThatThrownBy(
            () -> platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L)))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void apply_staleResourceVersion_isAConflict() {
    publish(Grader.DIGEST_1);
    GenericKubernetesResource service = get(KnativeKinds.SERVICE, "grader");
    String stale = service.getMetadata().getResourceVersion();
    publish(Grader.DIGEST_2); // another writer moves the Service on

    Map<String, Object> manifest =
        client.getKubernetesSerialization().convertValue(service, Map.class);
    String now = get(KnativeKinds.SERVICE, "grader").getMetadata().getResourceVersion();
    assertThat(now).isNotEqualTo(stale);
    assertThatThrownBy(() -> new Kube(client, NS).apply(manifest, stale))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("services.serving.knative.dev/grader in namespace grader")
                  .contains("expected resourceVersion " + stale)
                  .contains("it is at resourceVersion " + now);
              assertThat(e.expectedRevision()).isEqualTo(Long.parseLong(stale));
              assertThat(e.actualRevision()).isEqualTo(Long.parseLong(now));
            });
  }

  @Test
  void putAlias_keyAffinity_isRefusedAndNothingIsApplied() {
    publish(Grader.DIGEST_1);
    publish(Grader.DIGEST_2);
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));
    String before = get(KnativeKinds.SERVICE, "grader").getMetadata().getResourceVersion();

    assertThatThrownBy(
            () ->
                platform.putAlias(
                    new AliasUpdate(
                        "grader",
                        "prod",
                        AliasTarget.canary(1, 2, BigDecimal.TEN, Affinity.KEY),
                        1L)))
        .isInstanceOf(UnsupportedOnKnativeException.class)
        .hasMessageContaining("alias.prod.affinity");
    assertThat(get(KnativeKinds.SERVICE, "grader").getMetadata().getResourceVersion())
        .isEqualTo(before);
  }

  @Test
  void putAlias_missingVersion_isNotFound() {
    publish(Grader.DIGEST_1);
    assertThatThrownBy(
            () -> platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(4), 0L)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("grader v4");
  }

  @Test
  void publish_archiveImage_isRefusedWithAClearMessage() {
    PublishRequest archive =
        new PublishRequest(
            Grader.config(),
            new ImageSource.Archive(Path.of("target/jib-image.tar"), Grader.DIGEST_1, Grader.REPO),
            null);
    assertThatThrownBy(() -> platform.publish(archive))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo("image");
              assertThat(e.getMessage()).contains("Knative needs a registry image");
            });
    assertThat(platform.describe("grader")).isEmpty();
  }

  @Test
  void trigger_createAndUpdate_keepsTheConsumerGroup() {
    publish(Grader.DIGEST_1);
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));
    TriggerSpec created = platform.putTrigger(Grader.submissions("prod"));

    GenericKubernetesResource source = get(KnativeKinds.KAFKA_SOURCE, "grader-submissions");
    assertThat(spec(source))
        .containsEntry("consumerGroup", "fc-grader-submissions")
        .containsEntry("ordering", "ordered")
        .containsEntry("initialOffset", "earliest")
        .containsEntry("consumers", 4);
    assertThat(get(KnativeKinds.KAFKA_SINK, "grader-submissions-dlq")).isNotNull();
    assertThat(get(KnativeKinds.KAFKA_SINK, "grader-submissions-result")).isNotNull();
    assertThat(get(KnativeKinds.SEQUENCE, "grader-submissions")).isNotNull();
    assertThat(events)
        .anySatisfy(e -> assertThat(e.message()).contains("ordering 'key' is not expressible"));
    assertAllObjectsValidate();

    TriggerSpec updated =
        created.toBuilder()
            .retry(new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(4)))
            .onSuccessTopic(null)
            .build();
    platform.putTrigger(updated);

    source = get(KnativeKinds.KAFKA_SOURCE, "grader-submissions");
    assertThat(spec(source)).containsEntry("consumerGroup", "fc-grader-submissions");
    @SuppressWarnings("unchecked")
    Map<String, Object> delivery = (Map<String, Object>) spec(source).get("delivery");
    assertThat(delivery).containsEntry("retry", 2).containsEntry("backoffDelay", "PT1S");
    // Without onSuccess the source calls the Service directly and the Sequence is gone.
    assertThat(spec(source).get("sink").toString()).contains("kind=Service");
    assertThat(get(KnativeKinds.SEQUENCE, "grader-submissions")).isNull();
    assertThat(get(KnativeKinds.KAFKA_SINK, "grader-submissions-result")).isNull();
    assertThat(platform.describe("grader").orElseThrow().trigger("submissions").orElseThrow())
        .isEqualTo(updated);
    assertAllObjectsValidate();
  }

  @Test
  void trigger_onNonPrimaryAlias_callsTheTagAddress() {
    publish(Grader.DIGEST_1);
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));
    platform.putAlias(new AliasUpdate("grader", "staging", AliasTarget.of(1), 0L));
    platform.putTrigger(Grader.submissions("staging").toBuilder().onSuccessTopic(null).build());

    assertThat(spec(get(KnativeKinds.KAFKA_SOURCE, "grader-submissions")))
        .containsEntry("sink", Map.of("uri", "http://staging-grader.grader.svc.cluster.local"));
  }

  @Test
  void delete_triggerAliasAndVersion_inTheOrderDependenciesAllow() {
    publish(Grader.DIGEST_1);
    publish(Grader.DIGEST_2);
    publish(Grader.DIGEST_3);
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(2), 0L));
    platform.putTrigger(Grader.submissions("prod"));

    assertThatThrownBy(() -> platform.deleteAlias("grader", "prod", 1L))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("trigger submissions");
    assertThatThrownBy(() -> platform.deleteVersion("grader", 2))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("in use by alias prod");
    assertThatThrownBy(() -> platform.deleteVersion("grader", 3))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("current template");

    platform.deleteTrigger("grader", "submissions");
    assertThat(get(KnativeKinds.KAFKA_SOURCE, "grader-submissions")).isNull();
    assertThat(get(KnativeKinds.SEQUENCE, "grader-submissions")).isNull();
    assertThat(get(KnativeKinds.KAFKA_SINK, "grader-submissions-dlq")).isNull();
    assertThat(get(KnativeKinds.KAFKA_SINK, "grader-submissions-result")).isNull();
    assertThatThrownBy(() -> platform.deleteTrigger("grader", "submissions"))
        .isInstanceOf(NotFoundException.class);

    platform.deleteAlias("grader", "prod", 1L);
    platform.deleteVersion("grader", 1);
    FunctionState state = platform.describe("grader").orElseThrow();
    assertThat(state.aliases()).isEmpty();
    assertThat(state.versions()).extracting(Version::number).containsExactly(2, 3);
    assertThat(traffic())
        .singleElement()
        .satisfies(t -> assertThat(t).containsEntry("latestRevision", true));
  }

  @Test
  void publish_revisionThatFails_isTakenBackWithTheReason() {
    publish(Grader.DIGEST_1);
    createRevision("grader-v2", "False", "ContainerMissing", "Back-off pulling image");
    KnativePlatform waiting =
        KnativePlatform.using(
            client, KnativeOptions.of(NS).withReadyTimeout(Duration.ofSeconds(10)), events::add);

    assertThatThrownBy(() -> waiting.publish(request(Grader.DIGEST_2, Grader.config())))
        .isInstanceOf(RevisionNotReadyException.class)
        .hasMessageContaining("grader-v2")
        .hasMessageContaining("Back-off pulling image");

    assertThat(platform.describe("grader").orElseThrow().versions())
        .extracting(Version::number)
        .containsExactly(1);
    assertThat(templateName()).isEqualTo("grader-v1");
    assertThat(get(KnativeKinds.REVISION, "grader-v2")).isNull();
  }

  @Test
  void publish_revisionThatBecomesReady_isKept() {
    createRevision("grader-v1", "True", null, null);
    KnativePlatform waiting =
        KnativePlatform.using(
            client, KnativeOptions.of(NS).withReadyTimeout(Duration.ofSeconds(10)), events::add);
    assertThat(waiting.publish(request(Grader.DIGEST_1, Grader.config())).created()).isTrue();
    assertThat(waiting.objects("grader"))
        .extracting(io.fctoolkit.core.PlatformObject::toString)
        .contains("Revision/grader-v1 Ready=TRUE");
  }

  @Test
  void putAlias_toAFailedRevision_isRefused() {
    publish(Grader.DIGEST_1);
    publish(Grader.DIGEST_2);
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));
    createRevision("grader-v2", "False", "ExitCode3", "function failed to load");

    assertThatThrownBy(
            () ->
                platform.putAlias(
                    new AliasUpdate(
                        "grader",
                        "prod",
                        AliasTarget.canary(1, 2, BigDecimal.TEN, Affinity.NONE),
                        1L)))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining(
            "revision grader-v2 is not Ready (ExitCode3: function failed to load)");
    assertThat(platform.describe("grader").orElseThrow().alias("prod").orElseThrow().revision())
        .isEqualTo(1);
  }

  @Test
  void metrics_readTriggerStateFromConditions() {
    publish(Grader.DIGEST_1);
    platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));
    platform.putTrigger(Grader.submissions("prod"));
    GenericKubernetesResource source = get(KnativeKinds.KAFKA_SOURCE, "grader-submissions");
    source
        .getAdditionalProperties()
        .put(
            "status",
            Map.of(
                "conditions",
                List.of(
                    Map.of(
                        "type",
                        "Ready",
                        "status",
                        "False",
                        "reason",
                        "InitialOffsetsNotCommitted",
                        "message",
                        "topic submissions not found"))));
    client
        .genericKubernetesResources(KnativeKinds.KAFKA_SOURCE)
        .inNamespace(NS)
        .resource(source)
        .update();

    FunctionMetrics metrics = platform.metrics("grader");

    assertThat(metrics.triggers())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.state()).isEqualTo("FAILED");
              assertThat(t.lastError()).contains("topic submissions not found");
            });
    assertThat(metrics.versions()).extracting(v -> v.version()).containsExactly(1);
  }

  @Test
  void invoke_throughAnAlias_usesTheUrlKnativeReports() throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    java.util.concurrent.atomic.AtomicReference<String> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    http.createContext(
        "/",
        exchange -> {
          seen.set(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          byte[] body = exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("fc-version", "1");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.start();
    try {
      publish(Grader.DIGEST_1);
      platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L));
      String url = "http://127.0.0.1:" + http.getAddress().getPort();
      GenericKubernetesResource service = get(KnativeKinds.SERVICE, "grader");
      service
          .getAdditionalProperties()
          .put(
              "status",
              Map.of(
                  "url",
                  url,
                  "traffic",
                  List.of(
                      Map.of(
                          "tag",
                          "prod",
                          "url",
                          url,
                          "revisionName",
                          "grader-v1",
                          "percent",
                          100))));
      client
          .genericKubernetesResources(KnativeKinds.SERVICE)
          .inNamespace(NS)
          .resource(service)
          .update();

      InvokeResponse response =
          platform.invoke(InvokeRequest.json("grader", "prod", "{\"submissionId\":\"s1\"}"));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.bodyText()).isEqualTo("{\"submissionId\":\"s1\"}");
      assertThat(response.version()).isEqualTo(1);
      assertThat(seen.get()).isEqualTo("POST /");
      // fc:invoke as curl: the method, path and query reach the function's route
      platform.invoke(
          new InvokeRequest(
              "grader", "prod", "PUT", "/items/a%20b?x=1", new byte[0], Map.of(), null));
      assertThat(seen.get()).isEqualTo("PUT /items/a%20b?x=1");
      assertThatThrownBy(() -> platform.invoke(InvokeRequest.json("grader", "1", "{}")))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("invoke through an alias");
    } finally {
      http.stop(0);
    }
  }

  private void createRevision(String name, String ready, String reason, String message) {
    Map<String, Object> condition = new java.util.TreeMap<>();
    condition.put("type", "Ready");
    condition.put("status", ready);
    if (reason != null) {
      condition.put("reason", reason);
      condition.put("message", message);
    }
    GenericKubernetesResource revision = new GenericKubernetesResource();
    revision.setApiVersion(Names.SERVING_API);
    revision.setKind("Revision");
    revision.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .build());
    revision.getAdditionalProperties().put("status", Map.of("conditions", List.of(condition)));
    client
        .genericKubernetesResources(KnativeKinds.REVISION)
        .inNamespace(NS)
        .resource(revision)
        .create();
  }
}
