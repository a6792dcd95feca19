package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.fctoolkit.host.testfunctions.RecordingEvents;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CloudEventsFunctionTest {
  private static InProcessHost host;

  @BeforeAll
  static void start() {
    host = InProcessHost.start("io.fctoolkit.host.testfunctions.RecordingEvents");
  }

  @AfterAll
  static void stop() {
    host.close();
  }

  @BeforeEach
  void clear() {
    RecordingEvents.last = null;
  }

  @Test
  void binaryMode_asKnativeKafkaSourceDeliversIt() throws Exception {
    HttpResponse<String> response =
        host.send(
            HttpRequest.newBuilder(host.uri("/"))
                .header("ce-specversion", "1.0")
                .header("ce-id", "grades/0/42")
                .header("ce-source", "/apis/v1/namespaces/ns/kafkasources/src#grades")
                .header("ce-type", "dev.knative.kafka.event")
                .header("ce-subject", "partition:0#42")
                .header("ce-time", "2026-01-02T03:04:05.678Z")
                .header("ce-key", "student%2F7")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"submissionId\":\"s1\"}")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("x-request-id")).contains("grades/0/42");
    CloudEvent event = RecordingEvents.last;
    assertThat(event.getSpecVersion()).isEqualTo(SpecVersion.V1);
    assertThat(event.getId()).isEqualTo("grades/0/42");
    assertThat(event.getSource())
        .isEqualTo(URI.create("/apis/v1/namespaces/ns/kafkasources/src#grades"));
    assertThat(event.getType()).isEqualTo("dev.knative.kafka.event");
    assertThat(event.getSubject()).isEqualTo("partition:0#42");
    assertThat(event.getTime()).isEqualTo(OffsetDateTime.parse("2026-01-02T03:04:05.678Z"));
    assertThat(event.getDataContentType()).isEqualTo("application/json");
    // As on Google's invoker: header values reach the function as sent, not percent-decoded.
    assertThat(event.getExtension("key")).isEqualTo("student%2F7");
    assertThat(event.getExtensionNames()).containsExactly("key");
    assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"submissionId\":\"s1\"}");
    assertThat(event.getAttribute("type")).isEqualTo("dev.knative.kafka.event");
  }

  @Test
  void structuredMode_withJsonDataAndExtensions() throws Exception {
    String body =
        "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"https://example.com/src\","
            + "\"type\":\"com.example.created\",\"datacontenttype\":\"application/json\","
            + "\"dataschema\":\"https://example.com/schema\",\"partitionkey\":\"p\",\"retries\":3,"
            + "\"data\":{\"a\":[1,2.5,true,null],\"b\":\"x\"}}";

    HttpResponse<String> response =
        host.send(
            HttpRequest.newBuilder(host.uri("/"))
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)));

    assertThat(response.statusCode()).isEqualTo(200);
    CloudEvent event = RecordingEvents.last;
    assertThat(event.getId()).isEqualTo("e-1");
    assertThat(event.getDataSchema()).isEqualTo(URI.create("https://example.com/schema"));
    assertThat(event.getExtension("partitionkey")).isEqualTo("p");
    assertThat(event.getExtension("retries")).isEqualTo(3);
    assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":[1,2.5,true,null],\"b\":\"x\"}");
  }

  @Test
  void structuredMode_withBase64DataAndTextData() throws Exception {
    host.send(
        HttpRequest.newBuilder(host.uri("/"))
            .header("Content-Type", "application/cloudevents+json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"specversion\":\"1.0\",\"id\":\"b\",\"source\":\"s\",\"type\":\"t\","
                        + "\"datacontenttype\":\"application/octet-stream\","
                        + "\"data_base64\":\"AAEC/w==\"}")));
    assertThat(RecordingEvents.last.getData().toBytes()).containsExactly(0, 1, 2, 255);

    host.send(
        HttpRequest.newBuilder(host.uri("/"))
            .header("Content-Type", "application/cloudevents+json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"specversion\":\"1.0\",\"id\":\"t\",\"source\":\"s\",\"type\":\"t\","
                        + "\"datacontenttype\":\"text/plain\",\"data\":\"héllo\"}")));
    assertThat(new String(RecordingEvents.last.getData().toBytes(), StandardCharsets.UTF_8))
        .isEqualTo("héllo");
  }

  @Test
  void missingRequiredAttribute_is400NamingIt() throws Exception {
    HttpResponse<String> response =
        host.send(
            HttpRequest.newBuilder(host.uri("/"))
                .header("ce-specversion", "1.0")
                .header("ce-source", "s")
                .header("ce-type", "t")
                .POST(HttpRequest.BodyPublishers.ofString("x")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .contains("\"type\":\"BadRequest\"")
        .contains("missing the required header ce-id");
    assertThat(RecordingEvents.last).isNull();
  }

  @Test
  void plainRequest_is400SayingWhatACloudEventNeeds() throws Exception {
    HttpResponse<String> response = host.get("/");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("Not a CloudEvent").contains("ce-specversion");
  }

  @Test
  void malformedStructuredEvent_is400WithTheOffset() throws Exception {
    HttpResponse<String> response =
        host.send(
            HttpRequest.newBuilder(host.uri("/"))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\": ")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("Invalid JSON at offset 7");
  }

  @Test
  void illegalArgumentFromFunction_is400_otherExceptions500() throws Exception {
    HttpResponse<String> invalid = host.send(event("x.invalid", "oops"));
    HttpResponse<String> crash = host.send(event("x.crash", "oops"));

    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.body())
        .contains("\"type\":\"java.lang.IllegalArgumentException\"")
        .contains("bad payload oops");
    assertThat(crash.statusCode()).isEqualTo(500);
    assertThat(crash.body()).contains("database down");
  }

  private static HttpRequest.Builder event(String type, String data) {
    return HttpRequest.newBuilder(host.uri("/"))
        .header("ce-specversion", "1.0")
        .header("ce-id", "id-" + type)
        .header("ce-source", "/test")
        .header("ce-type", type)
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(data));
  }
}
