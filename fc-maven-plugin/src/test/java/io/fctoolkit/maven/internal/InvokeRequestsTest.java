package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InvokeRequestsTest {

  private static InvokeRequest request(
      String method, String path, String query, String headers, String body, String type) {
    return request(method, path, query, headers, body, type, CloudEventSettings.NONE);
  }

  private static InvokeRequest request(
      String method,
      String path,
      String query,
      String headers,
      String body,
      String type,
      CloudEventSettings event) {
    return InvokeRequests.from(
        "hello",
        "dev",
        new InvokeRequests.Settings(
            method, path, query, headers, body.getBytes(StandardCharsets.UTF_8), type, null, event),
        () -> "id-1");
  }

  @Test
  void noBody_isAGetOfTheRoot_withoutContentType_asCurl() {
    InvokeRequest r = request(null, null, null, null, "", null);
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.path()).isEqualTo("/");
    assertThat(r.headers()).isEmpty();
  }

  @Test
  void aBody_isAPostOfJson_unlessTypeOrMethodSaySo() {
    InvokeRequest json = request(null, null, null, null, "{}", null);
    assertThat(json.method()).isEqualTo("POST");
    assertThat(json.headers()).containsEntry("content-type", "application/json");
    InvokeRequest text = request("put", null, null, null, "hi", "text/plain");
    assertThat(text.method()).isEqualTo("PUT");
    assertThat(text.headers()).containsEntry("content-type", "text/plain");
  }

  @Test
  void pathAndQuery_areWrittenPlain_andPercentEncoded() {
    InvokeRequest r = request(null, "items/a b", "name=John Smith&flag&x=a&b=", null, "", null);
    assertThat(r.path()).isEqualTo("/items/a%20b?name=John%20Smith&flag&x=a&b=");
  }

  @Test
  void queryInThePath_isRefusedPointingAtFcQuery() {
    assertThatThrownBy(() -> request(null, "/a?b=1", null, null, "", null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("fc.query");
  }

  @Test
  void userHeaders_replaceThePluginsAndRepeatsAreJoined() {
    InvokeRequest r =
        request(null, null, null, "Content-Type: text/csv, x-a: 1, X-A: 2", "a,b", null);
    assertThat(r.headers()).containsEntry("content-type", "text/csv").containsEntry("x-a", "1, 2");
  }

  @Test
  void aCloudEvent_isPostedInBinaryMode_withItsHeadersAndBody() {
    InvokeRequest r =
        request(
            null,
            null,
            null,
            "x-extra: 1",
            "{\"a\":1}",
            null,
            new CloudEventSettings("t", "s", null, null, null));
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.headers())
        .containsEntry("ce-id", "id-1")
        .containsEntry("ce-type", "t")
        .containsEntry("content-type", "application/json")
        .containsEntry("x-extra", "1");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
  }

  @Test
  void aMethodThatIsNoWord_isRefused() {
    assertThatThrownBy(() -> request("G T", null, null, null, "", null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'G T'");
  }
}
