package io.fctoolkit.host.internal;

import io.cloudevents.SpecVersion;
import io.fctoolkit.host.internal.StrictJson.JsonException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a CloudEvent from an HTTP request in binary mode ({@code ce-*} headers, body = data) or
 * structured mode ({@code application/cloudevents+json}), per the CloudEvents HTTP protocol binding
 * 1.0. Knative's KafkaSource and brokers deliver binary mode; structured mode comes from other
 * senders. Anything else is a 400 that names what is missing.
 */
final class CloudEventReader {
  private CloudEventReader() {}

  /** Whether the request claims to be a CloudEvent (structured, batch or binary mode). */
  static boolean isCloudEvent(ExchangeRequest request) {
    String contentType = request.getContentType().orElse("").toLowerCase(Locale.ROOT);
    return contentType.startsWith("application/cloudevents")
        || request.getFirstHeader("ce-specversion").isPresent();
  }

  static HostCloudEvent read(ExchangeRequest request) throws Exception {
    String contentType = request.getContentType().orElse(null);
    String lowered = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (lowered.startsWith("application/cloudevents-batch")) {
      throw new BadRequestException(
          "Batched CloudEvents (application/cloudevents-batch+json) are not supported;"
              + " send one event per request");
    }
    if (lowered.startsWith("application/cloudevents")) {
      if (!lowered.startsWith("application/cloudevents+json")) {
        throw new BadRequestException(
            "Unsupported structured CloudEvent format '"
                + contentType
                + "'; only application/cloudevents+json is supported");
      }
      return structured(new String(request.body(), request.charset()));
    }
    if (request.getFirstHeader("ce-specversion").isPresent()) {
      return binary(request, contentType);
    }
    throw new BadRequestException(
        "Not a CloudEvent: binary mode needs the ce-specversion, ce-id, ce-source and ce-type"
            + " headers, structured mode the Content-Type application/cloudevents+json");
  }

  private static HostCloudEvent binary(ExchangeRequest request, String contentType)
      throws Exception {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : request.getHeaders().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("ce-") && !e.getValue().isEmpty()) {
        // As given: Google's invoker does not percent-decode ce-* header values, so a function
        // sees the same attribute values on both.
        attributes.put(name.substring(3), e.getValue().get(0));
      }
    }
    SpecVersion version = specVersion(attributes.remove("specversion"));
    String id = attributes.remove("id");
    String source = attributes.remove("source");
    String type = attributes.remove("type");
    String schema = attributes.remove(version == SpecVersion.V03 ? "schemaurl" : "dataschema");
    String subject = attributes.remove("subject");
    String time = attributes.remove("time");
    attributes.remove("datacontenttype"); // the Content-Type header carries it in binary mode
    byte[] body = request.body();
    Map<String, Object> extensions = new LinkedHashMap<>(attributes);
    return build(
        version,
        id,
        source,
        type,
        contentType,
        schema,
        subject,
        time,
        body.length == 0 ? null : body,
        extensions,
        "header ce-");
  }

  private static HostCloudEvent structured(String body) throws Exception {
    Object parsed;
    try {
      parsed = StrictJson.parse(body);
    } catch (JsonException e) {
      throw new BadRequestException("Structured CloudEvent is not valid JSON: " + e.getMessage());
    }
    if (!(parsed instanceof Map)) {
      throw new BadRequestException("Structured CloudEvent must be a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> json = new LinkedHashMap<>((Map<String, Object>) parsed);
    SpecVersion version = specVersion(string(json.remove("specversion"), "specversion"));
    String id = string(json.remove("id"), "id");
    String source = string(json.remove("source"), "source");
    String type = string(json.remove("type"), "type");
    String dataContentType = string(json.remove("datacontenttype"), "datacontenttype");
    String schema =
        string(json.remove(version == SpecVersion.V03 ? "schemaurl" : "dataschema"), "dataschema");
    String subject = string(json.remove("subject"), "subject");
    String time = string(json.remove("time"), "time");
    boolean hasData = json.containsKey("data");
    Object data = json.remove("data");
    Object base64 = json.remove("data_base64");
    byte[] bytes = null;
    if (base64 != null) {
      if (hasData) {
        throw new BadRequestException("A CloudEvent cannot have both data and data_base64");
      }
      try {
        bytes = Base64.getDecoder().decode(string(base64, "data_base64"));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("data_base64 is not valid base64: " + e.getMessage());
      }
    } else if (hasData && data != null) {
      // A JSON string is the data itself unless the content type is JSON, in which case the
      // data is the JSON text (CloudEvents JSON format, section 3.1).
      bytes =
          data instanceof String && !isJson(dataContentType)
              ? ((String) data).getBytes(StandardCharsets.UTF_8)
              : JsonBinder.toJson(data).getBytes(StandardCharsets.UTF_8);
    } else if (hasData) {
      bytes = "null".getBytes(StandardCharsets.UTF_8);
    }
    if (dataContentType == null && hasData) {
      dataContentType = "application/json";
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : json.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Long && (Long) v >= Integer.MIN_VALUE && (Long) v <= Integer.MAX_VALUE) {
        v = ((Long) v).intValue(); // the spec's Integer type is 32-bit
      }
      if (v != null) {
        extensions.put(e.getKey(), v);
      }
    }
    return build(
        version,
        id,
        source,
        type,
        dataContentType,
        schema,
        subject,
        time,
        bytes,
        extensions,
        "attribute ");
  }

  private static HostCloudEvent build(
      SpecVersion version,
      String id,
      String source,
      String type,
      String dataContentType,
      String schema,
      String subject,
      String time,
      byte[] data,
      Map<String, Object> extensions,
      String where)
      throws BadRequestException {
    require(id, where + "id");
    require(source, where + "source");
    require(type, where + "type");
    OffsetDateTime parsedTime = null;
    if (time != null && !time.isEmpty()) {
      try {
        parsedTime = OffsetDateTime.parse(time);
      } catch (DateTimeParseException e) {
        throw new BadRequestException(
            "CloudEvent " + where + "time '" + time + "' is not an RFC 3339 timestamp");
      }
    }
    return new HostCloudEvent(
        version,
        id,
        type,
        uri(source, where + "source"),
        dataContentType,
        schema == null ? null : uri(schema, where + "dataschema"),
        subject,
        parsedTime,
        data,
        extensions);
  }

  private static SpecVersion specVersion(String value) throws BadRequestException {
    if (value == null) {
      throw new BadRequestException("CloudEvent is missing specversion");
    }
    if (value.equals("1.0")) {
      return SpecVersion.V1;
    }
    if (value.equals("0.3")) {
      return SpecVersion.V03;
    }
    throw new BadRequestException(
        "Unsupported CloudEvents specversion '" + value + "'; use 1.0 (or 0.3)");
  }

  private static void require(String value, String name) throws BadRequestException {
    if (value == null || value.isEmpty()) {
      throw new BadRequestException("CloudEvent is missing the required " + name);
    }
  }

  private static URI uri(String value, String name) throws BadRequestException {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw new BadRequestException(
          "CloudEvent " + name + " '" + value + "' is not a URI-reference");
    }
  }

  private static String string(Object value, String name) throws BadRequestException {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new BadRequestException("CloudEvent attribute " + name + " must be a string");
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return true;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    int semicolon = type.indexOf(';');
    if (semicolon >= 0) {
      type = type.substring(0, semicolon).trim();
    }
    return type.equals("application/json") || type.endsWith("+json") || type.equals("text/json");
  }
}
