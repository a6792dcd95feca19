package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.host.testfunctions.RecordingEvents;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** FC_REPLY_CLOUDEVENTS: 2xx answers to CloudEvent requests become binary-mode CloudEvents. */
class CloudEventReplyTest {
  private static final String KAFKA_SOURCE =
      "/apis/v1/namespaces/grader/kafkasources/grader-submissions#submissions";

  private static InProcessHost http;

  @BeforeAll
  static void start() {
    http =
        InProcessHost.start(
            "io.fctoolkit.host.testfunctions.Replies",
            "FC_REPLY_CLOUDEVENTS",
            "true",
            "FC_FUNCTION_NAME",
            "grader");
  }

  @AfterAll
  static void stop() {
    http.close();
  }

  @Test
  void httpFunction_binaryRequestAsKafkaSourceSendsIt_answersBinaryEvent() throws Exception {
    // When
    HttpResponse<String> response = http.send(kafkaEvent(http, "", "student%2F7"));

    // Then
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("echo {\"submissionId\":\"s1\"}");
    HttpHeaders headers = response.headers();
    assertThat(headers.firstValue("ce-specversion")).contains("1.0");
    assertThat(headers.firstValue("ce-id"))
        .contains("partition:0/offset:42/result@" + KAFKA_SOURCE);
    assertThat(headers.firstValue("ce-source")).contains("/fc/grader");
    assertThat(headers.firstValue("ce-type")).contains("io.fctoolkit.result");
    assertThat(headers.firstValue("ce-partitionkey")).contains("student/7");
    assertThat(headers.firstValue("content-type")).contains("text/plain; charset=utf-8");
    assertThat(headers.firstValue("x-request-id")).contains("partition:0/offset:42");
  }

  @Test
  void redelivery_givesTheSameEventId() throws Exception {
    HttpResponse<String> first = http.send(kafkaEvent(http, "", "k"));
    HttpResponse<String> second = http.send(kafkaEvent(http, "", "k"));

    assertThat(first.headers().firstValue("ce-id")).isPresent();
    assertThat(second.headers().firstValue("ce-id")).isEqualTo(first.headers().firstValue("ce-id"));
  }

  @Test
  void partitionKey_requestPartitionKeyWinsOverKey_andNonAsciiIsPercentEncoded() throws Exception {
    HttpResponse<String> withBoth =
        http.send(kafkaEvent(http, "", "record-key").header("ce-partitionkey", "p%C3%A9"));
    HttpResponse<String> keyOnly = http.send(kafkaEvent(http, "", "%C3%A9l%C3%A8ve 7"));
    HttpResponse<String> noKey = http.send(kafkaEvent(http, "", null));

    assertThat(withBoth.headers().firstValue("ce-partitionkey")).contains("p%C3%A9");
    assertThat(keyOnly.headers().firstValue("ce-partitionkey")).contains("%C3%A9l%C3%A8ve%207");
    assertThat(noKey.headers().firstValue("ce-specversion")).contains("1.0");
    assertThat(noKey.headers().firstValue("ce-partitionkey")).isEmpty();
  }

  @Test
  void structuredRequest_idAndKeyFromTheBody_functionStillReadsTheWholeBody() throws Exception {
    String event =
        "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/orders\",\"type\":\"t\","
            + "\"partitionkey\":\"order-9\",\"data\":{\"n\":1}}";

    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(http.uri("/"))
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(event)));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("echo " + event);
    assertThat(response.headers().firstValue("ce-id")).contains("e-1/result@/orders");
    assertThat(response.headers().firstValue("ce-partitionkey")).contains("order-9");
  }

  @Test
  void functionsOwnEvent_plainRequest_emptyBody_andErrors_areLeftAlone() throws Exception {
    HttpResponse<String> own = http.send(kafkaEvent(http, "?mode=own", "k"));
    HttpResponse<String> structured = http.send(kafkaEvent(http, "?mode=structured", "k"));
    HttpResponse<String> empty = http.send(kafkaEvent(http, "?mode=empty", "k"));
    HttpResponse<String> notFound = http.send(kafkaEvent(http, "?mode=status=404", "k"));
    HttpResponse<String> failed = http.send(kafkaEvent(http, "?mode=status=503", "k"));
    HttpResponse<String> plain =
        http.send(
            HttpRequest.newBuilder(http.uri("/"))
                .header("ce-id", "not-an-event-without-specversion")
                .POST(HttpRequest.BodyPublishers.ofString("x")));

    assertThat(own.headers().firstValue("ce-id")).contains("mine");
    assertThat(own.headers().firstValue("ce-source")).contains("/mine");
    assertThat(own.headers().firstValue("ce-partitionkey")).isEmpty();
    assertThat(structured.headers().firstValue("content-type"))
        .contains("application/cloudevents+json");
    assertThat(structured.headers().firstValue("ce-specversion")).isEmpty();
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body()).isEmpty();
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(plain.statusCode()).isEqualTo(201);
    for (HttpResponse<String> r : List.of(empty, notFound, failed, plain)) {
      assertThat(r.headers().map().keySet())
          .as("headers of %s", r.request().uri())
          .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("ce-"));
    }
  }

  @Test
  void typedFunction_answersJsonEvent_withConfiguredTypeAndHandlerClassAsSource() throws Exception {
    try (InProcessHost typed =
        InProcessHost.start(
            "io.fctoolkit.host.testfunctions.Greeter",
            "FC_REPLY_CLOUDEVENTS",
            "1",
            "FC_REPLY_TYPE",
            "com.example.greeting")) {
      HttpResponse<String> ok =
          typed.send(binaryEvent(typed, "/", "application/json", "{\"name\":\"Ada\",\"times\":1}"));
      HttpResponse<String> bad =
          typed.send(binaryEvent(typed, "/", "application/json", "{\"name\":\" \"}"));

      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("Hello Ada");
      assertThat(ok.headers().firstValue("content-type")).contains("application/json");
      assertThat(ok.headers().firstValue("ce-type")).contains("com.example.greeting");
      assertThat(ok.headers().firstValue("ce-source"))
          .contains("/fc/io.fctoolkit.host.testfunctions.Greeter");
      assertThat(ok.headers().firstValue("ce-id")).contains("id-1/result@/test");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.headers().firstValue("ce-specversion")).isEmpty();
    }
  }

  @Test
  void cloudEventsFunction_hasNoResult_soItsEmptyAnswerIsNoReply() throws Exception {
    try (InProcessHost events =
        InProcessHost.start(
            "io.fctoolkit.host.testfunctions.RecordingEvents", "FC_REPLY_CLOUDEVENTS", "true")) {
      HttpResponse<String> response =
          events.send(binaryEvent(events, "/", "text/plain", "payload"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEmpty();
      assertThat(response.headers().firstValue("ce-specversion")).isEmpty();
      assertThat(RecordingEvents.last.getId()).isEqualTo("id-1");
    }
  }

  @Test
  void off_byDefault() throws Exception {
    try (InProcessHost off = InProcessHost.start("io.fctoolkit.host.testfunctions.Replies")) {
      HttpResponse<String> response = off.send(kafkaEvent(off, "", "k"));

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.headers().firstValue("ce-specversion")).isEmpty();
      assertThat(response.headers().firstValue("ce-id")).isEmpty();
    }
  }

  @Test
  void trainingRun_withReplies_goesThroughTheReplyPathAndExits0() {
    for (String target :
        List.of(
            "io.fctoolkit.host.testfunctions.Replies",
            "io.fctoolkit.host.testfunctions.Greeter",
            "io.fctoolkit.host.testfunctions.RecordingEvents")) {
      ByteArrayOutputStream log = new ByteArrayOutputStream();

      Host.Outcome outcome =
          Host.start(
              Map.of("FUNCTION_TARGET", target, "FC_TRAIN", "1", "FC_REPLY_CLOUDEVENTS", "true"),
              java.io.InputStream.nullInputStream(),
              new PrintStream(log, true, StandardCharsets.UTF_8),
              false);

      String output = log.toString(StandardCharsets.UTF_8);
      assertThat(outcome.status()).as(output).isZero();
      assertThat(output).contains("\"msg\":\"trained\"").doesNotContain("\"status\":500");
    }
  }

  @Test
  void badSettings_exitWithTheConfigStatusNamingTheVariable() {
    assertConfigError(Map.of("FC_REPLY_CLOUDEVENTS", "yes"), "FC_REPLY_CLOUDEVENTS");
    assertConfigError(Map.of("FC_FUNCTION_NAME", "my grader"), "FC_FUNCTION_NAME");
  }

  private static void assertConfigError(Map<String, String> extra, String variable) {
    Map<String, String> env = new java.util.HashMap<>(extra);
    env.put("PORT", "0");
    env.put("FC_BIND", "127.0.0.1");
    env.put("FUNCTION_TARGET", "io.fctoolkit.host.testfunctions.Replies");
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Host.Outcome outcome =
        Host.start(
            env,
            java.io.InputStream.nullInputStream(),
            new PrintStream(log, true, StandardCharsets.UTF_8),
            false);

    assertThat(outcome.status()).isEqualTo(Host.EXIT_CONFIG);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("\"variable\":\"" + variable + "\"")
        .contains("Environment variable " + variable + " has the invalid value");
  }

  /** A binary-mode request shaped like Knative's KafkaSource delivery (docs/kafka-triggers.md). */
  private static HttpRequest.Builder kafkaEvent(InProcessHost host, String query, String key) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(host.uri("/" + query))
            .header("ce-specversion", "1.0")
            .header("ce-id", "partition:0/offset:42")
            .header("ce-source", KAFKA_SOURCE)
            .header("ce-type", "dev.knative.kafka.event")
            .header("ce-subject", "partition:0#42")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"submissionId\":\"s1\"}"));
    if (key != null) {
      request.header("ce-key", key);
    }
    return request;
  }

  private static HttpRequest.Builder binaryEvent(
      InProcessHost host, String path, String contentType, String body) {
    return HttpRequest.newBuilder(host.uri(path))
        .header("ce-specversion", "1.0")
        .header("ce-id", "id-1")
        .header("ce-source", "/test")
        .header("ce-type", "t")
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }
}
