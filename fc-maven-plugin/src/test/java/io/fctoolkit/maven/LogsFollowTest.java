package io.fctoolkit.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code -Dfc.follow}: a switch, or for how long. */
class LogsFollowTest {

  @Test
  void follow_isFalseTrueBareOrADuration() {
    assertThat(LogsMojo.followDuration("false")).isZero();
    assertThat(LogsMojo.followDuration(null)).isZero();
    assertThat(LogsMojo.followDuration("true")).isEqualTo(LogsMojo.FOREVER);
    // an empty value (a bare -Dfc.follow is "true" already in Maven)
    assertThat(LogsMojo.followDuration("")).isEqualTo(LogsMojo.FOREVER);
    assertThat(LogsMojo.followDuration("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(LogsMojo.followDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void follow_anythingElse_isRefusedNamingTheValue() {
    assertThatThrownBy(() -> LogsMojo.followDuration("sometimes"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'sometimes'");
  }
}
