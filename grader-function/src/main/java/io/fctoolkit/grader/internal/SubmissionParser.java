package io.fctoolkit.grader.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fctoolkit.grader.InvalidSubmissionException;
import io.fctoolkit.grader.MalformedSubmissionException;
import io.fctoolkit.grader.Submission;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a request into a {@link Submission}: a plain JSON body, a binary-mode CloudEvent ({@code
 * ce-*} headers, body = event data) or a structured CloudEvent ({@code
 * application/cloudevents+json}, data in {@code data} or {@code data_base64}).
 */
public final class SubmissionParser {

  /** Largest accepted request body: a submission is a few hundred bytes. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final int MAX_FIELD_LENGTH = 512;

  /**
   * A parsed submission with the CloudEvent attributes it came with, if any.
   *
   * @param submission the submission
   * @param eventId {@code ce-id} / {@code id}, or null for plain JSON
   * @param eventSource {@code ce-source} / {@code source}, or null
   * @param eventType {@code ce-type} / {@code type}, or null
   */
  public record Parsed(
      Submission submission, String eventId, String eventSource, String eventType) {}

  private final ObjectMapper json;

  /** A parser using {@code json}. */
  public SubmissionParser(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Parses {@code body} given the request's {@code contentType} (may be null) and {@code headers}
   * (names in any case).
   */
  public Parsed parse(String contentType, Map<String, List<String>> headers, byte[] body) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/cloudevents+json")) {
      JsonNode event = readObject(body, "structured CloudEvent");
      JsonNode data = eventData(event);
      return new Parsed(
          submission(data), text(event, "id"), text(event, "source"), text(event, "type"));
    }
    String specVersion = header(headers, "ce-specversion");
    JsonNode data = readObject(body, specVersion != null ? "CloudEvent data" : "submission");
    if (specVersion != null) {
      return new Parsed(
          submission(data),
          header(headers, "ce-id"),
          header(headers, "ce-source"),
          header(headers, "ce-type"));
    }
    return new Parsed(submission(data), null, null, null);
  }

  private JsonNode eventData(JsonNode event) {
    if (!event.hasNonNull("specversion")) {
      throw new InvalidSubmissionException(
          "The structured CloudEvent has no specversion; send a CloudEvents 1.0 envelope",
          Map.of("field", "specversion"));
    }
    JsonNode data = event.get("data");
    if (data != null && data.isObject()) {
      return data;
    }
    if (data != null && data.isTextual()) {
      return readObject(data.asText().getBytes(StandardCharsets.UTF_8), "CloudEvent data");
    }
    JsonNode base64 = event.get("data_base64");
    if (base64 != null && base64.isTextual()) {
      try {
        return readObject(Base64.getDecoder().decode(base64.asText()), "CloudEvent data_base64");
      } catch (IllegalArgumentException e) {
        throw new MalformedSubmissionException(
            "The CloudEvent's data_base64 is not valid base64", Map.of("field", "data_base64"), e);
      }
    }
    throw new InvalidSubmissionException(
        "The CloudEvent carries no submission: put it in 'data' as a JSON object",
        Map.of("field", "data"));
  }

  private JsonNode readObject(byte[] body, String what) {
    if (body.length == 0) {
      throw new MalformedSubmissionException(
          "The request body is empty; send the " + what + " as a JSON object", Map.of("bytes", 0));
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (JsonProcessingException e) {
      var location = e.getLocation();
      throw new MalformedSubmissionException(
          "The "
              + what
              + " is not valid JSON"
              + (location != null
                  ? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"
                  : "")
              + ": "
              + e.getOriginalMessage(),
          location != null
              ? Map.of("line", location.getLineNr(), "column", location.getColumnNr())
              : Map.of());
    } catch (IOException e) {
      throw new MalformedSubmissionException(
          "The " + what + " could not be read: " + e.getMessage(), Map.of(), e);
    }
    if (node == null || !node.isObject()) {
      throw new MalformedSubmissionException(
          "The "
              + what
              + " must be a JSON object, e.g. {\"submissionId\":\"s1\",\"studentId\":"
              + "\"st1\",\"imageUri\":\"https://images.example.com/s1.jpg\"}",
          Map.of(
              "found",
              node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT)));
    }
    return node;
  }

  private Submission submission(JsonNode data) {
    String submissionId = required(data, "submissionId");
    String studentId = required(data, "studentId");
    String worksheetId = optional(data, "worksheetId");
    String image = required(data, "imageUri");
    URI uri;
    try {
      uri = new URI(image);
    } catch (URISyntaxException e) {
      throw new InvalidSubmissionException(
          "imageUri is not a valid URI: " + e.getReason() + " at index " + e.getIndex(),
          Map.of("field", "imageUri"),
          e);
    }
    if (!uri.isAbsolute()) {
      throw new InvalidSubmissionException(
          "imageUri must be absolute, e.g. https://images.example.com/photo.jpg or"
              + " file:///data/photos/photo.jpg",
          Map.of("field", "imageUri"));
    }
    return new Submission(submissionId, studentId, worksheetId, uri);
  }

  private static String required(JsonNode data, String field) {
    JsonNode node = data.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidSubmissionException(
          "The submission has no '" + field + "'; it needs submissionId, studentId and imageUri",
          Map.of("field", field));
    }
    return checked(node, field);
  }

  private static String optional(JsonNode data, String field) {
    JsonNode node = data.get(field);
    return node == null || node.isNull() ? null : checked(node, field);
  }

  private static String checked(JsonNode node, String field) {
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new InvalidSubmissionException(
          "'" + field + "' must be a non-empty string", Map.of("field", field));
    }
    String value = node.asText().trim();
    if (value.length() > MAX_FIELD_LENGTH) {
      throw new InvalidSubmissionException(
          "'" + field + "' is longer than " + MAX_FIELD_LENGTH + " characters",
          Map.of("field", field));
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (var entry : headers.entrySet()) {
      if (entry.getKey() != null
          && entry.getKey().equalsIgnoreCase(name)
          && !entry.getValue().isEmpty()) {
        return entry.getValue().get(0);
      }
    }
    return null;
  }
}
