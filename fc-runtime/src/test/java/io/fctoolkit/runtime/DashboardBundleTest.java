package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's committed bundle (src/main/resources/io/fctoolkit/runtime/dashboard) is what its
 * sources (fc-runtime/dashboard) build to with the locked esbuild and uPlot, and the page's own
 * reasoning passes its unit tests under Node.
 */
class DashboardBundleTest {

  @BeforeAll
  static void install() throws Exception {
    NodeTools.install();
  }

  @Test
  void committedBundle_matchesItsSources() throws Exception {
    NodeTools.Run run =
        NodeTools.run(
            List.of("node", "build.mjs", "--check"), Map.of(), Duration.ofMinutes(2), "check");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("matches its sources");
  }

  @Test
  void diagnosisAndModel_passTheirNodeTests() throws Exception {
    NodeTools.Run run =
        NodeTools.run(
            List.of("node", "--test", "test/diagnosis.test.mjs"),
            Map.of(),
            Duration.ofMinutes(2),
            "unit");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).containsPattern("# pass [1-9]").contains("# fail 0");
  }
}
