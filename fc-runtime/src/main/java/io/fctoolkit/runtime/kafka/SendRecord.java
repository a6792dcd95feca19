package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A test record {@code fc:send} produces to a trigger's topic.
 *
 * @param origin where it was written, for messages: {@code records.jsonl:3}, {@code a.json}
 * @param key the record key (UTF-8), or null
 * @param headers the record headers in order (UTF-8 values; a name may repeat)
 * @param value the record value
 */
public record SendRecord(
    String origin, String key, List<Map.Entry<String, String>> headers, byte[] value) {
  public SendRecord {
    requireNonNull(origin, "origin");
    requireNonNull(value, "value");
    headers = headers.stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
  }
}
