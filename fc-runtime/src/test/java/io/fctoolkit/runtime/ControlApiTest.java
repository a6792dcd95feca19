package io.fctoolkit.runtime;

import static io.fctoolkit.runtime.Fixtures.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.Scaling;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The control API and LocalPlatform against one runtime with real fc-host instances. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlApiTest {

  @TempDir static Path dir;
  RuntimeServer server;
  LocalPlatform platform;
  PublishResult v1;
  PublishResult v2;

  @BeforeAll
  void start() throws Exception {
    server =
        RuntimeServer.start(
            Fixtures.options(dir.resolve("state")).withStartTimeout(Duration.ofSeconds(20)));
    platform = server.client();
    v1 =
        platform.publish(
            Fixtures.publish(Fixtures.hello("hello").env(Map.of("GREETING", "one")).build()));
    v2 =
        platform.publish(
            Fixtures.publish(Fixtures.hello("hello").env(Map.of("GREETING", "two")).build()));
    platform.putAlias(new AliasUpdate("hello", "prod", AliasTarget.of(1), 0L));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void publish_sameContent_returnsExistingVersion() throws Exception {
    // When
    PublishResult again =
        platform.publish(
            Fixtures.publish(Fixtures.hello("hello").env(Map.of("GREETING", "one")).build()));
    // Then
    assertThat(v1.created()).isTrue();
    assertThat(v1.version().number()).isEqualTo(1);
    assertThat(v2.version().number()).isEqualTo(2);
    assertThat(again.created()).isFalse();
    assertThat(again.version().number()).isEqualTo(1);
    assertThat(again.version().contentId()).isEqualTo(v1.version().contentId());
    assertThat(platform.describe("hello").orElseThrow().versions()).hasSize(2);
  }

  @Test
  void invoke_byAliasAndVersion_namesTheVersionThatServed() throws Exception {
    InvokeResponse viaAlias = platform.invoke(InvokeRequest.json("hello", "prod", "x"));
    assertThat(viaAlias.status()).isEqualTo(200);
    assertThat(viaAlias.bodyText()).isEqualTo("one x");
    assertThat(viaAlias.version()).isEqualTo(1);

    HttpResponse<String> raw = http(server, "POST", "/invoke/hello/v2", "y");
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.body()).isEqualTo("two y");
    assertThat(raw.headers().firstValue("fc-version")).contains("2");
  }

  @Test
  void instances_getTheirVersionAndFunctionName_asPlatformEnvironment() throws Exception {
    // v2 is the second version: the number comes from the recorded version, not the draft.
    assertThat(http(server, "POST", "/invoke/hello/v2?env=FC_VERSION", "").body()).isEqualTo("2");
    assertThat(http(server, "POST", "/invoke/hello/prod?env=FC_VERSION", "").body()).isEqualTo("1");
    assertThat(http(server, "POST", "/invoke/hello/v2?env=FC_FUNCTION_NAME", "").body())
        .isEqualTo("hello");
    // Platform environment is not content: both versions differ only by GREETING.
    assertThat(v1.version().config().env()).doesNotContainKeys("FC_VERSION", "FC_FUNCTION_NAME");
  }

  @Test
  void putAlias_staleRevision_isRefusedWithBothRevisions() throws Exception {
    Alias created = platform.putAlias(new AliasUpdate("hello", "staging", AliasTarget.of(1), 0L));
    Alias moved =
        platform.putAlias(
            new AliasUpdate("hello", "staging", AliasTarget.of(2), created.revision()));
    assertThat(moved.revision()).isEqualTo(created.revision() + 1);
    assertThat(moved.previous()).isEqualTo(AliasTarget.of(1));

    // A second pipeline still holding the old revision must not overwrite the move.
    assertThatThrownBy(
            () ->
                platform.putAlias(
                    new AliasUpdate("hello", "staging", AliasTarget.of(1), created.revision())))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> {
              assertThat(e.expectedRevision()).isEqualTo(created.revision());
              assertThat(e.actualRevision()).isEqualTo(moved.revision());
            });
    // Creating an alias that exists (expected 0) is stale too.
    assertThatThrownBy(
            () -> platform.putAlias(new AliasUpdate("hello", "staging", AliasTarget.of(1), 0L)))
        .isInstanceOf(ConflictException.class);
    HttpResponse<String> raw =
        http(
            server,
            "PUT",
            "/v1/functions/hello/aliases/staging",
            "{\"target\":{\"version\":1},\"expectedRevision\":" + created.revision() + "}");
    assertThat(raw.statusCode()).isEqualTo(409);
    assertThat(raw.body()).contains("\"actualRevision\":" + moved.revision());
    assertThat(
            platform
                .describe("hello")
                .orElseThrow()
                .alias("staging")
                .orElseThrow()
                .target()
                .version())
        .isEqualTo(2);
  }

  @Test
  void canary_weightSplitsTrafficWithinStatisticalBounds() throws Exception {
    platform.putAlias(
        new AliasUpdate(
            "hello",
            "canary",
            AliasTarget.canary(1, 2, new BigDecimal("25.5"), Affinity.NONE),
            null));
    int n = 400;
    int canary = 0;
    for (int i = 0; i < n; i++) {
      InvokeResponse r = server.invoker().invoke(InvokeRequest.json("hello", "canary", "")).get();
      assertThat(r.status()).isEqualTo(200);
      if (r.version() == 2) {
        canary++;
      }
    }
    // Binomial(400, 0.255): mean 102, sd 8.7; five sd either side.
    assertThat(canary).isBetween(102 - 44, 102 + 44);
  }

  @Test
  void keyAffinity_sameKeyAlwaysMeetsTheSameVersion() throws Exception {
    platform.putAlias(
        new AliasUpdate(
            "hello", "sticky", AliasTarget.canary(1, 2, new BigDecimal("50"), Affinity.KEY), null));
    Map<String, Integer> first = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < 30; k++) {
        String key = "student-" + k;
        InvokeResponse r =
            platform.invoke(new InvokeRequest("hello", "sticky", new byte[0], Map.of(), key));
        assertThat(r.status()).isEqualTo(200);
        Integer before = first.putIfAbsent(key, r.version());
        if (before != null) {
          assertThat(r.version()).as("version for %s", key).isEqualTo(before);
        }
      }
    }
    // Keys spread over both versions (each key is 50/50; all 30 on one side has odds 2^-29).
    assertThat(first.values()).contains(1, 2);
    // The header works over raw HTTP too.
    HttpResponse<String> raw =
        http(
            server,
            "POST",
            "/invoke/hello/sticky",
            server.token(),
            "",
            Map.of("fc-routing-key", "student-3"));
    assertThat(raw.headers().firstValue("fc-version")).contains(first.get("student-3").toString());
  }

  @Test
  void deleteVersion_inUseByAlias_isRefused() {
    assertThatThrownBy(() -> platform.deleteVersion("hello", 1))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("is in use by alias");
  }

  @Test
  void unknownNames_get404NamingThem() throws Exception {
    assertThatThrownBy(() -> platform.invoke(InvokeRequest.json("nosuch", "prod", "")))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.name()).isEqualTo("nosuch"));
    assertThatThrownBy(() -> platform.invoke(InvokeRequest.json("hello", "nosuch", "")))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.name()).isEqualTo("hello/nosuch"));
    HttpResponse<String> r = http(server, "POST", "/invoke/hello/v99", "");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("hello v99");
    assertThat(http(server, "GET", "/v1/functions/ghost", null).body())
        .contains("function 'ghost' not found");
    assertThat(platform.describe("ghost")).isEmpty();
  }

  @Test
  void badAliasInput_isRefusedWithTheField() throws Exception {
    HttpResponse<String> weight =
        http(
            server,
            "PUT",
            "/v1/functions/hello/aliases/bad",
            "{\"target\":{\"version\":1,\"canaryVersion\":2,\"canaryWeight\":150},\"expectedRevision\":0}");
    assertThat(weight.statusCode()).isEqualTo(400);
    assertThat(weight.body())
        .contains("canary weight must be between 0 and 100")
        .contains("\"field\":\"target\"");

    assertThatThrownBy(
            () -> platform.putAlias(new AliasUpdate("hello", "bad", AliasTarget.of(42), 0L)))
        .isInstanceOfSatisfying(
            NotFoundException.class, e -> assertThat(e.name()).isEqualTo("hello v42"));
    assertThat(platform.describe("hello").orElseThrow().alias("bad")).isEmpty();

    HttpResponse<String> malformed =
        http(server, "PUT", "/v1/functions/hello/aliases/bad", "{\"target\": {\"version\": 1,,}");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("malformed JSON at line 1");
  }

  @Test
  void oversizedBodies_get413() throws Exception {
    String big = "x".repeat(7 << 20);
    assertThat(http(server, "POST", "/invoke/hello/prod", big).statusCode()).isEqualTo(413);
    assertThat(
            http(
                    server,
                    "PUT",
                    "/v1/functions/hello/aliases/big",
                    "{\"a\":\"" + "y".repeat(2 << 20) + "\"}")
                .statusCode())
        .isEqualTo(413);
  }

  @Test
  void missingHandlerClass_failsNamingIt_andCreatesNothing() throws Exception {
    FunctionConfig missing = FunctionConfig.builder("ghostfn", "com.example.DoesNotExist").build();
    assertThatThrownBy(() -> platform.publish(Fixtures.publish(missing)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.field()).isEqualTo("config.handler");
              assertThat(e.getMessage()).contains("com.example.DoesNotExist");
            });
    assertThat(platform.describe("ghostfn")).isEmpty();
    assertThat(platform.functions()).doesNotContain("ghostfn");
  }

  @Test
  void handlerFailingToLoad_failsPublishWithTheReason() throws Exception {
    FunctionConfig broken =
        FunctionConfig.builder("broken", "io.fctoolkit.runtime.testfn.BrokenInit").build();
    assertThatThrownBy(() -> platform.publish(Fixtures.publish(broken)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.getMessage())
                  .contains("io.fctoolkit.runtime.testfn.BrokenInit")
                  .contains("status 3");
            });
    assertThat(platform.describe("broken")).isEmpty();
    // Nothing is left under the refused version's number; its output is in publish.log.
    Path logs = server.stateDir().resolve("logs/broken");
    assertThat(logs.resolve("v1.log")).doesNotExist();
    assertThat(Files.readString(logs.resolve("publish.log"))).contains("database unreachable");
  }

  @Test
  void wrongOrMissingToken_gets401_andTheTokenIsNeverLogged() throws Exception {
    String wrong = "not-the-token-" + System.nanoTime();
    HttpResponse<String> none = http(server, "GET", "/v1/functions", null, null, Map.of());
    HttpResponse<String> bad = http(server, "GET", "/v1/functions", wrong, null, Map.of());
    HttpResponse<String> invoke = http(server, "POST", "/invoke/hello/prod", wrong, "x", Map.of());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(invoke.statusCode()).isEqualTo(401);
    assertThat(bad.body()).doesNotContain(wrong).contains("bearer token");
    try (Stream<Path> files = Files.walk(server.stateDir())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        String log = Files.readString(f);
        assertThat(log).doesNotContain(wrong).doesNotContain(server.token());
      }
    }
    // The token file is owner-only.
    assertThat(Files.getPosixFilePermissions(server.stateDir().resolve("token")))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void publicFunction_isInvokedWithoutToken() throws Exception {
    platform.publish(Fixtures.publish(Fixtures.hello("open").publicInvoke(true).build()));
    platform.putAlias(new AliasUpdate("open", "live", AliasTarget.of(1), 0L));
    HttpResponse<String> r = http(server, "POST", "/invoke/open/live", null, "anon", Map.of());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello anon");
  }

  @Test
  void invalidHeaderValue_gets400AtOnce_andLeaksNoSlot() throws Exception {
    // Given a public function with a single slot: one leaked slot would block everything after it
    platform.publish(
        Fixtures.publish(
            Fixtures.hello("strict")
                .publicInvoke(true)
                .resources(new io.fctoolkit.core.Resources(256, 1, Duration.ofSeconds(30)))
                .scaling(new Scaling(0, 1, Duration.ofMinutes(5)))
                .build()));
    platform.putAlias(new AliasUpdate("strict", "live", AliasTarget.of(1), 0L));

    // When requests without a token carry a header value with a control character
    List<String> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(rawInvoke("/invoke/strict/live", "X-Bad: a\u0001b"));
    }
    // Then each is answered 400 at once
    assertThat(answers).allMatch(a -> a.startsWith("HTTP/1.1 400"));
    // And the slot is free: a good request is served at once
    long start = System.nanoTime();
    HttpResponse<String> ok = http(server, "POST", "/invoke/strict/live", null, "fine", Map.of());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    // And the answer says which header
    assertThat(answers).allMatch(a -> a.contains("header 'x-bad'"));
    assertThat(platform.metrics("strict").versions().get(0).inFlight()).isZero();
  }

  /** Sends a request the JDK client refuses to build, over a plain socket; returns the answer. */
  private String rawInvoke(String path, String extraHeader) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.uri().getPort())) {
      s.setSoTimeout(20_000);
      String request =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + extraHeader
              + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi";
      s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return new String(
          s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void metricsAndLogs_areExposed() throws Exception {
    platform.invoke(InvokeRequest.json("hello", "prod", "m"));
    String prom = http(server, "GET", "/metrics", null).body();
    assertThat(prom)
        .containsPattern("fc_invocations_total\\{function=\"hello\",version=\"1\"} [1-9]");
    assertThat(prom)
        .contains(
            "fc_request_duration_seconds_bucket{function=\"hello\",version=\"1\",le=\"+Inf\"}");
    assertThat(prom)
        .containsPattern("fc_cold_starts_total\\{function=\"hello\",version=\"1\"} [1-9]");
    assertThat(prom).contains("fc_alias_invocations_total{function=\"hello\",alias=\"prod\"}");
    var metrics = platform.metrics("hello");
    assertThat(metrics.versions().get(0).invocations()).isPositive();
    assertThat(metrics.versions().get(0).coldStarts()).isPositive();
    assertThat(platform.logs("hello", 1, 50)).contains("\"msg\":\"ready\"");
    HttpResponse<String> instances =
        http(server, "GET", "/v1/functions/hello/versions/1/instances", null);
    assertThat(instances.body()).contains("\"pid\"");
  }

  @Test
  void functionConfig_canBeStoredThenPublishedWithoutRepeatingIt() throws Exception {
    HttpResponse<String> put =
        http(
            server,
            "PUT",
            "/v1/functions/stored",
            "{\"handler\":\""
                + Fixtures.HELLO
                + "\",\"resources\":{\"memoryMb\":128},\"env\":{\"GREETING\":\"stored\"}}");
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.body()).contains("\"memoryMb\":128").contains("\"concurrency\":10");
    HttpResponse<String> published =
        http(
            server,
            "POST",
            "/v1/functions/stored/versions",
            "{\"imageDigest\":\"" + Fixtures.image().digest() + "\"}");
    assertThat(published.statusCode()).isEqualTo(201);
    HttpResponse<String> r = http(server, "POST", "/invoke/stored/1", "");
    assertThat(r.body()).isEqualTo("stored");
    HttpResponse<String> badField =
        http(
            server,
            "PUT",
            "/v1/functions/stored",
            "{\"handler\":\"" + Fixtures.HELLO + "\",\"resources\":{\"concurrency\":0}}");
    assertThat(badField.statusCode()).isEqualTo(400);
    assertThat(badField.body()).contains("concurrency must be between 1 and 1000");
  }

  @Test
  void instanceThatNeverBecomesReady_failsTheInvokeWithAReasonInBoundedTime() throws Exception {
    Path hang = dir.resolve("hang-now");
    platform.publish(
        Fixtures.publish(
            FunctionConfig.builder("sleepy", "io.fctoolkit.runtime.testfn.NeverReady")
                .env(Map.of("HANG_IF_EXISTS", hang.toString()))
                .scaling(new Scaling(0, 1, Duration.ofMillis(500)))
                .build()));
    Files.writeString(hang, "hang");
    // The instance publish started (it loaded before the hang) idles out first.
    assertThat(
            Fixtures.await(
                Duration.ofSeconds(30),
                () -> platform.metrics("sleepy").versions().get(0).instances() == 0))
        .isTrue();
    long start = System.nanoTime();
    InvokeResponse r = platform.invoke(InvokeRequest.json("sleepy", "1", ""));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.bodyText()).contains("did not become ready within 20000 ms");
    assertThat(ms).isLessThan(60_000);
    assertThat(List.of(r.headers().get("fc-error"))).containsExactly("InstanceNotReady");
  }
}
