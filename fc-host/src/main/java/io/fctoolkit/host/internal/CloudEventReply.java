package io.fctoolkit.host.internal;

import io.fctoolkit.host.internal.StrictJson.JsonException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a function's 2xx answer to a CloudEvent request into a binary-mode CloudEvent reply ({@code
 * FC_REPLY_CLOUDEVENTS=true}).
 *
 * <p>Knative forwards a reply (from a Sequence step to its {@code reply}, from a Broker Trigger
 * back into the Broker) only when it is a CloudEvent, and its dispatchers refuse a non-empty 2xx
 * answer that is not one. The host therefore adds the {@code ce-*} headers itself, so a function
 * need not know which platform runs it.
 */
final class CloudEventReply {
  /** The value of {@code ce-source}: {@code /fc/<function>}. */
  private final String source;

  /** The value of {@code ce-type}. */
  private final String type;

  CloudEventReply(String functionName, String type) {
    this.source = "/fc/" + functionName;
    this.type = type;
  }

  /** What a reply needs from the request event; read before the function runs. */
  record Origin(String id, String source, String partitionKey) {}

  /**
   * The request's event attributes, or null when the request is not a CloudEvent (or not one the
   * host can read: the invoker reports what is wrong with it, if the function cares).
   *
   * <p>A structured-mode request is buffered here (up to the 32 MiB cap of bodies the host reads)
   * to read its attributes; the function still gets the whole body.
   */
  static Origin origin(ExchangeRequest request) throws IOException, BadRequestException {
    String contentType = request.getContentType().orElse("").toLowerCase(Locale.ROOT);
    if (contentType.startsWith("application/cloudevents+json")) {
      return structured(request);
    }
    if (contentType.startsWith("application/cloudevents")) {
      return null; // batch or an unknown format: no single event to answer
    }
    if (request.getFirstHeader("ce-specversion").isEmpty()) {
      return null;
    }
    String id = header(request, "ce-id");
    String source = header(request, "ce-source");
    if (id == null || source == null) {
      return null;
    }
    String key = header(request, "ce-partitionkey");
    return new Origin(id, source, key != null ? key : header(request, "ce-key"));
  }

  private static Origin structured(ExchangeRequest request)
      throws IOException, BadRequestException {
    Object parsed;
    try {
      parsed = StrictJson.parse(new String(request.body(), request.charset()));
    } catch (JsonException e) {
      return null;
    }
    if (!(parsed instanceof Map)) {
      return null;
    }
    Map<?, ?> json = (Map<?, ?>) parsed;
    String id = text(json.get("id"));
    String source = text(json.get("source"));
    if (id == null || source == null) {
      return null;
    }
    String key = text(json.get("partitionkey"));
    return new Origin(id, source, key != null ? key : text(json.get("key")));
  }

  /**
   * Adds the {@code ce-*} headers to {@code headers} when the answer is a result worth an event:
   * 2xx, a non-empty body, and no CloudEvent of the function's own (any {@code ce-} header or a
   * structured {@code application/cloudevents} content type). Returns whether it did.
   *
   * <p>An empty body stays a plain empty answer, which Knative treats as "no reply": a
   * CloudEventsFunction has no result, and an event without data would reach the result topic as a
   * null-valued record, a tombstone on a compacted topic.
   */
  boolean apply(Origin origin, int status, Map<String, List<String>> headers, byte[] body) {
    if (origin == null || status < 200 || status > 299 || body.length == 0) {
      return false;
    }
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("ce-")) {
        return false;
      }
      if (name.equals("content-type")
          && !e.getValue().isEmpty()
          && e.getValue().get(0).toLowerCase(Locale.ROOT).startsWith("application/cloudevents")) {
        return false;
      }
    }
    headers.put("ce-specversion", one("1.0"));
    // Derived from the request, never random: a redelivered request gives the same event id, so
    // consumers can drop duplicates. The request's source is part of it because ids are unique
    // only per source (KafkaSource ids are partition/offset, the same on every topic).
    headers.put("ce-id", one(encode(origin.id() + "/result@" + origin.source())));
    headers.put("ce-source", one(encode(source)));
    headers.put("ce-type", one(encode(type)));
    if (origin.partitionKey() != null) {
      // KafkaSink uses the partitionkey extension as the record key: the result is keyed like
      // the source record, as the local runtime does.
      headers.put("ce-partitionkey", one(encode(origin.partitionKey())));
    }
    return true;
  }

  private static String header(ExchangeRequest request, String name) {
    String value = request.getFirstHeader(name).orElse(null);
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (value.indexOf('%') < 0) {
      return value;
    }
    try {
      // Header values are percent-encoded UTF-8 (HTTP binding 3.1.3.2); '+' is literal.
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value;
    }
  }

  private static String text(Object value) {
    return value instanceof String && !((String) value).isEmpty() ? (String) value : null;
  }

  /**
   * Percent-encodes a header value as the HTTP binding asks (3.1.3.2): space, double quote,
   * percent, and everything outside printable ASCII, as UTF-8 bytes.
   */
  static String encode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = null;
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain = b > 0x20 && b < 0x7f && b != '"' && b != '%';
      if (plain && sb == null) {
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(bytes.length + 16);
        sb.append(value, 0, i); // all ASCII so far: byte index == char index
      }
      if (plain) {
        sb.append((char) b);
      } else {
        sb.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    return sb == null ? value : sb.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private static List<String> one(String value) {
    List<String> list = new ArrayList<>(1);
    list.add(value);
    return list;
  }
}
