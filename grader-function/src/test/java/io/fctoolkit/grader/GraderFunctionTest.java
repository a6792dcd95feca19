package io.fctoolkit.grader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.grader.testing.FakeHttp;
import io.fctoolkit.grader.testing.ImageServer;
import io.fctoolkit.grader.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraderFunctionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ImageServer server;
  private static GraderFunction function;
  private static JsonNode expected;
  @TempDir static Path roots;

  @BeforeAll
  static void start() throws Exception {
    server = new ImageServer();
    server
        .bytes("/sample.jpg", TestImages.sample())
        .bytes("/text.txt", "hello, not an image".getBytes(StandardCharsets.UTF_8))
        .bytes("/truncated.jpg", TestImages.truncatedJpeg(0.6))
        .bytes("/bomb.png", TestImages.pngBomb(60_000, 60_000))
        .bytes("/bomb.jpg", TestImages.jpegBomb(65_000, 65_000))
        .bytes("/big.jpg", new byte[300_001])
        .status("/broken", 500)
        .redirect("/away", "http://evil.example.invalid/sample.jpg")
        .redirect("/moved", "/sample.jpg")
        .handle(
            "/slow.jpg",
            exchange -> {
              try {
                Thread.sleep(3_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              ImageServer.send(exchange, 200, TestImages.sample());
            });
    Files.write(roots.resolve("sample.jpg"), TestImages.sample());
    function =
        new GraderFunction(
            Map.of(
                "GRADER_ALLOWED_HOSTS", server.authority(),
                "GRADER_FILE_ROOTS", roots.toString(),
                // Under the 3 s of /slow.jpg, yet long enough for the first java.net.http request
                // of a cold JVM on a loaded machine (at load 25 it took more than 0.8 s).
                "GRADER_FETCH_TIMEOUT_MS", "2000",
                "GRADER_MAX_IMAGE_BYTES", "300000",
                "GRADER_VERSION", "1.2.3-test"));
    expected =
        JSON.readTree(TestImages.resource("/io/fctoolkit/grader/sample/sample.expected.json"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String submission(String imageUri) {
    return "{\"submissionId\":\"sub-1\",\"studentId\":\"stu-9\",\"imageUri\":\"" + imageUri + "\"}";
  }

  private static JsonNode call(FakeHttp.Request request, int status) throws Exception {
    var response = new FakeHttp.Response();
    function.service(request, response);
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.getContentType()).contains("application/json");
    // Never a stack trace in an answer.
    assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception:");
    return JSON.readTree(response.body());
  }

  private static void assertError(JsonNode body, String code, boolean retryable) {
    JsonNode error = body.get("error");
    assertThat(error).as(body.toString()).isNotNull();
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("retryable").asBoolean()).isEqualTo(retryable);
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(error.get("graderVersion").asText()).isEqualTo("1.2.3-test");
  }

  private static void assertSampleGraded(JsonNode body) {
    assertThat(body.get("submissionId").asText()).isEqualTo("sub-1");
    assertThat(body.get("studentId").asText()).isEqualTo("stu-9");
    assertThat(body.get("layout").asText()).isEqualTo("math-12");
    assertThat(body.get("status").asText()).isEqualTo(expected.get("expected").asText());
    assertThat(body.get("graderVersion").asText()).isEqualTo("1.2.3-test");
    JsonNode boxes = body.get("boxes");
    assertThat(boxes).hasSize(12);
    int uncertain = 0;
    for (int i = 0; i < 12; i++) {
      String truth = expected.get("answered").get(i).asBoolean() ? "ANSWERED" : "BLANK";
      String state = boxes.get(i).get("state").asText();
      double confidence = boxes.get(i).get("confidence").asDouble();
      if (state.equals("UNCERTAIN")) {
        // The sample's erased pencil ghost (box 10) is as dark as the faintest pencil answers
        // at this resolution and noise: the grader may say it is not sure, never guess.
        uncertain++;
        assertThat(confidence).as("box %d", i + 1).isLessThan(0.95);
      } else {
        assertThat(state).as("box %d", i + 1).isEqualTo(truth);
        assertThat(confidence).as("box %d", i + 1).isBetween(0.95, 1.0);
      }
    }
    assertThat(uncertain).isLessThanOrEqualTo(1);
    long answered = 0;
    for (JsonNode a : expected.get("answered")) {
      answered += a.asBoolean() ? 1 : 0;
    }
    assertThat(body.get("completion").asDouble())
        .isCloseTo(answered / 12.0, org.assertj.core.data.Offset.offset(0.001));
    assertThat(body.get("quality").get("width").asInt()).isEqualTo(1600);
    assertThat(body.get("quality").get("edgeWidthMm").asDouble()).isPositive();
    assertThat(body.get("timings").get("totalMs").asDouble()).isPositive();
  }

  @Test
  void plainJson_fromAllowedHost_gradesTheSamplePhoto() throws Exception {
    JsonNode body = call(FakeHttp.postJson(submission(server.url("/sample.jpg"))), 200);
    assertSampleGraded(body);
    assertThat(body.has("event")).isFalse();
  }

  @Test
  void binaryCloudEvent_isGradedAndItsIdEchoed() throws Exception {
    var request =
        FakeHttp.request(
            "POST",
            "application/json",
            Map.of(
                "ce-specversion", "1.0",
                "ce-id", "submissions/0/42",
                "ce-source", "/kafka/submissions",
                "ce-type", "dev.knative.kafka.event"),
            submission(server.url("/sample.jpg")).getBytes(StandardCharsets.UTF_8));
    JsonNode body = call(request, 200);
    assertSampleGraded(body);
    assertThat(body.get("event").get("id").asText()).isEqualTo("submissions/0/42");
  }

  @Test
  void structuredCloudEvent_withDataObjectOrBase64_isGraded() throws Exception {
    String data = submission(server.url("/sample.jpg"));
    String structured =
        "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/test\",\"type\":\"t\","
            + "\"datacontenttype\":\"application/json\",\"data\":"
            + data
            + "}";
    JsonNode body =
        call(
            FakeHttp.request(
                "POST",
                "application/cloudevents+json; charset=utf-8",
                Map.of(),
                structured.getBytes(StandardCharsets.UTF_8)),
            200);
    assertSampleGraded(body);
    assertThat(body.get("event").get("id").asText()).isEqualTo("e-1");

    String base64 =
        "{\"specversion\":\"1.0\",\"id\":\"e-2\",\"source\":\"/test\",\"type\":\"t\","
            + "\"data_base64\":\""
            + Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8))
            + "\"}";
    JsonNode body2 =
        call(
            FakeHttp.request(
                "POST",
                "application/cloudevents+json",
                Map.of(),
                base64.getBytes(StandardCharsets.UTF_8)),
            200);
    assertThat(body2.get("status").asText()).isEqualTo(expected.get("expected").asText());
  }

  @Test
  void fileUri_insideARoot_isGraded() throws Exception {
    JsonNode body =
        call(FakeHttp.postJson(submission(roots.resolve("sample.jpg").toUri().toString())), 200);
    assertSampleGraded(body);
  }

  @Test
  void redirect_toAllowedHost_isFollowed() throws Exception {
    JsonNode body = call(FakeHttp.postJson(submission(server.url("/moved"))), 200);
    assertSampleGraded(body);
  }

  @Test
  void worksheetIdOfAnotherLayout_isUnreadableWithLayoutMismatch() throws Exception {
    String json =
        "{\"submissionId\":\"sub-1\",\"studentId\":\"stu-9\",\"worksheetId\":\"words-6\","
            + "\"imageUri\":\""
            + server.url("/sample.jpg")
            + "\"}";
    JsonNode body = call(FakeHttp.postJson(json), 200);
    assertThat(body.get("status").asText()).isEqualTo("UNREADABLE");
    assertThat(body.get("reason").get("code").asText()).isEqualTo("LAYOUT_MISMATCH");
    assertThat(body.get("reason").get("retryable").asBoolean()).isFalse();
  }

  @Test
  void notJson_is400Permanent() throws Exception {
    JsonNode body = call(FakeHttp.postJson("this is not json"), 400);
    assertError(body, "MALFORMED_JSON", false);
    assertThat(body.get("error").get("details").get("line").asInt()).isEqualTo(1);
  }

  @Test
  void jsonThatIsNotAnObject_is400() throws Exception {
    assertError(call(FakeHttp.postJson("[1,2]"), 400), "MALFORMED_JSON", false);
    assertError(call(FakeHttp.postJson(""), 400), "MALFORMED_JSON", false);
  }

  @Test
  void missingField_is400NamingTheField() throws Exception {
    JsonNode body = call(FakeHttp.postJson("{\"submissionId\":\"s\",\"studentId\":\"t\"}"), 400);
    assertError(body, "INVALID_SUBMISSION", false);
    assertThat(body.get("error").get("details").get("field").asText()).isEqualTo("imageUri");

    JsonNode wrongType =
        call(
            FakeHttp.postJson("{\"submissionId\":7,\"studentId\":\"t\",\"imageUri\":\"x:y\"}"),
            400);
    assertThat(wrongType.get("error").get("details").get("field").asText())
        .isEqualTo("submissionId");
  }

  @Test
  void unknownScheme_is400() throws Exception {
    assertError(
        call(FakeHttp.postJson(submission("ftp://127.0.0.1/a.jpg")), 400),
        "UNSUPPORTED_SCHEME",
        false);
    assertError(
        call(FakeHttp.postJson(submission("jar:file:/x.jar!/a.jpg")), 400),
        "UNSUPPORTED_SCHEME",
        false);
  }

  @Test
  void hostNotAllowed_is403() throws Exception {
    JsonNode body =
        call(FakeHttp.postJson(submission("http://169.254.169.254/latest/meta-data")), 403);
    assertError(body, "SOURCE_NOT_ALLOWED", false);
    assertThat(body.get("error").get("details").get("host").asText()).isEqualTo("169.254.169.254");
  }

  @Test
  void redirectToHostNotAllowed_is403() throws Exception {
    JsonNode body = call(FakeHttp.postJson(submission(server.url("/away"))), 403);
    assertError(body, "SOURCE_NOT_ALLOWED", false);
    assertThat(body.get("error").get("details").get("redirect").asBoolean()).isTrue();
  }

  @Test
  void fileOutsideRoots_orTraversal_is403() throws Exception {
    assertError(
        call(FakeHttp.postJson(submission("file:///etc/passwd")), 403),
        "SOURCE_NOT_ALLOWED",
        false);
    String traversal = roots.toUri() + "../../../../etc/passwd";
    assertError(call(FakeHttp.postJson(submission(traversal)), 403), "SOURCE_NOT_ALLOWED", false);
  }

  @Test
  void missingImage_is422NotFound() throws Exception {
    assertError(
        call(FakeHttp.postJson(submission(server.url("/nope.jpg"))), 422),
        "IMAGE_NOT_FOUND",
        false);
    assertError(
        call(FakeHttp.postJson(submission(roots.resolve("nope.jpg").toUri().toString())), 422),
        "IMAGE_NOT_FOUND",
        false);
  }

  @Test
  void upstreamServerError_is503Retryable() throws Exception {
    var response = new FakeHttp.Response();
    function.service(FakeHttp.postJson(submission(server.url("/broken"))), response);
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.getHeaders().get("Retry-After")).containsExactly("1");
    assertError(JSON.readTree(response.body()), "IMAGE_HOST_UNAVAILABLE", true);
  }

  @Test
  void timeout_is503Retryable() throws Exception {
    assertError(
        call(FakeHttp.postJson(submission(server.url("/slow.jpg"))), 503),
        "IMAGE_FETCH_TIMEOUT",
        true);
  }

  @Test
  void notAnImage_is422() throws Exception {
    assertError(
        call(FakeHttp.postJson(submission(server.url("/text.txt"))), 422), "NOT_AN_IMAGE", false);
  }

  @Test
  void truncatedJpeg_is422() throws Exception {
    assertError(
        call(FakeHttp.postJson(submission(server.url("/truncated.jpg"))), 422),
        "IMAGE_TRUNCATED",
        false);
  }

  @Test
  void imageBombs_are422BeforeDecoding() throws Exception {
    JsonNode png = call(FakeHttp.postJson(submission(server.url("/bomb.png"))), 422);
    assertError(png, "IMAGE_DIMENSIONS_TOO_LARGE", false);
    assertThat(png.get("error").get("details").get("width").asInt()).isEqualTo(60_000);
    assertError(
        call(FakeHttp.postJson(submission(server.url("/bomb.jpg"))), 422),
        "IMAGE_DIMENSIONS_TOO_LARGE",
        false);
  }

  @Test
  void imageOverSizeCap_is413() throws Exception {
    assertError(
        call(FakeHttp.postJson(submission(server.url("/big.jpg"))), 413), "IMAGE_TOO_LARGE", false);
  }

  @Test
  void concurrentRequests_getIdenticalResults() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      var futures = new java.util.ArrayList<java.util.concurrent.Future<String>>();
      for (int i = 0; i < 8; i++) {
        futures.add(
            pool.submit(
                () -> {
                  var response = new FakeHttp.Response();
                  function.service(
                      FakeHttp.postJson(submission(server.url("/sample.jpg"))), response);
                  JsonNode body = JSON.readTree(response.body());
                  return body.get("status").asText() + body.get("boxes");
                }));
      }
      String first = futures.get(0).get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(first).startsWith(expected.get("expected").asText());
      for (var future : futures) {
        assertThat(future.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void getInsteadOfPost_is405() throws Exception {
    assertError(
        call(FakeHttp.request("GET", null, Map.of(), new byte[0]), 405),
        "METHOD_NOT_ALLOWED",
        false);
  }
}
