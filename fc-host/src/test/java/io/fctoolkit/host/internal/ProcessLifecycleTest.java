package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Exit codes and signals, against the host as a real child process. */
class ProcessLifecycleTest {

  @Test
  void sigterm_finishesTheInFlightRequest_refusesNewOnes_andExits0() throws Exception {
    try (ChildHost host =
        ChildHost.start(Map.of("FUNCTION_TARGET", "io.fctoolkit.host.testfunctions.Blocking"))) {
      int port = host.awaitPort();
      URI base = URI.create("http://127.0.0.1:" + port);
      CompletableFuture<HttpResponse<String>> inFlight =
          InProcessHost.CLIENT.sendAsync(
              HttpRequest.newBuilder(base.resolve("/work?sleepMs=1500")).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      host.awaitLine("\"msg\":\"sleeping\"", Duration.ofSeconds(20));

      host.process.destroy(); // SIGTERM

      host.awaitLine("\"msg\":\"draining\"", Duration.ofSeconds(20));
      assertThat(newRequestSucceeds(base)).as("a request after SIGTERM").isFalse();
      HttpResponse<String> finished = inFlight.get(20, TimeUnit.SECONDS);
      assertThat(finished.statusCode()).isEqualTo(200);
      assertThat(finished.body()).isEqualTo("slept 1500");
      assertThat(host.awaitExit(Duration.ofSeconds(20))).isZero();
      assertThat(host.output()).contains("\"msg\":\"drained\",\"abandoned\":0");
    }
  }

  private static boolean newRequestSucceeds(URI base) {
    try {
      HttpResponse<String> response =
          InProcessHost.CLIENT.send(
              HttpRequest.newBuilder(base.resolve("/late?sleepMs=1"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return response.statusCode() == 200;
    } catch (Exception refused) {
      return false;
    }
  }

  @Test
  void constructorThrows_exits3WithTheReason() throws Exception {
    try (ChildHost host =
        ChildHost.start(
            Map.of("FUNCTION_TARGET", "io.fctoolkit.host.testfunctions.BrokenConstructor"))) {
      assertThat(host.awaitExit(Duration.ofSeconds(30))).isEqualTo(Host.EXIT_LOAD);
      assertThat(host.output())
          .contains("\"level\":\"ERROR\",\"msg\":\"function failed to load\"")
          .contains("threw java.lang.IllegalStateException: DATABASE_URL is not set")
          .doesNotContain("\"msg\":\"ready\"");
    }
  }

  @Test
  void unknownClass_exits3NamingFunctionTarget() throws Exception {
    try (ChildHost host = ChildHost.start(Map.of("FUNCTION_TARGET", "com.example.Missing"))) {
      assertThat(host.awaitExit(Duration.ofSeconds(30))).isEqualTo(Host.EXIT_LOAD);
      assertThat(host.output())
          .contains("Function class com.example.Missing was not found on the classpath")
          .contains("FUNCTION_TARGET");
    }
  }

  @Test
  void classOfNoFunctionKind_exits3() throws Exception {
    try (ChildHost host =
        ChildHost.start(
            Map.of("FUNCTION_TARGET", "io.fctoolkit.host.testfunctions.NotAFunction"))) {
      assertThat(host.awaitExit(Duration.ofSeconds(30))).isEqualTo(Host.EXIT_LOAD);
      assertThat(host.output())
          .contains(
              "implements none of HttpFunction, CloudEventsFunction, TypedFunction,"
                  + " BackgroundFunction or RawBackgroundFunction");
    }
  }

  @Test
  void backgroundFunctionWithoutPayloadType_exits3SayingHowToFixIt() throws Exception {
    try (ChildHost host =
        ChildHost.start(
            Map.of("FUNCTION_TARGET", "io.fctoolkit.host.testfunctions.UntypedBackground"))) {
      assertThat(host.awaitExit(Duration.ofSeconds(30))).isEqualTo(Host.EXIT_LOAD);
      assertThat(host.output())
          .contains(
              "Could not determine the payload type of BackgroundFunction"
                  + " io.fctoolkit.host.testfunctions.UntypedBackground; implement"
                  + " BackgroundFunction<T> for a concrete T");
    }
  }

  @Test
  void badEnvironmentValue_exits2NamingTheVariable() throws Exception {
    try (ChildHost host =
        ChildHost.start(
            Map.of("FUNCTION_TARGET", "functions.HelloWorld", "FC_CONCURRENCY", "lots"))) {
      assertThat(host.awaitExit(Duration.ofSeconds(30))).isEqualTo(Host.EXIT_CONFIG);
      assertThat(host.output())
          .contains("\"variable\":\"FC_CONCURRENCY\"")
          .contains("invalid value 'lots'; set it to an integer");
    }
  }
}
