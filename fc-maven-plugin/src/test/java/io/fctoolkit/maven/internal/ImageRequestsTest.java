package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.image.ImageBuildRequest;
import io.fctoolkit.core.image.ImageTarget;
import io.fctoolkit.core.image.RegistryCredentials;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageRequestsTest {

  private static final Path TARGET = Path.of("/project/hello/target");
  private static final Path API = Path.of("/repo/functions-framework-api-2.0.0.jar");
  private static final ProjectLayout PROJECT =
      new ProjectLayout(
          "hello-function",
          TARGET,
          TARGET.resolve("classes"),
          List.of(new Dependency("com.google.code.gson", "gson", Path.of("/repo/gson.jar"))),
          Path.of("/repo/fc-host-0.1.0.jar"),
          List.of(new Dependency("com.google.cloud.functions", "functions-framework-api", API)),
          "0.1.0",
          false);

  private static ImageSettings settings(String function, String handler, String image) {
    return new ImageSettings(function, handler, image, null, false, null, null, null, null);
  }

  private static ImageBuildRequest map(ImageSettings settings) {
    return ImageRequests.from(settings, PROJECT, host -> null);
  }

  @Test
  void from_withoutImage_writesAnArchiveOnScratchUnderTarget() {
    // When
    ImageBuildRequest request = map(settings(null, "com.example.Hello", null));

    // Then
    assertThat(request.function()).isEqualTo("hello-function");
    assertThat(request.handler()).isEqualTo("com.example.Hello");
    assertThat(request.target())
        .isEqualTo(
            new ImageTarget.Archive(
                TARGET.resolve("fc/image.tar"), ImageRef.parse("hello-function")));
    assertThat(request.effectiveBaseImage()).isEqualTo("scratch");
    assertThat(request.outputDirectory()).isEqualTo(TARGET.resolve("fc"));
    assertThat(request.classes()).isEqualTo(TARGET.resolve("classes"));
    assertThat(request.hostJar()).isEqualTo(Path.of("/repo/fc-host-0.1.0.jar"));
    assertThat(request.creationTime()).isEqualTo(Instant.EPOCH);
    assertThat(request.toolVersion()).isEqualTo("0.1.0");
  }

  @Test
  void from_addsTheHostsFunctionsFrameworkApiUnlessTheProjectHasIt() {
    assertThat(map(settings(null, "com.example.Hello", null)).dependencies())
        .containsExactly(Path.of("/repo/gson.jar"), API);

    ProjectLayout withApi =
        new ProjectLayout(
            "hello",
            TARGET,
            TARGET.resolve("classes"),
            List.of(
                new Dependency(
                    "com.google.cloud.functions",
                    "functions-framework-api",
                    Path.of("/repo/own-api-1.1.0.jar"))),
            Path.of("/repo/fc-host.jar"),
            PROJECT.hostDependencies(),
            "0.1.0",
            false);
    assertThat(ImageRequests.dependencies(withApi))
        .containsExactly(Path.of("/repo/own-api-1.1.0.jar"));
  }

  @Test
  void from_withImage_pushesAndPicksTheJreBaseAndSettingsCredentials() {
    // Given
    RegistryCredentials creds = new RegistryCredentials("ci", "secret");
    Map<String, RegistryCredentials> servers = Map.of("registry.example.com", creds);

    // When
    ImageBuildRequest request =
        ImageRequests.from(
            settings("grader", "com.example.Grader", "registry.example.com/team/grader:1"),
            PROJECT,
            servers::get);

    // Then
    assertThat(request.target())
        .isEqualTo(
            new ImageTarget.Registry(
                ImageRef.parse("registry.example.com/team/grader:1"), false, creds));
    assertThat(request.effectiveBaseImage()).startsWith("eclipse-temurin:17-jre@sha256:");
  }

  @Test
  void from_loopbackRegistry_isInsecureWithoutBeingAsked() {
    for (String image : List.of("127.0.0.1:5000/hello", "localhost:5000/hello", "[::1]:5000/h")) {
      ImageTarget.Registry target =
          (ImageTarget.Registry) map(settings(null, "com.example.Hello", image)).target();
      assertThat(target.insecure()).as(image).isTrue();
    }
    ImageTarget.Registry remote =
        (ImageTarget.Registry)
            map(settings(null, "com.example.Hello", "10.0.0.5:5000/hello")).target();
    assertThat(remote.insecure()).isFalse();
  }

  @Test
  void from_fromImageAndCreationTime_areMapped() {
    ImageBuildRequest request =
        map(
            new ImageSettings(
                null,
                "com.example.Hello",
                null,
                "127.0.0.1:5000/jre@sha256:" + "a".repeat(64),
                false,
                "1767225600",
                Path.of("/out"),
                Path.of("/out/x.tar"),
                Path.of("/cache")));

    assertThat(request.baseImage()).isEqualTo("127.0.0.1:5000/jre@sha256:" + "a".repeat(64));
    assertThat(request.creationTime()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(request.outputDirectory()).isEqualTo(Path.of("/out"));
    assertThat(((ImageTarget.Archive) request.target()).tarball()).isEqualTo(Path.of("/out/x.tar"));
    assertThat(request.baseImageCache()).isEqualTo(Path.of("/cache"));
  }

  @Test
  void from_withoutHandler_saysWhereToSetIt() {
    assertThatThrownBy(() -> map(settings(null, null, null)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(Hints.describe(e))
                    .isEqualTo(
                        "Missing handler (the function class, run as FUNCTION_TARGET), perhaps you"
                            + " should add <handler> to pom.xml or pass"
                            + " -Dfc.handler=com.example.Grader"));
  }

  @Test
  void from_badValues_nameTheParameterAndProperty() {
    assertThatThrownBy(() -> map(settings("Hello_World", "com.example.Hello", null)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(Hints.describe(e))
                    .contains("Hello_World")
                    .contains("<function>")
                    .contains("-Dfc.function="));
    assertThatThrownBy(() -> map(settings(null, "not a class", null)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(Hints.describe(e)).contains("<handler>").contains("-Dfc.handler="));
    assertThatThrownBy(
            () -> map(settings(null, "com.example.Hello", "reg.io/x@sha256:" + "b".repeat(64))))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(Hints.describe(e)).contains("<image>").contains("-Dfc.image="));
    assertThatThrownBy(
            () ->
                map(
                    new ImageSettings(
                        null,
                        "com.example.Hello",
                        null,
                        null,
                        false,
                        "yesterday",
                        null,
                        null,
                        null)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(Hints.describe(e)).contains("yesterday").contains("-Dfc.creationTime"));
  }

  @Test
  void from_artifactIdThatIsNoFunctionName_asksForAFunctionName() {
    ProjectLayout odd =
        new ProjectLayout(
            "HelloFunction",
            TARGET,
            TARGET.resolve("classes"),
            List.of(),
            Path.of("/h.jar"),
            List.of(),
            "0.1.0",
            false);

    assertThatThrownBy(
            () -> ImageRequests.from(settings(null, "com.example.Hello", null), odd, h -> null))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(Hints.describe(e)).contains("HelloFunction").contains("<function>"));
  }
}
