package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Functions written as Google's samples are (src/test/java/functions), served unmodified by the
 * host started the way the local runtime and the image entrypoint start it.
 */
class GoogleSamplesTest {

  @Test
  void helloWorldHttpSample() throws Exception {
    try (ChildHost host = ChildHost.start(Map.of("FUNCTION_TARGET", "functions.HelloWorld"))) {
      URI base = URI.create("http://127.0.0.1:" + host.awaitPort());

      HttpResponse<String> response =
          InProcessHost.CLIENT.send(
              HttpRequest.newBuilder(base.resolve("/")).timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("Hello World!");
    }
  }

  @Test
  void cloudEventSample_binaryMode() throws Exception {
    try (ChildHost host = ChildHost.start(Map.of("FUNCTION_TARGET", "functions.HelloCloudEvent"))) {
      URI base = URI.create("http://127.0.0.1:" + host.awaitPort());

      HttpResponse<String> response =
          InProcessHost.CLIENT.send(
              HttpRequest.newBuilder(base.resolve("/"))
                  .timeout(Duration.ofSeconds(20))
                  .header("ce-specversion", "1.0")
                  .header("ce-id", "sample-1")
                  .header("ce-source", "//pubsub.googleapis.com/projects/p/topics/t")
                  .header("ce-type", "google.cloud.pubsub.topic.v1.messagePublished")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"hi\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(host.awaitLine("Event Data:", Duration.ofSeconds(10)))
          .contains("Event Data: {\"message\":\"hi\"}");
      assertThat(host.output())
          .contains("Event ID: sample-1")
          .contains("Event Type: google.cloud.pubsub.topic.v1.messagePublished");
    }
  }
}
