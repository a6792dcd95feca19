package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.PublishResult;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publish returns once the function loaded, the class-data archive is made in the background, and
 * instances started after it exists use it; every instance knows its version and function.
 */
class ArchiveInBackgroundTest {

  @TempDir Path dir;

  @Test
  void publishReturnsBeforeTheArchive_firstInvokeWorks_laterInstanceUsesIt() throws Exception {
    Path state = dir.resolve("state");
    Path gate = dir.resolve("gate");
    try (RuntimeServer server =
        RuntimeServer.start(Fixtures.options(state).withStartTimeout(Duration.ofSeconds(30)))) {
      LocalPlatform platform = server.client();
      FunctionConfig config =
          FunctionConfig.builder("gated", "io.fctoolkit.runtime.testfn.GatedTraining")
              .env(Map.of("TRAIN_GATE", gate.toString()))
              .build();

      // The training run is held at exit by the gate, so publish must not wait for it.
      PublishResult published = platform.publish(Fixtures.publish(config));
      assertThat(published.created()).isTrue();
      assertThat(archives(state)).isEmpty();

      // The first instance starts without the archive and serves, knowing its version.
      HttpResponse<String> first = get(server, "env=FC_VERSION");
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("1");
      assertThat(get(server, "env=FC_FUNCTION_NAME").body()).isEqualTo("gated");
      Path log = server.stateDir().resolve("logs/gated/v1.log");
      assertThat(launchLines(log)).hasSize(1).noneMatch(l -> l.contains("class-data archive"));

      // Let the training run end: the archive appears.
      Files.writeString(gate, "open");
      assertThat(Fixtures.await(Duration.ofSeconds(120), () -> !archives(state).isEmpty()))
          .as("archive made in the background")
          .isTrue();

      // Crash the instance; the next one is started with the archive.
      get(server, "crash=1");
      assertThat(
              Fixtures.await(
                  Duration.ofSeconds(60),
                  () -> {
                    try {
                      return get(server, "env=FC_VERSION").statusCode() == 200
                          && launchLines(log).size() >= 2;
                    } catch (Exception e) {
                      return false;
                    }
                  }))
          .isTrue();
      List<String> launches = launchLines(log);
      assertThat(launches.get(launches.size() - 1)).contains("with class-data archive");
    }
  }

  private static HttpResponse<String> get(RuntimeServer server, String query) throws Exception {
    return Fixtures.http(server, "POST", "/invoke/gated/v1?" + query, "");
  }

  private static List<String> archives(Path state) {
    Path root = state.resolve("archives");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".aot") || n.endsWith(".jsa"))
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> launchLines(Path log) throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log).stream().filter(l -> l.contains("instance launching")).toList();
  }
}
