package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.maven.internal.Hints;
import org.junit.jupiter.api.Test;

/** The one runtime-port parser of fc:deploy, fc:local and friends names the right parameter. */
class RuntimePortTest {

  @Test
  void aPort_isRead() {
    assertThat(AbstractFcMojo.parsePort(" 8765 ")).isEqualTo(8765);
    assertThat(AbstractFcMojo.parsePort("0")).as("any free port").isZero();
    assertThat(AbstractFcMojo.parsePort("65535")).isEqualTo(65535);
  }

  @Test
  void notAPort_namesRuntimePort_notRuntimeUrl() {
    for (String bad : new String[] {"eighty", "65536", "-1", ""}) {
      assertThatThrownBy(() -> AbstractFcMojo.parsePort(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e ->
                  assertThat(Hints.describe(e))
                      .contains("<runtime><port>")
                      .contains("-Dfc.runtime.port=")
                      .doesNotContain("runtime.url"));
    }
  }
}
