package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.DesiredFunction;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.PlatformConnection;
import io.fctoolkit.core.PlatformProvider;
import io.fctoolkit.core.RenderReport;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Knative's provider: found through ServiceLoader, options from a binding's settings, rendering.
 */
class KnativeProviderTest {

  static final String FILE = "environments/prod/environment.yaml";

  @TempDir Path dir;

  @Test
  void serviceLoader_findsTheKnativeProvider() {
    assertThat(ServiceLoader.load(PlatformProvider.class))
        .extracting(PlatformProvider::type)
        .contains("knative");
  }

  @Test
  void options_comeFromTheSettings() {
    PlatformConnection connection =
        new PlatformConnection(
            "knative",
            FILE,
            Map.of(
                "context", "prod",
                "namespace", "grader",
                "bootstrapServers", "kafka:9092",
                "readyTimeout", "PT5M"));

    assertThat(KnativeProvider.options(connection))
        .isEqualTo(
            KnativeOptions.of("grader")
                .withKafkaBootstrapServers("kafka:9092")
                .withReadyTimeout(Duration.ofMinutes(5)));
  }

  @Test
  void options_withoutNamespace_nameTheFile() {
    PlatformConnection connection = new PlatformConnection("knative", FILE, Map.of());

    assertThatThrownBy(() -> KnativeProvider.options(connection))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(FILE + " binds platform knative without 'namespace'");
  }

  @Test
  void options_withBadReadyTimeout_sayWhatIsExpected() {
    PlatformConnection connection =
        new PlatformConnection(
            "knative", FILE, Map.of("namespace", "grader", "readyTimeout", "5 minutes"));

    assertThatThrownBy(() -> KnativeProvider.options(connection))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'5 minutes' is not a non-negative ISO-8601 duration");
  }

  @Test
  void render_writesTheManifestsAndSaysHowTheCanaryIsRouted() throws Exception {
    DesiredFunction grader =
        new DesiredFunction(
            "grader",
            List.of(
                new DesiredFunction.DesiredVersion(
                    1, Grader.image(Grader.DIGEST_1), "r1", Grader.config()),
                new DesiredFunction.DesiredVersion(
                    2, Grader.image(Grader.DIGEST_2), "r2", Grader.config())),
            List.of(
                new DesiredFunction.DesiredAlias(
                    "prod", AliasTarget.canary(1, 2, new BigDecimal("12.5"), Affinity.NONE))),
            List.of());

    RenderReport report =
        new KnativeProvider()
            .render(
                new PlatformConnection("knative", FILE, Map.of("namespace", "grader")),
                List.of(grader),
                dir);

    // the environment's Namespace first (Flux creates none), then the function's objects
    assertThat(report.objects()).isEqualTo(2);
    assertThat(report.written())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("namespace-grader.yaml", "service-grader.yaml", "kustomization.yaml");
    assertThat(Files.readString(dir.resolve("namespace-grader.yaml")))
        .contains("kind: Namespace", "name: grader", "kustomize.toolkit.fluxcd.io/prune: disabled");
    assertThat(Files.readString(dir.resolve("service-grader.yaml"))).contains("percent: 13");
    assertThat(report.warnings()).anyMatch(w -> w.contains("12.5"));
  }

  @Test
  void platform_saysHowItRoutesAndWhereLogsAre() {
    try (var client =
            new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(
                    new io.fabric8.kubernetes.client.ConfigBuilder(
                            io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl("http://127.0.0.1:9")
                        .build())
                .build();
        KnativePlatform platform =
            KnativePlatform.using(client, KnativeOptions.of("grader"), e -> {})) {
      assertThat(platform.routedWeight(new BigDecimal("12.5"))).isEqualByComparingTo("13");
      assertThat(platform.routedWeight(BigDecimal.TEN)).isEqualByComparingTo("10");
      assertThat(platform.logLocation("grader", 3))
          .contains(
              "kubectl logs -n grader -l serving.knative.dev/revision=grader-v3 -c user-container");
      assertThat(platform.logLocation("grader", 0))
          .contains(
              "kubectl logs -n grader -l serving.knative.dev/service=grader -c user-container");
    }
  }
}
