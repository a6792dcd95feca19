package io.fctoolkit.maven.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a body and {@link CloudEventSettings} into the HTTP form of a CloudEvent 1.0, as the
 * CloudEvents HTTP protocol binding defines it: binary mode (attributes in {@code ce-*} headers,
 * the body unchanged with its content type) or structured mode (one JSON document with the data
 * inside: as JSON for a JSON body, as text for a text body, else base64 in {@code data_base64}).
 */
public final class CloudEvents {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CloudEvents() {}

  /** The headers and body to send. */
  public record Encoded(Map<String, String> headers, byte[] body) {
    public Encoded {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * @param contentType the body's media type, or null when there is no body
   * @param ids makes the event id when none is set
   */
  public static Encoded encode(
      CloudEventSettings event, byte[] body, String contentType, Supplier<String> ids) {
    if (!CloudEventSettings.set(event.type())) {
      throw Hints.missingRequest("cloudEvent.type", "the CloudEvent's type");
    }
    if (!CloudEventSettings.set(event.source())) {
      throw Hints.missingRequest("cloudEvent.source", "the CloudEvent's source");
    }
    String mode =
        CloudEventSettings.set(event.mode())
            ? event.mode().trim().toLowerCase(Locale.ROOT)
            : "binary";
    String id = CloudEventSettings.set(event.id()) ? event.id() : ids.get();
    Map<String, String> headers = new LinkedHashMap<>();
    switch (mode) {
      case "binary" -> {
        headers.put("ce-specversion", "1.0");
        headers.put("ce-id", id);
        headers.put("ce-source", event.source());
        headers.put("ce-type", event.type());
        if (CloudEventSettings.set(event.subject())) {
          headers.put("ce-subject", event.subject());
        }
        if (contentType != null && body.length > 0) {
          headers.put("content-type", contentType);
        }
        return new Encoded(headers, body);
      }
      case "structured" -> {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("specversion", "1.0");
        doc.put("id", id);
        doc.put("source", event.source());
        doc.put("type", event.type());
        if (CloudEventSettings.set(event.subject())) {
          doc.put("subject", event.subject());
        }
        if (body.length > 0) {
          if (contentType != null) {
            doc.put("datacontenttype", contentType);
          }
          putData(doc, body, contentType);
        }
        headers.put("content-type", "application/cloudevents+json; charset=utf-8");
        try {
          return new Encoded(headers, JSON.writeValueAsBytes(doc));
        } catch (IOException e) {
          throw new IllegalStateException("a JSON tree always serialises", e);
        }
      }
      default ->
          throw Hints.invalidRequest(
              "cloudEvent.mode", event.mode(), "the mode is 'binary' or 'structured'");
    }
  }

  private static void putData(ObjectNode doc, byte[] body, String contentType) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    String media = type.contains(";") ? type.substring(0, type.indexOf(';')).trim() : type.trim();
    if (media.equals("application/json") || media.endsWith("+json")) {
      try {
        JsonNode data = JSON.readTree(body);
        doc.set("data", data);
        return;
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw Hints.invalidRequest(
            "contentType",
            contentType,
            "the body is not JSON (" + e.getOriginalMessage() + "); fix it or name its real type");
      } catch (IOException e) {
        throw new IllegalStateException("reading a byte array fails only on bad JSON", e);
      }
    }
    String text = media.startsWith("text/") || media.endsWith("xml") ? utf8(body) : null;
    if (text != null) {
      doc.put("data", text);
    } else {
      doc.put("data_base64", Base64.getEncoder().encodeToString(body));
    }
  }

  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
