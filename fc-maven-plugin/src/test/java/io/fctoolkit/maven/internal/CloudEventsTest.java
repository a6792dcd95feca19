package io.fctoolkit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.core.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CloudEventsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void binary_putsAttributesInCeHeaders_andKeepsTheBody() {
    CloudEvents.Encoded e =
        CloudEvents.encode(
            new CloudEventSettings("t.created", "//src", "sub-1", null, null),
            bytes("{\"a\":1}"),
            "application/json",
            () -> "id-1");
    assertThat(e.headers())
        .containsEntry("ce-specversion", "1.0")
        .containsEntry("ce-id", "id-1")
        .containsEntry("ce-type", "t.created")
        .containsEntry("ce-source", "//src")
        .containsEntry("ce-subject", "sub-1")
        .containsEntry("content-type", "application/json")
        .hasSize(6);
    assertThat(e.body()).isEqualTo(bytes("{\"a\":1}"));
  }

  @Test
  void binary_withoutSubjectOrBody_hasNoSubjectNorContentType_andAGivenIdIsKept() {
    CloudEvents.Encoded e =
        CloudEvents.encode(
            new CloudEventSettings("t", "s", null, "given", "BINARY"),
            new byte[0],
            null,
            () -> "unused");
    assertThat(e.headers())
        .containsEntry("ce-id", "given")
        .doesNotContainKeys("ce-subject", "content-type");
  }

  @Test
  void structured_jsonBody_isDataAsJson() throws Exception {
    CloudEvents.Encoded e =
        CloudEvents.encode(
            new CloudEventSettings("t", "s", "sub", "i", "structured"),
            bytes("{\"name\":\"x\"}"),
            "application/json",
            () -> "unused");
    assertThat(e.headers())
        .containsExactly(
            java.util.Map.entry("content-type", "application/cloudevents+json; charset=utf-8"));
    JsonNode doc = JSON.readTree(e.body());
    assertThat(doc.get("specversion").asText()).isEqualTo("1.0");
    assertThat(doc.get("id").asText()).isEqualTo("i");
    assertThat(doc.get("type").asText()).isEqualTo("t");
    assertThat(doc.get("source").asText()).isEqualTo("s");
    assertThat(doc.get("subject").asText()).isEqualTo("sub");
    assertThat(doc.get("datacontenttype").asText()).isEqualTo("application/json");
    assertThat(doc.get("data").get("name").asText()).isEqualTo("x");
  }

  @Test
  void structured_textBody_isDataAsString_andBinaryBody_isDataBase64() throws Exception {
    JsonNode text =
        JSON.readTree(
            CloudEvents.encode(
                    new CloudEventSettings("t", "s", null, "i", "structured"),
                    bytes("héllo"),
                    "text/plain; charset=utf-8",
                    () -> "unused")
                .body());
    assertThat(text.get("data").asText()).isEqualTo("héllo");
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
    JsonNode binary =
        JSON.readTree(
            CloudEvents.encode(
                    new CloudEventSettings("t", "s", null, "i", "structured"),
                    png,
                    "image/png",
                    () -> "unused")
                .body());
    assertThat(binary.has("data")).isFalse();
    assertThat(Base64.getDecoder().decode(binary.get("data_base64").asText())).isEqualTo(png);
  }

  @Test
  void missingTypeOrSource_badMode_andJsonThatIsNot_areRefusedNamingTheParameter() {
    assertThatThrownBy(
            () ->
                CloudEvents.encode(
                    new CloudEventSettings(null, "s", null, null, null),
                    new byte[0],
                    null,
                    () -> "i"))
        .hasMessageContaining("fc.cloudEvent.type");
    assertThatThrownBy(
            () ->
                CloudEvents.encode(
                    new CloudEventSettings("t", null, null, null, null),
                    new byte[0],
                    null,
                    () -> "i"))
        .hasMessageContaining("fc.cloudEvent.source");
    assertThatThrownBy(
            () ->
                CloudEvents.encode(
                    new CloudEventSettings("t", "s", null, null, "batch"),
                    new byte[0],
                    null,
                    () -> "i"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'batch'");
    assertThatThrownBy(
            () ->
                CloudEvents.encode(
                    new CloudEventSettings("t", "s", null, null, "structured"),
                    bytes("{oops"),
                    "application/json",
                    () -> "i"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("not JSON");
  }
}
