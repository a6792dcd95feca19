package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fctoolkit.core.FcEvent;
import io.fctoolkit.knative.internal.KubeTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The right cluster or none: an environment file's kube context is looked up in the kubeconfig, and
 * anything that does not match is an error, never the current context. The kubeconfig is a temp
 * file whose {@code prod} context points at fabric8's mock API server and whose current context
 * {@code staging} points at a port where nothing listens.
 */
class KubeContextCrudTest {

  static final String FILE = "gitops/environments/prod/environment.yaml";

  @RegisterExtension final CrudMock mock = new CrudMock();

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void useMock() {
    server = mock.mockServer();
    client = mock.client();
  }

  @TempDir Path dir;

  private final List<FcEvent> events = new ArrayList<>();
  private String previous;

  @BeforeEach
  void rememberKubeconfigProperty() {
    previous = System.getProperty("kubeconfig");
  }

  @AfterEach
  void restoreKubeconfigProperty() {
    if (previous == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", previous);
    }
  }

  private Path kubeconfig(String... contexts) throws IOException {
    StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\n");
    yaml.append("current-context: staging\n");
    yaml.append("clusters:\n");
    yaml.append("- name: staging\n  cluster:\n    server: http://127.0.0.1:9\n");
    yaml.append("- name: mock\n  cluster:\n    server: ").append(server.url("/")).append('\n');
    yaml.append("users:\n- name: u\n  user:\n    token: not-a-secret\n");
    yaml.append("contexts:\n");
    for (String context : contexts) {
      String cluster = context.equals("staging") ? "staging" : "mock";
      yaml.append("- name: ")
          .append(context)
          .append("\n  context:\n    cluster: ")
          .append(cluster)
          .append("\n    user: u\n");
    }
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, yaml);
    System.setProperty("kubeconfig", file.toString());
    return file;
  }

  @Test
  void connect_whenKubeconfigLacksTheContext_refusesNamingFileKubeconfigAndContexts()
      throws Exception {
    // Given
    Path kubeconfig = kubeconfig("staging", "dev");

    // When / Then
    assertThatThrownBy(
            () -> KnativePlatform.connect(FILE, "prod", KnativeOptions.of("grader"), events::add))
        .isInstanceOfSatisfying(
            KubeContextException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains(FILE)
                  .contains("'prod'")
                  .contains(kubeconfig.toString())
                  .contains("[staging, dev]")
                  .contains("does not fall back to the current context (staging)");
              assertThat(e.hint())
                  .contains("kubectl config set-context prod")
                  .contains("KUBECONFIG")
                  .contains("platform.context in " + FILE);
              assertThat(e.field()).isEqualTo("platform.context");
              assertThat(e.source()).isEqualTo(FILE);
              assertThat(e.kubeconfigs()).containsExactly(kubeconfig.toString());
              assertThat(e.contexts()).containsExactly("staging", "dev");
            });
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void connect_whenTheNamespaceIsMissing_refusesNamingTheContext() throws Exception {
    // Given
    kubeconfig("staging", "prod");

    // When / Then
    assertThatThrownBy(
            () -> KnativePlatform.connect(FILE, "prod", KnativeOptions.of("grader"), events::add))
        .isInstanceOfSatisfying(
            KubeContextException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("namespace 'grader'")
                  .contains(FILE)
                  .contains("kube context 'prod'");
              assertThat(e.hint()).contains("kubectl --context prod create namespace grader");
              assertThat(e.field()).isEqualTo("platform.namespace");
            });
  }

  @Test
  void connect_toTheNamedContext_reachesItsCluster() throws Exception {
    // Given
    kubeconfig("staging", "prod");
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("grader").endMetadata().build())
        .create();

    // When
    try (KnativePlatform platform =
        KnativePlatform.connect(FILE, "prod", KnativeOptions.of("grader"), events::add)) {
      // Then: the mock server answers, not staging's closed port
      assertThat(platform.functions()).isEmpty();
      assertThat(platform.target())
          .isEqualTo("knative context prod at " + server.url("/") + " namespace grader");
    }
  }

  @Test
  void connect_withoutContextInTheFile_usesTheCurrentContextByName() throws Exception {
    // Given: the file names no context, so the kubeconfig's current one (staging) is meant
    Path kubeconfig = kubeconfig("staging", "prod");

    // When
    KubeTarget target = KubeTarget.select(FILE, null, List.of(kubeconfig.toString()));

    // Then
    assertThat(target.context()).isEqualTo("staging");
    assertThat(target.server()).isEqualTo("http://127.0.0.1:9");
  }

  @Test
  void select_whenNoKubeconfigExists_namesThePathsLookedAt() {
    String missing = dir.resolve("nowhere").toString();

    assertThatThrownBy(() -> KubeTarget.select(FILE, "prod", List.of(missing)))
        .isInstanceOfSatisfying(
            KubeContextException.class,
            e -> {
              assertThat(e.getMessage()).contains(FILE).contains("no kubeconfig").contains(missing);
              assertThat(e.hint()).contains("KUBECONFIG");
            });
  }

  @Test
  void select_whenTheContextNamesAnUndefinedCluster_refuses() throws Exception {
    Path file = dir.resolve("broken");
    Files.writeString(
        file,
        "apiVersion: v1\nkind: Config\ncontexts:\n- name: prod\n  context:\n    cluster: gone\n");

    assertThatThrownBy(() -> KubeTarget.select(FILE, "prod", List.of(file.toString())))
        .isInstanceOf(KubeContextException.class)
        .hasMessageContaining("cluster 'gone'");
  }
}
