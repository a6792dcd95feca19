package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.host.testfunctions.Blocking;
import io.fctoolkit.host.testfunctions.SlowInit;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LimitsTest {

  @BeforeEach
  void resetBlocking() {
    Blocking.reset();
  }

  @Test
  void concurrencyLimit_answers429WithRetryAfter_thenServesAgain() throws Exception {
    try (InProcessHost host =
        InProcessHost.start("io.fctoolkit.host.testfunctions.Blocking", "FC_CONCURRENCY", "1")) {
      CompletableFuture<HttpResponse<String>> first = sendAsync(host, "/first");
      assertThat(Blocking.entered.await(10, TimeUnit.SECONDS)).isTrue();

      HttpResponse<String> rejected = host.get("/second");

      assertThat(rejected.statusCode()).isEqualTo(429);
      assertThat(rejected.headers().firstValue("retry-after")).contains("1");
      assertThat(rejected.body()).contains("\"type\":\"TooManyRequests\"");
      // Probes never count against the limit.
      assertThat(host.get("/_fc/ready").statusCode()).isEqualTo(200);

      Blocking.release.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS).body()).isEqualTo("released");
      assertThat(host.get("/again?sleepMs=1").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void timeout_answers504AndInterruptsTheFunction() throws Exception {
    try (InProcessHost host =
        InProcessHost.start("io.fctoolkit.host.testfunctions.Blocking", "FC_TIMEOUT_MS", "300")) {
      HttpResponse<String> response = host.get("/slow");

      assertThat(response.statusCode()).isEqualTo(504);
      assertThat(response.body()).contains("\"type\":\"Timeout\"").contains("300 ms");
      // The worker was interrupted, so its permit comes back and the instance serves again.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (host.server.inFlight() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(Blocking.interrupted).isTrue();
      assertThat(host.get("/next?sleepMs=1").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void readiness_is503UntilTheConstructorReturns_andEarlyRequestsWait() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    CompletableFuture<InProcessHost> starting =
        CompletableFuture.supplyAsync(
            () ->
                InProcessHost.start(
                    "io.fctoolkit.host.testfunctions.SlowInit", "PORT", Integer.toString(port)));
    try {
      assertThat(SlowInit.CONSTRUCTING.await(10, TimeUnit.SECONDS)).isTrue();
      java.net.URI base = java.net.URI.create("http://127.0.0.1:" + port);

      HttpResponse<String> loading =
          InProcessHost.CLIENT.send(
              java.net.http.HttpRequest.newBuilder(base.resolve("/_fc/ready")).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      assertThat(loading.statusCode()).isEqualTo(503);
      assertThat(loading.body()).contains("loading");
      CompletableFuture<HttpResponse<String>> early =
          InProcessHost.CLIENT.sendAsync(
              java.net.http.HttpRequest.newBuilder(base.resolve("/early")).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

      SlowInit.FINISH.countDown();

      assertThat(early.get(10, TimeUnit.SECONDS).body()).isEqualTo("initialised");
      InProcessHost host = starting.get(10, TimeUnit.SECONDS);
      assertThat(host.get("/_fc/ready").statusCode()).isEqualTo(200);
    } finally {
      SlowInit.FINISH.countDown();
      starting.thenAccept(InProcessHost::close).get(10, TimeUnit.SECONDS);
    }
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(
      InProcessHost host, String path) {
    return InProcessHost.CLIENT.sendAsync(
        java.net.http.HttpRequest.newBuilder(host.uri(path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
