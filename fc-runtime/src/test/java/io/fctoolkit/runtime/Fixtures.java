package io.fctoolkit.runtime;

import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Shared helpers: one test image per test JVM, raw HTTP calls, bounded waits. */
final class Fixtures {

  static final String HELLO = "io.fctoolkit.runtime.testfn.Hello";
  private static TestImages.Built image;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Fixtures() {}

  /** The test image, built once per JVM. */
  static synchronized TestImages.Built image() throws Exception {
    if (image == null) {
      Path work = Files.createTempDirectory("fc-runtime-test-image");
      image = TestImages.build(work, "hello", "build one", true);
    }
    return image;
  }

  static ImageSource archive() throws Exception {
    TestImages.Built built = image();
    return new ImageSource.Archive(built.tarball(), built.digest(), "local/hello");
  }

  static FunctionConfig.Builder hello(String name) {
    return FunctionConfig.builder(name, HELLO);
  }

  static FunctionConfig config(
      String name,
      String handler,
      int concurrency,
      int max,
      Duration idle,
      Map<String, String> env) {
    return FunctionConfig.builder(name, handler)
        .resources(new Resources(256, concurrency, Duration.ofSeconds(30)))
        .scaling(new Scaling(0, max, idle))
        .env(env)
        .build();
  }

  static PublishRequest publish(FunctionConfig config) throws Exception {
    return new PublishRequest(config, archive(), null);
  }

  static HttpResponse<String> http(
      RuntimeServer server,
      String method,
      String path,
      String token,
      String body,
      Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> http(RuntimeServer server, String method, String path, String body)
      throws IOException, InterruptedException {
    return http(server, method, path, server.token(), body, Map.of());
  }

  /** Waits until {@code condition} holds, at most {@code timeout}; returns whether it held. */
  static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }

  static RuntimeOptions options(Path stateDir) {
    return RuntimeOptions.forTest(stateDir)
        .withTriggers((invoker, dir, events) -> TriggerHost.none());
  }
}
