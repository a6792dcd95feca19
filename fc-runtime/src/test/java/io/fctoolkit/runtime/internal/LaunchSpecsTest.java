package io.fctoolkit.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Launch specs from an image configuration, without starting anything. */
class LaunchSpecsTest {

  private static final String TOKEN = "the-control-token-value";

  @TempDir Path dir;

  @Test
  void spec_rewritesTheClasspathToTheApp_andSetsTheHostContract() throws Exception {
    // Given
    Path app = app();
    JsonNode config =
        RuntimeJson.MAPPER.readTree(
            """
            {"Entrypoint": ["java", "-Xshare:auto", "-cp",
               "/usr/lib/base.jar:/app/libs/*:/app/resources:/app/classes", "io.fctoolkit.host.FcHost"],
             "Env": ["PATH=/opt/bin", "JAVA_HOME=/opt/java", "FROM_IMAGE=1", "SHARED=image"]}
            """);

    // When
    LaunchSpec spec =
        specs().of(version(Map.of("SHARED", "function", "FC_VERSION", "99")), config, app);

    // Then
    assertThat(spec.mainClass()).isEqualTo("io.fctoolkit.host.FcHost");
    assertThat(spec.classpath())
        .containsExactly(
            app.resolve("libs/a.jar"), app.resolveSibling("abc.jars").resolve("classes.jar"));
    assertThat(spec.env())
        .containsEntry("FROM_IMAGE", "1")
        .containsEntry("SHARED", "function")
        .containsEntry("FUNCTION_TARGET", "x.Handler")
        .containsEntry("PORT", "0")
        .containsEntry("FC_BIND", "127.0.0.1")
        .containsEntry("FC_CONCURRENCY", "6")
        .containsEntry("FC_TIMEOUT_MS", "7000")
        .containsEntry("FC_VERSION", "3")
        .containsEntry("FC_FUNCTION_NAME", "fn")
        .doesNotContainKeys("PATH", "JAVA_HOME");
    assertThat(spec.heapMb()).isEqualTo(LaunchSpec.heapFor(512));
    assertThat(spec.workDir()).isEqualTo(app);
  }

  @Test
  void classpathEntriesLeadingOutOfTheApp_areLeftOut_soTheTokenIsOutOfReach() throws Exception {
    // Given an image whose classpath climbs from /app into the state folder, which holds the token
    Path app = app();
    Path state = dir.resolve("state");
    Files.writeString(state.resolve("token"), TOKEN);
    Files.write(state.resolve("images").resolve("outside.jar"), new byte[] {1});
    JsonNode config =
        RuntimeJson.MAPPER.readTree(
            """
            {"Entrypoint": ["java", "-cp",
               "/app/classes:/app/../..:/app/../../*:/app/../apps/../..", "io.fctoolkit.host.FcHost"]}
            """);

    // When
    LaunchSpec spec = specs().of(version(Map.of()), config, app);

    // Then nothing outside the app is on the classpath, and no packed jar holds the token
    assertThat(spec.classpath())
        .containsExactly(app.resolveSibling("abc.jars").resolve("classes.jar"));
    for (Path p : spec.classpath()) {
      try (ZipFile zip = new ZipFile(p.toFile())) {
        assertThat(zip.getEntry("token")).isNull();
      }
    }
    assertThat(spec.env().values()).noneMatch(v -> v.contains(TOKEN));
  }

  /** state/images/apps/abc with libs/a.jar and classes/x/Handler.class. */
  private Path app() throws Exception {
    Path app = Files.createDirectories(dir.resolve("state/images/apps/abc"));
    Files.createDirectories(app.resolve("libs"));
    try (var out =
        new java.util.jar.JarOutputStream(Files.newOutputStream(app.resolve("libs/a.jar")))) {
      out.putNextEntry(new java.util.jar.JarEntry("a.txt"));
      out.write('a');
      out.closeEntry();
    }
    Files.createDirectories(app.resolve("classes/x"));
    Files.write(app.resolve("classes/x/Handler.class"), new byte[] {(byte) 0xca, (byte) 0xfe});
    return app;
  }

  private LaunchSpecs specs() throws Exception {
    ImageStore images = new ImageStore(dir.resolve("state/images"));
    InstanceJava java = InstanceJava.of(Path.of(System.getProperty("java.home"))).orElseThrow();
    ArchiveTrainer archives =
        new ArchiveTrainer(
            images,
            java,
            dir.resolve("state/archives"),
            f -> dir.resolve("publish.log"),
            Executors.newSingleThreadExecutor(),
            Duration.ofSeconds(5),
            null);
    return new LaunchSpecs(images, java, archives, null);
  }

  private static Version version(Map<String, String> env) {
    FunctionConfig config =
        FunctionConfig.builder("fn", "x.Handler")
            .resources(new Resources(512, 3, Duration.ofSeconds(7)))
            .env(env)
            .build();
    return new Version("fn", 3, "sha256:" + "0".repeat(64), config, "c", null, Instant.now());
  }
}
