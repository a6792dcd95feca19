package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.host.testfunctions.Greeter;
import io.fctoolkit.host.testfunctions.PojoDoubler;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class TypedFunctionTest {

  @Test
  void records_jsonInJsonOut() throws Exception {
    try (InProcessHost host = InProcessHost.start("io.fctoolkit.host.testfunctions.Greeter")) {
      HttpResponse<String> response =
          host.send(
              post(
                  host,
                  "{\"name\":\"Ada\",\"times\":2,\"tags\":[\"a\"],\"scores\":{\"x\":1.5},"
                      + "\"unknown\":{\"ignored\":true}}"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type")).contains("application/json");
      assertThat(response.body())
          .isEqualTo(
              "{\"greetings\":[\"Hello Ada [a]\",\"Hello Ada [a]\"],\"count\":2,"
                  + "\"kind\":\"FRIENDLY\"}");
    }
  }

  @Test
  void badInput_is400NamingTheProblem() throws Exception {
    try (InProcessHost host = InProcessHost.start("io.fctoolkit.host.testfunctions.Greeter")) {
      HttpResponse<String> notJson = host.send(post(host, "{\"name\":"));
      HttpResponse<String> wrongType = host.send(post(host, "{\"name\":\"A\",\"times\":\"two\"}"));
      HttpResponse<String> tooBig = host.send(post(host, "{\"name\":\"A\",\"times\":1e20}"));
      HttpResponse<String> rejected = host.send(post(host, "{\"name\":\" \",\"times\":1}"));

      assertThat(notJson.statusCode()).isEqualTo(400);
      assertThat(notJson.body()).contains("Invalid JSON at offset 8");
      assertThat(wrongType.statusCode()).isEqualTo(400);
      assertThat(wrongType.body())
          .contains("Value at $.times must be a number (int) but is a string");
      assertThat(tooBig.statusCode()).isEqualTo(400);
      assertThat(tooBig.body()).contains("does not fit int");
      assertThat(rejected.statusCode()).isEqualTo(400);
      assertThat(rejected.body()).contains("name must not be blank");
    }
  }

  @Test
  void plainClassThroughGenericBaseClass() throws Exception {
    assertThat(TypedInvoker.requestType(PojoDoubler.class)).isEqualTo(PojoDoubler.Numbers.class);
    assertThat(TypedInvoker.requestType(Greeter.class)).isEqualTo(Greeter.Request.class);
    try (InProcessHost host = InProcessHost.start("io.fctoolkit.host.testfunctions.PojoDoubler")) {
      HttpResponse<String> response = host.send(post(host, "{\"value\":21}"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"value\":42,\"factor\":2.0}");
    }
  }

  @Test
  void functionsOwnWireFormat_isUsed() throws Exception {
    try (InProcessHost host =
        InProcessHost.start("io.fctoolkit.host.testfunctions.OwnWireFormat")) {
      HttpResponse<String> response = host.send(post(host, "shout"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type")).contains("text/plain");
      assertThat(response.body()).isEqualTo("<SHOUT>");
    }
  }

  @Test
  void oversizedBody_is413WithoutReadingIt() throws Exception {
    try (InProcessHost host = InProcessHost.start("io.fctoolkit.host.testfunctions.Greeter");
        java.net.Socket socket = new java.net.Socket("127.0.0.1", host.port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                      + "Content-Length: 40000000\r\n\r\n{")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String response =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

      assertThat(response)
          .startsWith("HTTP/1.1 413 ")
          .contains("Connection: close")
          .contains("\"type\":\"PayloadTooLarge\"");
    }
  }

  private static HttpRequest.Builder post(InProcessHost host, String body) {
    return HttpRequest.newBuilder(host.uri("/"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }
}
