package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionConfigsTest {

  private static final FunctionSettings NONE =
      new FunctionSettings(null, null, null, null, null, null, null, null);

  private static final FunctionConfig GITOPS =
      FunctionConfig.builder("grader", "io.fctoolkit.grader.GraderFunction")
          .resources(new Resources(512, 8, Duration.ofSeconds(30)))
          .scaling(new Scaling(0, 8, Duration.ofMinutes(5)))
          .env(Map.of("GRADER_ALLOWED_HOSTS", "photos.example.com"))
          .idempotent(true)
          .build();

  @Test
  void from_withoutGitops_usesDefaultsAndTheHandler() {
    FunctionConfig config = FunctionConfigs.from("hello", "com.example.Hello", NONE, null);

    assertThat(config).isEqualTo(FunctionConfig.builder("hello", "com.example.Hello").build());
  }

  @Test
  void from_gitopsFile_isTheBase_soTheSameInputsGiveTheSameConfigHash() {
    FunctionConfig config = FunctionConfigs.from("grader", null, NONE, GITOPS);

    assertThat(config.configHash()).isEqualTo(GITOPS.configHash());
  }

  @Test
  void from_standby_keepsTheGitopsHeadroom_unlessTheParameterSetsIt() {
    FunctionConfig gitops = GITOPS.toBuilder().scaling(GITOPS.scaling().withStandby(3)).build();
    FunctionSettings none = new FunctionSettings(null, null, null, null, 5, null, Map.of(), null);
    FunctionSettings zero =
        new FunctionSettings(null, null, null, null, null, null, Map.of(), null, 0);

    assertThat(FunctionConfigs.from("grader", null, none, gitops).scaling().standby()).isEqualTo(3);
    assertThat(FunctionConfigs.from("grader", null, zero, gitops).scaling().standby()).isZero();
    FunctionSettings bad =
        new FunctionSettings(null, null, null, null, null, null, Map.of(), null, -1);
    assertThatThrownBy(() -> FunctionConfigs.from("grader", null, bad, gitops))
        .hasMessageContaining("standby");
  }

  @Test
  void from_parametersOverrideTheGitopsFieldByField() {
    FunctionConfig config =
        FunctionConfigs.from(
            "grader",
            null,
            new FunctionSettings(256, null, "2m", null, 3, "500ms", Map.of("X", "1"), true),
            GITOPS);

    assertThat(config.resources()).isEqualTo(new Resources(256, 8, Duration.ofMinutes(2)));
    assertThat(config.scaling()).isEqualTo(new Scaling(0, 3, Duration.ofMillis(500)));
    assertThat(config.env())
        .containsEntry("X", "1")
        .containsEntry("GRADER_ALLOWED_HOSTS", "photos.example.com");
    assertThat(config.publicInvoke()).isTrue();
    assertThat(config.idempotent()).isTrue();
    assertThat(config.configHash()).isNotEqualTo(GITOPS.configHash());
  }

  @Test
  void variables_parseTheCommandLineForm() {
    assertThat(FunctionConfigs.variables("A=1,B_2=x=y,EMPTY="))
        .containsExactly(Map.entry("A", "1"), Map.entry("B_2", "x=y"), Map.entry("EMPTY", ""));
    assertThat(FunctionConfigs.variables(null)).isEmpty();
    assertThatThrownBy(() -> FunctionConfigs.variables("A=1,oops"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(Hints.describe(e)).contains("oops").contains("-Dfc.variables="));
  }

  @Test
  void from_badValues_nameTheParameter() {
    assertThatThrownBy(
            () ->
                FunctionConfigs.from(
                    "hello",
                    "com.example.Hello",
                    new FunctionSettings(16, null, null, null, null, null, null, null),
                    null))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(Hints.describe(e)).contains("<memory>").contains("-Dfc.memory="));
    assertThatThrownBy(
            () ->
                FunctionConfigs.from(
                    "hello",
                    "com.example.Hello",
                    new FunctionSettings(null, null, "soon", null, null, null, null, null),
                    null))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(Hints.describe(e)).contains("soon").contains("-Dfc.timeout="));
    assertThatThrownBy(() -> FunctionConfigs.from("hello", null, NONE, null))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(Hints.describe(e)).startsWith("Missing handler"));
  }
}
