package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class HttpFunctionTest {

  @Test
  void googleHelloWorldSample_runsUnmodified() throws Exception {
    try (InProcessHost host = InProcessHost.start("functions.HelloWorld")) {
      HttpResponse<String> response = host.get("/");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("Hello World!");
      assertThat(response.headers().firstValue("x-request-id")).isPresent();
    }
  }

  @Test
  void service_seesMethodPathQueryHeadersAndBody() throws Exception {
    try (InProcessHost host = InProcessHost.start("io.fctoolkit.host.testfunctions.Echo")) {
      HttpResponse<String> response =
          host.send(
              HttpRequest.newBuilder(host.uri("/a/b?name=J%C3%BCrgen&x=1"))
                  .header("X-Test", "h1")
                  .header("x-request-id", "req-42")
                  .POST(HttpRequest.BodyPublishers.ofString("payload")));

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.body()).isEqualTo("POST /a/b name=Jürgen header=h1 body=payload");
      assertThat(response.headers().firstValue("x-echo")).contains("yes");
      assertThat(response.headers().firstValue("content-type"))
          .contains("text/plain; charset=utf-8");
      assertThat(response.headers().firstValue("x-request-id")).contains("req-42");
      assertThat(host.awaitLog("\"status\":201"))
          .contains("\"msg\":\"request\",\"requestId\":\"req-42\",\"method\":\"POST\"")
          .contains("\"status\":201");
    }
  }

  @Test
  void functionException_answers500WithJsonErrorAndNoPartialOutput() throws Exception {
    try (InProcessHost host = InProcessHost.start("io.fctoolkit.host.testfunctions.Failing")) {
      HttpResponse<String> response =
          host.send(HttpRequest.newBuilder(host.uri("/x")).header("x-request-id", "r-1").GET());

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.headers().firstValue("content-type")).contains("application/json");
      assertThat(response.body())
          .isEqualTo(
              "{\"error\":{\"type\":\"java.lang.IllegalStateException\","
                  + "\"message\":\"boom in /x\",\"requestId\":\"r-1\"}}");
      assertThat(host.log())
          .contains("\"level\":\"ERROR\",\"msg\":\"function threw\",\"requestId\":\"r-1\"");
    }
  }

  @Test
  void readyLine_isFirstLogLineAndCarriesThePort() throws Exception {
    try (InProcessHost host = InProcessHost.start("functions.HelloWorld")) {
      String first = host.log().lines().findFirst().orElseThrow();

      assertThat(first)
          .startsWith("{\"ts\":\"")
          .contains("\"msg\":\"ready\",\"port\":" + host.port + ",")
          .contains("\"kind\":\"http\"");
      assertThat(host.port).isPositive();
    }
  }

  @Test
  void multipartParts_areParsed() throws Exception {
    try (InProcessHost host = InProcessHost.start("io.fctoolkit.host.testfunctions.Parts")) {
      String body =
          "--XyZ\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue 1\r\n"
              + "--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n"
              + "Content-Type: image/jpeg\r\n\r\nJPEGDATA\r\n--XyZ--\r\n";

      HttpResponse<String> response =
          host.send(
              HttpRequest.newBuilder(host.uri("/upload"))
                  .header("Content-Type", "multipart/form-data; boundary=XyZ")
                  .POST(HttpRequest.BodyPublishers.ofString(body)));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("field|-|-|value 1\nphoto|a.jpg|image/jpeg|JPEGDATA\n");
    }
  }

  @Test
  void everyLogLine_isOneJsonObjectWithTimestampLevelAndMessage() throws Exception {
    try (InProcessHost host = InProcessHost.start("io.fctoolkit.host.testfunctions.Failing")) {
      host.send(HttpRequest.newBuilder(host.uri("/x%22y?q=%22")).header("x-request-id", "a\"b"));
      String log = host.awaitLog("\"msg\":\"request\"");

      for (String line : log.split("\n")) {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> entry =
            (java.util.Map<String, Object>) StrictJson.parse(line);
        assertThat(entry).containsKeys("ts", "level", "msg");
        assertThat((String) entry.get("ts"))
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      }
      assertThat(log).contains("\"requestId\":\"a\\\"b\"");
    }
  }

  @Test
  void controlEndpoints_answerAndUnknownOnesAre404() throws Exception {
    try (InProcessHost host = InProcessHost.start("functions.HelloWorld")) {
      assertThat(host.get("/_fc/live").statusCode()).isEqualTo(200);
      assertThat(host.get("/_fc/ready").body()).isEqualTo("{\"status\":\"ready\"}");
      assertThat(host.get("/_fc/nope").statusCode()).isEqualTo(404);
      // Training endpoints exist only in a training run.
      assertThat(host.get("/_fc/train").statusCode()).isEqualTo(404);
    }
  }
}
