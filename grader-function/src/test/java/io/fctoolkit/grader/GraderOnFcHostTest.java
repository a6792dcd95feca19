package io.fctoolkit.grader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.grader.testing.ImageServer;
import io.fctoolkit.grader.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The grader served by the real fc-host in a child JVM, invoked over HTTP exactly as the local
 * runtime and Knative invoke it: plain JSON, a binary-mode CloudEvent, and a permanent error.
 */
class GraderOnFcHostTest {

  private static final Pattern READY = Pattern.compile("\"msg\":\"ready\",\"port\":(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static ImageServer images;
  private static Process host;
  private static Path log;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    images = new ImageServer().bytes("/photos/sample.jpg", TestImages.sample());
    log = Files.createTempFile("grader-host-", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.fctoolkit.host.FcHost");
    var builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("PORT", "0");
    builder.environment().put("FC_BIND", "127.0.0.1");
    builder.environment().put("FUNCTION_TARGET", GraderFunction.class.getName());
    builder.environment().put("GRADER_ALLOWED_HOSTS", images.authority());
    builder.environment().put("GRADER_VERSION", "host-test-1");
    host = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Matcher m = READY.matcher(Files.readString(log));
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        break;
      }
      if (!host.isAlive() || System.nanoTime() > deadline) {
        stop();
        throw new IllegalStateException("fc-host did not become ready: " + Files.readString(log));
      }
      Thread.sleep(20);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (host != null) {
      host.descendants().forEach(ProcessHandle::destroyForcibly);
      host.destroyForcibly();
      host.waitFor(10, TimeUnit.SECONDS);
    }
    if (images != null) {
      images.close();
    }
    if (log != null) {
      Files.deleteIfExists(log);
    }
  }

  private static HttpResponse<String> post(String contentType, String body, String... headers)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String submission(String uri) {
    return "{\"submissionId\":\"s-42\",\"studentId\":\"st-7\",\"imageUri\":\"" + uri + "\"}";
  }

  @Test
  void realInvokeOverHttp_gradesTheSamplePhoto() throws Exception {
    JsonNode expected =
        JSON.readTree(TestImages.resource("/io/fctoolkit/grader/sample/sample.expected.json"));
    HttpResponse<String> response =
        post("application/json", submission(images.url("/photos/sample.jpg")));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("status").asText()).isEqualTo(expected.get("expected").asText());
    assertThat(body.get("graderVersion").asText()).isEqualTo("host-test-1");
    for (int i = 0; i < 12; i++) {
      String truth = expected.get("answered").get(i).asBoolean() ? "ANSWERED" : "BLANK";
      // UNCERTAIN is allowed (the sample's erased ghost); a wrong decision is not.
      assertThat(body.get("boxes").get(i).get("state").asText()).isIn(truth, "UNCERTAIN");
    }
  }

  @Test
  void binaryCloudEvent_likeAKafkaTrigger_isGraded() throws Exception {
    HttpResponse<String> response =
        post(
            "application/json",
            submission(images.url("/photos/sample.jpg")),
            "ce-specversion",
            "1.0",
            "ce-id",
            "submissions/3/1207",
            "ce-source",
            "/apis/v1/namespaces/default/kafkasources/grader#submissions",
            "ce-type",
            "dev.knative.kafka.event");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).get("event").get("id").asText())
        .isEqualTo("submissions/3/1207");
    assertThat(response.headers().firstValue("x-request-id")).contains("submissions/3/1207");
  }

  @Test
  void permanentError_keepsItsStatusAndBodyThroughTheHost() throws Exception {
    HttpResponse<String> response =
        post("application/json", submission("http://169.254.169.254/latest/meta-data"));
    assertThat(response.statusCode()).isEqualTo(403);
    JsonNode error = JSON.readTree(response.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("SOURCE_NOT_ALLOWED");
    assertThat(error.get("retryable").asBoolean()).isFalse();
  }
}
