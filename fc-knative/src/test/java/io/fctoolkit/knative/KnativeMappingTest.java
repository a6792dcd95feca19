package io.fctoolkit.knative;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.PlatformCapabilities;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.knative.internal.AliasEntry;
import io.fctoolkit.knative.internal.Ledger;
import io.fctoolkit.knative.internal.VersionEntry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnativeMappingTest {

  @Test
  void percent_roundsHalfUp_butNeverRoundsACanaryAwayOrOverTheWholeRoute() {
    assertThat(KnativePlatform.percent(new BigDecimal("12.5"))).isEqualTo(13);
    assertThat(KnativePlatform.percent(new BigDecimal("12.4"))).isEqualTo(12);
    assertThat(KnativePlatform.percent(new BigDecimal("0.4"))).isEqualTo(1);
    assertThat(KnativePlatform.percent(new BigDecimal("99.6"))).isEqualTo(99);
    assertThat(KnativePlatform.percent(BigDecimal.ZERO)).isZero();
    assertThat(KnativePlatform.percent(new BigDecimal("100"))).isEqualTo(100);
  }

  @Test
  void check_forPlans_reportsWarningsAndErrorsWithFields() {
    Map<String, AliasTarget> aliases = new LinkedHashMap<>();
    aliases.put("dev", AliasTarget.canary(1, 2, new BigDecimal("2.5"), Affinity.NONE));
    aliases.put("prod", AliasTarget.canary(1, 2, BigDecimal.TEN, Affinity.KEY));
    TriggerSpec keyOrdered =
        TriggerSpec.builder("submissions", "grader", "prod", "submissions")
            .ordering(Ordering.KEY)
            .batchSize(10)
            .allowDrop(true)
            .build();

    List<KnativeFinding> findings = KnativePlatform.check(aliases, List.of(keyOrdered), "prod");

    assertThat(findings)
        .extracting(KnativeFinding::toString)
        .anySatisfy(f -> assertThat(f).startsWith("ERROR alias.dev.canaryVersion"))
        .anySatisfy(f -> assertThat(f).startsWith("ERROR alias.prod.affinity"))
        .anySatisfy(f -> assertThat(f).startsWith("WARNING trigger.submissions.ordering"))
        .anySatisfy(f -> assertThat(f).startsWith("ERROR trigger.submissions.batchSize"));
  }

  @Test
  void check_noPrimaryNamedProd_firstAliasOwnsTheRoute() {
    Map<String, AliasTarget> aliases = new LinkedHashMap<>();
    aliases.put("dev", AliasTarget.canary(1, 2, new BigDecimal("2.5"), Affinity.NONE));
    assertThat(KnativePlatform.check(aliases, List.of(), "prod"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(KnativeFinding.Severity.WARNING);
              assertThat(f.message()).contains("2.5% becomes 3%");
            });
  }

  @Test
  void traffic_zeroCanary_hasNoUntaggedEntry_andFullCanaryKeepsTheTag() {
    List<KnativeFinding> findings = new java.util.ArrayList<>();
    assertThat(
            io.fctoolkit.knative.internal.Traffic.traffic(
                "grader",
                List.of(
                    new AliasEntry(
                        "prod", AliasTarget.canary(1, 2, BigDecimal.ZERO, Affinity.NONE), 1, null)),
                "prod",
                findings))
        .extracting(t -> t.get("revisionName") + "/" + t.get("percent") + "/" + t.get("tag"))
        .containsExactly("grader-v1/100/prod");
    assertThat(
            io.fctoolkit.knative.internal.Traffic.traffic(
                "grader",
                List.of(
                    new AliasEntry(
                        "prod",
                        AliasTarget.canary(1, 2, new BigDecimal("100"), Affinity.NONE),
                        1,
                        null)),
                "prod",
                findings))
        .extracting(t -> t.get("revisionName") + "/" + t.get("percent") + "/" + t.get("tag"))
        .containsExactly("grader-v1/0/prod", "grader-v2/100/null");
    assertThat(findings).isEmpty();
  }

  @Test
  void capabilities_sayWhatKnativeCannotExpress() {
    try (KnativePlatform platform =
        KnativePlatform.using(
            new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(
                    new io.fabric8.kubernetes.client.ConfigBuilder(
                            io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl("http://127.0.0.1:9")
                        .build())
                .build(),
            KnativeOptions.of("grader"),
            e -> {})) {
      assertThat(platform.capabilities())
          .isEqualTo(new PlatformCapabilities(false, false, false, false));
      assertThat(platform.target()).isEqualTo("knative http://127.0.0.1:9/ namespace grader");
    }
  }

  @Test
  void unreachableCluster_isPlatformUnavailableNamingTheAddress() throws Exception {
    int port;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed again below: nothing listens there
    }
    try (io.fabric8.kubernetes.client.KubernetesClient client =
            new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(
                    new io.fabric8.kubernetes.client.ConfigBuilder(
                            io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl("http://127.0.0.1:" + port)
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build();
        KnativePlatform platform =
            KnativePlatform.using(client, KnativeOptions.of("grader"), e -> {})) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> platform.describe("grader"))
          .isInstanceOfSatisfying(
              io.fctoolkit.core.PlatformUnavailableException.class,
              e -> {
                assertThat(e.address()).isEqualTo("http://127.0.0.1:" + port + "/");
                assertThat(e.getMessage()).contains("get services.serving.knative.dev/grader");
                assertThat(e.hint()).contains("kube context");
              });
    }
  }

  @Test
  void ledger_roundTripsVersionsAndAliases() {
    List<VersionEntry> versions =
        List.of(
            VersionEntry.of(
                1,
                Grader.image(Grader.DIGEST_1),
                "r1",
                Instant.parse("2026-11-22T00:00:00Z"),
                Grader.config()),
            VersionEntry.of(2, Grader.image(Grader.DIGEST_2), null, null, Grader.config()));
    List<AliasEntry> aliases =
        List.of(
            new AliasEntry(
                "prod",
                AliasTarget.canary(1, 2, new BigDecimal("2.5"), Affinity.NONE),
                4,
                AliasTarget.of(1)),
            new AliasEntry("dev", AliasTarget.of(2), 1, null));

    assertThat(Ledger.readVersions(Ledger.writeVersions(versions), "test")).isEqualTo(versions);
    assertThat(Ledger.readAliases(Ledger.writeAliases(aliases), "test")).isEqualTo(aliases);
  }
}
