package io.fctoolkit.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's side of the control API against a real runtime: the login (one-time code for an
 * HttpOnly SameSite=Strict cookie), the cookie's reach (read routes under /v1/functions only), the
 * journal, the sampled history, the live stream, and what slow, idle and too many stream clients
 * get. The API runs with at most 8 requests in progress, so 16 open streams would freeze it if they
 * held API threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(1);

  @TempDir static Path dir;
  RuntimeServer server;

  @BeforeAll
  void start() throws Exception {
    String before = System.setProperty("fc.runtime.historyIntervalMs", "200");
    try {
      server =
          RuntimeServer.start(
              Fixtures.options(dir.resolve("state")),
              new ControlApiLimits(Duration.ofSeconds(3), IO_TIMEOUT, 8),
              e -> {});
    } finally {
      if (before == null) {
        System.clearProperty("fc.runtime.historyIntervalMs");
      } else {
        System.setProperty("fc.runtime.historyIntervalMs", before);
      }
    }
    LocalPlatform platform = server.client();
    platform.publish(Fixtures.publish(Fixtures.hello("hello").build()));
    platform.publish(
        Fixtures.publish(Fixtures.hello("hello").env(Map.of("GREETING", "hi")).build()));
    platform.putAlias(new AliasUpdate("hello", "live", AliasTarget.of(1), 0L));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  // ---- login and access

  @Test
  void link_logsInOnce_withAnHttpOnlyStrictCookie_andRedirectsToAnAddressWithoutSecret()
      throws Exception {
    URI link = server.client().dashboardLink("hello").orElseThrow();
    assertThat(link.getQuery()).startsWith("code=").contains("function=hello");

    HttpResponse<String> login = get(link.getRawPath() + "?" + link.getRawQuery(), Map.of());

    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).contains("/dashboard/?function=hello");
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .startsWith("fc_dashboard_" + server.port() + "=")
        .contains("HttpOnly", "SameSite=Strict", "Path=/dashboard");
    assertThat(login.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    assertThat(cookie).doesNotContain(server.token());
    // the same link again opens nothing
    assertThat(get(link.getRawPath() + "?" + link.getRawQuery(), Map.of()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void cookie_readsFunctionRoutes_butNothingElse() throws Exception {
    String cookie = login();
    Map<String, String> withCookie = Map.of("Cookie", cookie);

    assertThat(get("/dashboard/api/v1/functions", withCookie).statusCode()).isEqualTo(200);
    assertThat(get("/dashboard/api/v1/functions/hello", withCookie).body()).contains("\"live\"");
    assertThat(
            get("/dashboard/api/v1/functions/hello/versions/1/logs?lines=5", withCookie)
                .statusCode())
        .isEqualTo(200);
    // a route this runtime may not have (a rollout controller's) is 204 when asked as optional
    assertThat(
            get("/dashboard/api/v1/functions/hello/aliases/live/rollout?optional=1", withCookie)
                .statusCode())
        .isEqualTo(204);
    assertThat(
            get("/dashboard/api/v1/functions/hello/aliases/live/rollout", withCookie).statusCode())
        .isEqualTo(404);
    assertThat(get("/dashboard/api/v1/functions/nope/history?optional=1", withCookie).statusCode())
        .isEqualTo(204);
    // not the runtime's other routes, no writes, and not the token's routes with a cookie
    assertThat(get("/dashboard/api/v1/runtime", withCookie).statusCode()).isEqualTo(404);
    assertThat(get("/dashboard/api/metrics", withCookie).statusCode()).isEqualTo(404);
    assertThat(
            Fixtures.http(
                    server,
                    "PUT",
                    "/dashboard/api/v1/functions/hello/aliases/live",
                    null,
                    "{}",
                    withCookie)
                .statusCode())
        .isEqualTo(405);
    assertThat(Fixtures.http(server, "GET", "/v1/functions", null, null, withCookie).statusCode())
        .isEqualTo(401);
  }

  @Test
  void withoutOrWithAWrongCookie_orAWrongToken_theDataIs401() throws Exception {
    assertThat(get("/dashboard/api/v1/functions/hello/history", Map.of()).statusCode())
        .isEqualTo(401);
    assertThat(
            get(
                    "/dashboard/api/v1/functions/hello/history",
                    Map.of("Cookie", "fc_dashboard_" + server.port() + "=forged"))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            Fixtures.http(server, "POST", "/v1/dashboard/codes", "wrong", "{}", Map.of())
                .statusCode())
        .isEqualTo(401);
    assertThat(
            Fixtures.http(server, "GET", "/v1/functions/hello/history", "wrong", null, Map.of())
                .statusCode())
        .isEqualTo(401);
    // the live stream likewise, before any stream is opened
    assertThat(get("/dashboard/api/v1/functions/hello/stream", Map.of()).statusCode())
        .isEqualTo(401);
    assertThat(
            Fixtures.http(server, "GET", "/v1/functions/hello/stream", "wrong", null, Map.of())
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void codeRequests_thatAreMalformedOrTooLarge_areRefused() throws Exception {
    HttpResponse<String> malformed =
        Fixtures.http(
            server, "POST", "/v1/dashboard/codes", server.token(), "{\"function\":", Map.of());
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("malformed JSON");
    HttpResponse<String> notAName =
        Fixtures.http(
            server,
            "POST",
            "/v1/dashboard/codes",
            server.token(),
            "{\"function\":\"../x\"}",
            Map.of());
    assertThat(notAName.statusCode()).isEqualTo(400);
    assertThat(notAName.body()).contains("\"field\":\"function\"");
    assertThat(
            Fixtures.http(
                    server,
                    "POST",
                    "/v1/dashboard/codes",
                    server.token(),
                    "{\"function\":\"nope\"}",
                    Map.of())
                .statusCode())
        .isEqualTo(404);
    String huge = "{\"function\":\"" + "x".repeat(2 << 20) + "\"}";
    assertThat(
            Fixtures.http(server, "POST", "/v1/dashboard/codes", server.token(), huge, Map.of())
                .statusCode())
        .isEqualTo(413);
    // the login with junk codes
    assertThat(get("/dashboard/login", Map.of()).statusCode()).isEqualTo(401);
    assertThat(get("/dashboard/login?code=" + "A".repeat(5000), Map.of()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void page_isServedWithItsPolicy_onLoopbackNamesOnly() throws Exception {
    HttpResponse<String> page = get("/dashboard/", Map.of());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains(
            "default-src 'none'",
            "script-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'");
    assertThat(page.body()).contains("/dashboard/assets/app.js").doesNotContain("<script>");
    assertThat(get("/dashboard/assets/app.js", Map.of()).headers().firstValue("Content-Type"))
        .contains("text/javascript; charset=utf-8");
    assertThat(get("/dashboard/assets/secret.txt", Map.of()).statusCode()).isEqualTo(404);
    String rebound =
        RawHttp.exchange(
            server.port(),
            "GET /dashboard/ HTTP/1.1\r\nHost: evil.example:"
                + server.port()
                + "\r\nConnection: close\r\n\r\n",
            Duration.ofSeconds(5));
    assertThat(RawHttp.status(rebound)).isEqualTo(400);
  }

  // ---- data

  @Test
  void journal_marksPublishesAliasMovesAndRollbacks() throws Exception {
    // (its own changes: another test floods the journal, which keeps the latest 2,000 entries)
    LocalPlatform platform = server.client();
    int published =
        platform
            .publish(
                Fixtures.publish(
                    Fixtures.hello("hello").env(Map.of("GREETING", "journal")).build()))
            .version()
            .number();
    platform.putAlias(new AliasUpdate("hello", "journal", AliasTarget.of(1), 0L));
    Alias moved = platform.putAlias(new AliasUpdate("hello", "journal", AliasTarget.of(2), 1L));
    platform.putAlias(new AliasUpdate("hello", "journal", AliasTarget.of(1), moved.revision()));

    JsonNode events = json(Fixtures.http(server, "GET", "/v1/functions/hello/events", null).body());

    List<String> lines = new ArrayList<>();
    events
        .path("events")
        .forEach(e -> lines.add(e.path("type").asText() + " " + e.path("detail").asText()));
    assertThat(lines)
        .contains(
            "alias journal: created at v1", "alias journal: v1 -> v2", "rollback journal: v2 -> v1")
        .anyMatch(l -> l.startsWith("publish v" + published + " published"));
    long last = events.path("events").get(events.path("events").size() - 1).path("seq").asLong();
    assertThat(
            json(Fixtures.http(server, "GET", "/v1/functions/hello/events?after=" + last, null)
                    .body())
                .path("events"))
        .isEmpty();
  }

  @Test
  @Timeout(60)
  void history_getsTheIntervalsRatesAndLatency_perVersion() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(Fixtures.http(server, "POST", "/invoke/hello/live", "x").statusCode())
          .isEqualTo(200);
    }
    boolean sampled =
        Fixtures.await(
            Duration.ofSeconds(20),
            () -> {
              JsonNode v1 = history().path("series").path("versions").path("1");
              double invocations = 0;
              for (JsonNode n : v1.path("invocationsPerSec")) {
                invocations += n.asDouble(0);
              }
              return invocations > 0
                  && v1.path("p95Ms").size() > 0
                  && v1.path("instances").size() > 0;
            });
    assertThat(sampled).as("history: %s", history()).isTrue();
    JsonNode h = history();
    assertThat(h.path("intervalMs").asLong()).isEqualTo(200);
    assertThat(h.path("times").size())
        .isEqualTo(h.path("series").path("versions").path("1").path("instances").size());
  }

  @Test
  @Timeout(60)
  void sampling_withNobodyWatching_costsFarLessThanOnePercentOfACore() throws Exception {
    // Every runtime of this JVM has one fc-history thread; their summed CPU bounds this one's.
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = historyCpuNanos(mx);
    long t0 = System.nanoTime();
    Thread.sleep(5_000);
    long cpu = historyCpuNanos(mx) - cpu0;
    long wall = System.nanoTime() - t0;
    // At the test's 200 ms interval, 25 samples; at the default 5 s a sample costs the same, 25x
    // rarer.
    double perSampleMs = cpu / 1e6 / (wall / 200e6);
    double shareAtDefault = perSampleMs / 5000;
    System.out.printf(
        "dashboard history: %.3f ms CPU per sample (2 versions), %.5f%% of a core at 5 s%n",
        perSampleMs, shareAtDefault * 100);
    assertThat(shareAtDefault).isLessThan(0.01);
  }

  private static long historyCpuNanos(java.lang.management.ThreadMXBean mx) {
    long sum = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("fc-history")) {
        sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
      }
    }
    return sum;
  }

  // ---- the live stream

  @Test
  @Timeout(60)
  void stream_sendsSamplesAndJournalEntries() throws Exception {
    try (Socket s = openStream("hello")) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      assertThat(readHead(in)).startsWith("HTTP/1.1 200").contains("text/event-stream");
      s.setSoTimeout(10_000);
      // The stream subscribes after its head is out and says so with ": open"; an entry recorded
      // before that is not the stream's (on a loaded machine the test waited forever for it).
      String opening;
      while ((opening = in.readLine()) != null && !opening.equals(": open")) {
        // retry hint
      }
      server.journal().record("rollout-step", "hello", "canary at 10%");
      boolean journal = false;
      boolean sample = false;
      while (!(journal && sample)) {
        String line = in.readLine();
        assertThat(line).as("the stream ended early").isNotNull();
        journal |= line.startsWith("data: ") && line.contains("\"type\":\"rollout-step\"");
        sample |= line.equals("event: sample");
      }
    }
  }

  @Test
  @Timeout(90)
  void idleStreams_holdNoApiThread_andTooManyAreRefused() throws Exception {
    assertThat(Fixtures.await(Duration.ofSeconds(20), () -> streamsOpen() == 0)).isTrue();
    List<Socket> streams = new ArrayList<>();
    try {
      // Given: as many idle streams as allowed, twice the API's 8 requests in progress
      for (int i = 0; i < 16; i++) {
        Socket s = openStream("hello");
        BufferedReader in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        assertThat(readHead(in)).startsWith("HTTP/1.1 200");
        streams.add(s);
      }
      // Then: the API still answers, promptly
      long t0 = System.nanoTime();
      assertThat(Fixtures.http(server, "GET", "/v1/functions", null).statusCode()).isEqualTo(200);
      assertThat(Fixtures.http(server, "GET", "/v1/health", null, null, Map.of()).statusCode())
          .isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
      assertThat(streamsOpen()).isEqualTo(16);
      // and one more stream is refused with a reason
      HttpResponse<String> more = Fixtures.http(server, "GET", "/v1/functions/hello/stream", null);
      assertThat(more.statusCode()).isEqualTo(503);
      assertThat(more.body()).contains("16 live streams");
    } finally {
      for (Socket s : streams) {
        s.close();
      }
    }
    // Gone clients are found at the next write
    assertThat(
            Fixtures.await(
                Duration.ofSeconds(20),
                () -> {
                  server.journal().record("probe", "hello", "");
                  return streamsOpen() == 0;
                }))
        .isTrue();
  }

  @Test
  @Timeout(90)
  void aStreamClientThatDoesNotRead_isClosed_withoutSlowingTheRuntime() throws Exception {
    assertThat(Fixtures.await(Duration.ofSeconds(20), () -> streamsOpen() == 0)).isTrue();
    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 5000);
      send(slow, streamRequest("hello"));
      assertThat(Fixtures.await(Duration.ofSeconds(10), () -> streamsOpen() == 1)).isTrue();

      // When: 6 MB of events are published to it, and it never reads
      long t0 = System.nanoTime();
      String detail = "x".repeat(EventJournal.MAX_DETAIL);
      for (int i = 0; i < 10_000; i++) {
        server.journal().record("flood", "hello", detail);
      }
      // Then: recording never waited on the client
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      // and the stream is closed (queue over its cap, or a write past the I/O deadline)
      assertThat(Fixtures.await(Duration.ofSeconds(20), () -> streamsOpen() == 0)).isTrue();
      long t1 = System.nanoTime();
      assertThat(Fixtures.http(server, "GET", "/v1/functions/hello", null).statusCode())
          .isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(2));
    }
  }

  // ---- helpers

  private String login() throws Exception {
    URI link = server.client().dashboardLink("hello").orElseThrow();
    HttpResponse<String> login = get(link.getRawPath() + "?" + link.getRawQuery(), Map.of());
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    return Fixtures.http(server, "GET", path, null, null, headers);
  }

  private JsonNode history() {
    try {
      return json(Fixtures.http(server, "GET", "/v1/functions/hello/history", null).body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private int streamsOpen() {
    try {
      return json(Fixtures.http(server, "GET", "/v1/runtime", null).body())
          .path("dashboardStreams")
          .asInt(-1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Socket openStream(String function) throws IOException {
    Socket s = RawHttp.connect(server.port());
    send(s, streamRequest(function));
    return s;
  }

  private String streamRequest(String function) {
    return "GET /v1/functions/"
        + function
        + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + server.token()
        + "\r\n\r\n";
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static String readHead(BufferedReader in) throws IOException {
    StringBuilder head = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      head.append(line).append('\n');
    }
    return head.toString();
  }

  private static JsonNode json(String body) throws IOException {
    return JSON.readTree(body);
  }
}
