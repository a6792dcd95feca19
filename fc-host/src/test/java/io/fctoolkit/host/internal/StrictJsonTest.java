package io.fctoolkit.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fctoolkit.host.internal.StrictJson.JsonException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

  @Test
  void parse_allValueKinds() {
    Object parsed =
        StrictJson.parse(
            " {\"s\":\"a\\\"b\\u00e9\\n\",\"i\":-12,\"big\":123456789012345678901,"
                + "\"d\":1.5e2,\"t\":true,\"f\":false,\"n\":null,\"l\":[],\"o\":{}} ");

    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) parsed;
    assertThat(map).containsEntry("n", null);
    map.remove("n");
    assertThat(map)
        .isEqualTo(
            new java.util.LinkedHashMap<>(
                Map.of(
                    "s",
                    "a\"bé\n",
                    "i",
                    -12L,
                    "big",
                    new BigInteger("123456789012345678901"),
                    "d",
                    new BigDecimal("1.5e2"),
                    "t",
                    true,
                    "f",
                    false,
                    "l",
                    List.of(),
                    "o",
                    Map.of())));
  }

  @Test
  void parse_rejectsMalformedInputWithOffset() {
    assertThatThrownBy(() -> StrictJson.parse("{\"a\":1,}"))
        .isInstanceOf(JsonException.class)
        .hasMessage("Invalid JSON at offset 7: expected a property name in double quotes");
    assertThatThrownBy(() -> StrictJson.parse("[1 2]")).hasMessageContaining("expected ',' or ']'");
    assertThatThrownBy(() -> StrictJson.parse("01")).hasMessageContaining("after the JSON value");
    assertThatThrownBy(() -> StrictJson.parse("\"abc")).hasMessageContaining("unterminated string");
    assertThatThrownBy(() -> StrictJson.parse("[".repeat(500)))
        .hasMessageContaining("nesting deeper");
  }

  @Test
  void write_roundTripsAndEscapes() {
    String json = "{\"a\":[1,2.5,true,null,\"x\\n\\u0001\"],\"b\":{}}";

    assertThat(JsonBinder.toJson(StrictJson.parse(json))).isEqualTo(json);
  }

  @Test
  void timestamps_areIso8601Utc() {
    StringBuilder sb = new StringBuilder();
    JsonLog.isoTimestamp(java.time.Instant.parse("2024-02-29T23:59:58.007Z").toEpochMilli(), sb);

    assertThat(sb).hasToString("2024-02-29T23:59:58.007Z");
  }
}
