package io.fctoolkit.host.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Differential conformance: every function kind and its error paths, the same requests sent to
 * Google's java-function-invoker (from Maven Central, copied to target/ by the build) and to
 * fc-host, both as separate processes started as in production; status, content type, the
 * meaningful headers, body and what an event function received are compared. A difference fails,
 * unless {@link KnownDifferences} lists it with its reason (also in docs/architecture.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvokerConformanceTest {
  private static final List<String> FUNCTIONS =
      List.of(
          HttpEcho.class.getName(),
          EventRecorder.class.getName(),
          Greeter.class.getName(),
          ShoutingFormat.class.getName(),
          LegacyPubSub.class.getName(),
          LegacyRaw.class.getName());

  /** Response headers a function or the kind's binding decides; server noise is left out. */
  private static final List<String> COMPARED_HEADERS =
      List.of("content-type", "x-echo", "x-format");

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Map<String, ConformanceServer> invokers = new LinkedHashMap<>();
  private final Map<String, ConformanceServer> hosts = new LinkedHashMap<>();

  @BeforeAll
  void startServers() throws Exception {
    Path invokerJar = Path.of(System.getProperty("conformance.invoker.jar", "missing"));
    assertThat(invokerJar)
        .as("Google's invoker jar (the build copies it with maven-dependency-plugin)")
        .isRegularFile();
    String functionClasspath = ConformanceServer.classpath("/test-classes", "/gson-");
    String hostClasspath =
        ConformanceServer.classpath(
            "fc-host/target/classes",
            "/functions-framework-api-",
            "/cloudevents-api-",
            "/test-classes",
            "/gson-");
    ExecutorService starter = Executors.newFixedThreadPool(4);
    try {
      Map<String, Future<ConformanceServer>> invokerStarts = new LinkedHashMap<>();
      Map<String, Future<ConformanceServer>> hostStarts = new LinkedHashMap<>();
      for (String function : FUNCTIONS) {
        invokerStarts.put(
            function,
            starter.submit(
                () -> ConformanceServer.invoker(invokerJar, function, functionClasspath)));
        hostStarts.put(
            function, starter.submit(() -> ConformanceServer.host(function, hostClasspath)));
      }
      // Every server that started is kept for stopServers, even when another failed to start.
      Exception failure = null;
      for (String function : FUNCTIONS) {
        try {
          invokers.put(function, invokerStarts.get(function).get());
        } catch (ExecutionException e) {
          failure = e;
        }
        try {
          hosts.put(function, hostStarts.get(function).get());
        } catch (ExecutionException e) {
          failure = e;
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      starter.shutdown();
    }
  }

  @AfterAll
  void stopServers() throws IOException {
    for (ConformanceServer server : invokers.values()) {
      server.close();
    }
    for (ConformanceServer server : hosts.values()) {
      server.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> sameAnswers() {
    return ConformanceCases.all().stream()
        .map(c -> DynamicTest.dynamicTest(c.name(), () -> compare(c)));
  }

  private void compare(ConformanceCase c) throws Exception {
    Observed google = observe(invokers.get(c.function()), c);
    Observed ours = observe(hosts.get(c.function()), c);
    for (KnownDifferences difference : c.known()) {
      ours = difference.apply(google, ours);
    }
    assertThat(ours)
        .as("%s: fc-host answered differently from Google's invoker", c.name())
        .isEqualTo(google);
  }

  private Observed observe(ConformanceServer server, ConformanceCase c) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + c.target()))
            .timeout(Duration.ofSeconds(30))
            .method(
                c.method(),
                c.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(c.body(), StandardCharsets.UTF_8));
    for (Map.Entry<String, String> header : c.headers().entrySet()) {
      request.header(header.getKey(), header.getValue());
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : COMPARED_HEADERS) {
      List<String> values = response.headers().allValues(name);
      if (!values.isEmpty()) {
        headers.put(name, values);
      }
    }
    String recorded = null;
    if (c.recordedId() != null) {
      Path file =
          server.recordings.resolve(c.recordedId().replaceAll("[^A-Za-z0-9_-]", "_") + ".txt");
      recorded = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "<nothing>";
    }
    return new Observed(response.statusCode(), headers, response.body(), recorded);
  }

  /** What one server did with one request. */
  record Observed(int status, Map<String, List<String>> headers, String body, String recorded) {
    String contentType() {
      List<String> values = headers.get("content-type");
      return values == null ? null : values.get(0).toLowerCase(Locale.ROOT);
    }

    Observed withBody(String newBody) {
      return new Observed(status, headers, newBody, recorded);
    }

    Observed withStatus(int newStatus) {
      return new Observed(newStatus, headers, body, recorded);
    }
  }

  /** One request and the function that serves it. */
  record ConformanceCase(
      String name,
      String function,
      String method,
      String target,
      Map<String, String> headers,
      String body,
      String recordedId,
      List<KnownDifferences> known) {
    /** This case with the documented differences it shows. */
    ConformanceCase showing(KnownDifferences... differences) {
      return new ConformanceCase(
          name, function, method, target, headers, body, recordedId, List.of(differences));
    }
  }
}
