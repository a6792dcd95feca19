package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PublishRequest;
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
 * instances started after it exists use it; a next version with the same host and dependencies uses
 * it from its first instance on; every instance knows its version and function.
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

  @Test
  void nextVersion_startsWithTheSharedArchive_thenTrainsOnlyItsOwn() throws Exception {
    Path state = dir.resolve("state2");
    try (RuntimeServer server =
        RuntimeServer.start(Fixtures.options(state).withStartTimeout(Duration.ofSeconds(30)))) {
      LocalPlatform platform = server.client();
      FunctionConfig config = Fixtures.hello("deps").build();
      // Two images built in one folder, so that they share the host jar (and its layer).
      TestImages.Built one = TestImages.build(dir, "deps-one", "build one", true);
      TestImages.Built other = TestImages.build(dir, "deps-two", "build two", true);
      platform.publish(publish(config, one, "local/deps-one"));
      assertThat(Fixtures.await(Duration.ofSeconds(120), () -> archives(state).size() == 2))
          .as("v1's own archive and the shared one of its host and dependency jars")
          .isTrue();

      // Another image: the same host and dependency layers, other function files (a new
      // resources layer), as after a one-line change.
      assertThat(other.digest()).isNotEqualTo(one.digest());
      platform.publish(publish(config, other, "local/deps-two"));

      // v2's very first instance (the one publish started) already uses the shared archive.
      Path v2log = server.stateDir().resolve("logs/deps/v2.log");
      List<String> launches = launchLines(v2log);
      assertThat(launches).hasSize(1);
      assertThat(launches.get(0)).contains("with class-data archive");
      assertThat(Fixtures.http(server, "POST", "/invoke/deps/v2", "").statusCode()).isEqualTo(200);
      // One more training run, for v2's own archive only: the shared one is not made again.
      assertThat(Fixtures.await(Duration.ofSeconds(120), () -> archives(state).size() == 3))
          .as("v2's own archive")
          .isTrue();
      String publishLog = Files.readString(server.stateDir().resolve("logs/deps/publish.log"));
      assertThat(publishLog.split("training run: pid", -1)).hasSize(4);
    }
  }

  private static PublishRequest publish(
      FunctionConfig config, TestImages.Built image, String repo) {
    return new PublishRequest(
        config, new ImageSource.Archive(image.tarball(), image.digest(), repo), null);
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
