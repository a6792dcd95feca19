package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MavenVersionCheckTest {

  @Test
  void anOlderMaven_isRefusedNamingBothVersionsAndTheWrapper() {
    assertThat(MavenVersionCheck.problem("3.8.7", "3.9"))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith("fc-maven-plugin needs Maven 3.9 or newer, but this is Maven 3.8.7")
                    .contains("./mvnw"));
  }

  @Test
  void theRequiredOrANewerMaven_passes() {
    assertThat(MavenVersionCheck.problem("3.9.0", "3.9")).isEmpty();
    assertThat(MavenVersionCheck.problem("3.9.11", "3.9")).isEmpty();
    assertThat(MavenVersionCheck.problem("4.0.0-rc-4", "3.9")).isEmpty();
    assertThat(MavenVersionCheck.problem("3.10", "3.9")).isEmpty();
    assertThat(MavenVersionCheck.problem("3.9.11", null)).isEmpty();
  }

  @Test
  void atLeast_comparesNumbersNotText() {
    assertThat(MavenVersionCheck.atLeast("3.10.0", "3.9")).isTrue();
    assertThat(MavenVersionCheck.atLeast("3.8.9", "3.9")).isFalse();
    assertThat(MavenVersionCheck.atLeast("3.9-SNAPSHOT", "3.9")).isTrue();
  }

  @Test
  void required_isThePomsDeclaration_filteredIntoTheJar() {
    assertThat(MavenVersionCheck.required()).isEqualTo("3.9");
  }
}
