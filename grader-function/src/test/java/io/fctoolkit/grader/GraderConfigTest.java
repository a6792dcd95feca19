package io.fctoolkit.grader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraderConfigTest {

  @Test
  void defaults_allowNothing() {
    GraderConfig config = GraderConfig.fromEnv(Map.of());
    assertThat(config.allowedHosts()).isEmpty();
    assertThat(config.fileRoots()).isEmpty();
    assertThat(config.maxImageBytes()).isEqualTo(20L * 1024 * 1024);
    assertThat(config.maxPixels()).isEqualTo(50_000_000L);
    // The build writes the project version into version.properties.
    assertThat(config.version()).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void values_areParsed_andVersionPrefersGraderVersion() {
    GraderConfig config =
        GraderConfig.fromEnv(
            Map.of(
                "GRADER_ALLOWED_HOSTS", " Images.Example.com , 127.0.0.1:9000",
                "GRADER_FILE_ROOTS", "/data/photos/../photos",
                "GRADER_FETCH_TIMEOUT_MS", "1500",
                "FC_VERSION", "7",
                "GRADER_VERSION", "v8"));
    assertThat(config.allowedHosts()).containsExactly("images.example.com", "127.0.0.1:9000");
    assertThat(config.fileRoots()).containsExactly(Path.of("/data/photos"));
    assertThat(config.fetchTimeout().toMillis()).isEqualTo(1500);
    assertThat(config.version()).isEqualTo("v8");
    assertThat(GraderConfig.fromEnv(Map.of("FC_VERSION", "7")).version()).isEqualTo("7");
  }

  @Test
  void badValues_nameTheVariable() {
    assertThatThrownBy(() -> GraderConfig.fromEnv(Map.of("GRADER_MAX_PIXELS", "lots")))
        .hasMessageContaining("GRADER_MAX_PIXELS");
    assertThatThrownBy(
            () -> GraderConfig.fromEnv(Map.of("GRADER_ALLOWED_HOSTS", "https://x.example/")))
        .hasMessageContaining("GRADER_ALLOWED_HOSTS");
    assertThatThrownBy(() -> GraderConfig.fromEnv(Map.of("GRADER_ALLOWED_HOSTS", "*.example.com")))
        .hasMessageContaining("wildcard");
    assertThatThrownBy(() -> GraderConfig.fromEnv(Map.of("GRADER_FILE_ROOTS", "relative/dir")))
        .hasMessageContaining("absolute");
  }
}
