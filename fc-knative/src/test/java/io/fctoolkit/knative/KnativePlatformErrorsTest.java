package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.knative.internal.Ledger;
import io.fctoolkit.knative.internal.Names;
import io.fctoolkit.knative.internal.VersionEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KnativePlatform against fabric8's mock API server in expectations mode: failures say what. */
@EnableKubernetesMockClient(https = false)
class KnativePlatformErrorsTest {

  static final String SERVICE_PATH =
      "/apis/serving.knative.dev/v1/namespaces/grader/services/grader";
  static final String APPLY_PATH = SERVICE_PATH + "?fieldManager=fc-toolkit&force=true";

  KubernetesMockServer server;

  private KubernetesClient client;
  private final List<FcEvent> events = new ArrayList<>();
  private KnativePlatform platform;

  @BeforeEach
  void connect() {
    connect(30_000);
  }

  /** No client-side retries, so each failure surfaces at once. */
  private void connect(int requestTimeoutMs) {
    if (client != null) {
      client.close();
    }
    client =
        server.createClient(
            b ->
                b.editOrNewConfig()
                    .withRequestRetryBackoffLimit(0)
                    .withRequestTimeout(requestTimeoutMs)
                    .endConfig());
    platform = KnativePlatform.using(client, KnativeOptions.of("grader"), events::add);
  }

  @AfterEach
  void close() {
    platform.close();
    client.close();
  }

  private static Status status(int code, String reason, String message) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withCode(code)
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  private static GenericKubernetesResource service(String resourceVersion) {
    GenericKubernetesResource service = new GenericKubernetesResource();
    service.setApiVersion(Names.SERVING_API);
    service.setKind("Service");
    service.setMetadata(
        new ObjectMetaBuilder()
            .withName("grader")
            .withNamespace("grader")
            .withResourceVersion(resourceVersion)
            .addToAnnotations(
                Names.ANN_VERSIONS,
                Ledger.writeVersions(
                    List.of(
                        VersionEntry.of(
                            1, Grader.image(Grader.DIGEST_1), null, Instant.EPOCH, Grader.config()),
                        VersionEntry.of(
                            2,
                            Grader.image(Grader.DIGEST_2),
                            null,
                            Instant.EPOCH,
                            Grader.config()))))
            .build());
    service.getAdditionalProperties().put("spec", Map.of());
    return service;
  }

  private PublishRequest publishRequest() {
    return new PublishRequest(
        Grader.config(), new ImageSource.Registry(Grader.image(Grader.DIGEST_3), false), null);
  }

  @Test
  void forbidden_namesTheOperationAndHowToFixIt() {
    server
        .expect()
        .get()
        .withPath(SERVICE_PATH)
        .andReturn(
            403,
            status(
                403,
                "Forbidden",
                "services.serving.knative.dev \"grader\" is forbidden: User \"ci\" cannot get"
                    + " resource \"services\""))
        .always();

    assertThatThrownBy(() -> platform.describe("grader"))
        .isInstanceOfSatisfying(
            KnativeForbiddenException.class,
            e -> {
              assertThat(e.operation())
                  .isEqualTo("get services.serving.knative.dev/grader in namespace grader");
              assertThat(e.getMessage()).contains("User \"ci\" cannot get");
              assertThat(e.hint()).contains("Role and RoleBinding");
            });
  }

  @Test
  void conflictThatPersists_isReportedWithBothResourceVersions() {
    // Each attempt reads the Service, its apply is refused, and the conflict reads it again.
    for (String rv : List.of("7", "8", "8", "9", "9")) {
      server.expect().get().withPath(SERVICE_PATH).andReturn(200, service(rv)).once();
    }
    server.expect().get().withPath(SERVICE_PATH).andReturn(200, service("10")).always();
    server
        .expect()
        .patch()
        .withPath(APPLY_PATH)
        .andReturn(409, status(409, "Conflict", "the object has been modified"))
        .always();

    assertThatThrownBy(
            () -> platform.putAlias(new AliasUpdate("grader", "prod", AliasTarget.of(1), 0L)))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("kept changing while fc-toolkit wrote it (3 attempts)")
                  .contains("expected resourceVersion 9 but it is at resourceVersion 10");
              assertThat(e.expectedRevision()).isEqualTo(9L);
              assertThat(e.actualRevision()).isEqualTo(10L);
            });
    assertThat(events).filteredOn(e -> e.message().contains("retrying")).hasSize(2);
  }

  @Test
  void serverError_isPlatformUnavailableWithTheOperation() {
    server.expect().get().withPath(SERVICE_PATH).andReturn(200, service("7")).always();
    server
        .expect()
        .patch()
        .withPath(APPLY_PATH)
        .andReturn(
            500,
            status(
                500,
                "InternalError",
                "Internal error occurred: failed calling webhook \"webhook.serving.knative.dev\""))
        .always();

    assertThatThrownBy(() -> platform.publish(publishRequest()))
        .isInstanceOfSatisfying(
            PlatformUnavailableException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("HTTP 500")
                  .contains("apply services.serving.knative.dev/grader in namespace grader")
                  .contains("failed calling webhook");
              assertThat(e.address()).startsWith("http://");
              assertThat(e.hint()).contains("knative-serving");
            });
  }

  @Test
  void timeout_isPlatformUnavailableSayingSo() {
    server
        .expect()
        .get()
        .delay(4, TimeUnit.SECONDS)
        .withPath(SERVICE_PATH)
        .andReturn(200, service("7"))
        .always();
    connect(800);

    assertThatThrownBy(() -> platform.describe("grader"))
        .isInstanceOfSatisfying(
            PlatformUnavailableException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("did not answer in time")
                  .contains("get services.serving.knative.dev/grader");
              assertThat(e.hint()).contains("800 ms");
            });
  }

  @Test
  void invalid_namesTheFieldTheServerRefused() {
    server.expect().get().withPath(SERVICE_PATH).andReturn(200, service("7")).always();
    Status invalid =
        new StatusBuilder(
                status(
                    422,
                    "Invalid",
                    "admission webhook \"validation.webhook.serving.knative.dev\" denied the"
                        + " request: validation failed: must not set the field(s):"
                        + " spec.template.spec.containers[0].livenessProbe"))
            .withNewDetails()
            .addNewCause()
            .withField("spec.template.spec.containers[0].livenessProbe")
            .withReason("FieldValueForbidden")
            .endCause()
            .endDetails()
            .build();
    server.expect().patch().withPath(APPLY_PATH).andReturn(422, invalid).always();

    assertThatThrownBy(() -> platform.publish(publishRequest()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo("spec.template.spec.containers[0].livenessProbe");
              assertThat(e.getMessage()).contains("denied the request");
            });
  }

  @Test
  void apply_isAServerSideApplyGuardedByTheResourceVersionRead() throws Exception {
    server.expect().get().withPath(SERVICE_PATH).andReturn(200, service("7")).always();
    server.expect().patch().withPath(APPLY_PATH).andReturn(200, service("8")).once();

    assertThat(platform.publish(publishRequest()).version().number()).isEqualTo(3);

    RecordedRequest apply = server.getLastRequest();
    assertThat(apply.getMethod()).isEqualTo("PATCH");
    assertThat(apply.getPath()).isEqualTo(APPLY_PATH);
    assertThat(apply.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    String body = apply.getBody().readUtf8();
    assertThat(body).contains("\"resourceVersion\":\"7\"").contains("\"name\":\"grader-v3\"");
  }
}
