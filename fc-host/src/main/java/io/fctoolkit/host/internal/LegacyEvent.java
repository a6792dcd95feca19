package io.fctoolkit.host.internal;

import io.cloudevents.CloudEvent;
import io.fctoolkit.host.internal.StrictJson.JsonException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A legacy (Cloud Functions "background") event: its data as a parsed JSON tree and its context.
 * Read from the legacy JSON envelope, or converted from a CloudEvent of one of the Google event
 * types the way Google's invoker converts it, so that a background function sees the same payload
 * and context on both hosts.
 */
record LegacyEvent(Object data, LegacyContext context) {
  private static final Pattern SOURCE = Pattern.compile("//([^/]+)/(.+)");
  private static final Pattern DATABASE_LOCATION = Pattern.compile("/locations/[^/]+");
  private static final String PUBSUB_MESSAGE_TYPE =
      "type.googleapis.com/google.pubsub.v1.PubsubMessage";

  /** How one CloudEvent type maps to a legacy event type and shape. */
  private enum Shape {
    PLAIN,
    PUBSUB,
    STORAGE,
    FIREBASE_AUTH,
    FIREBASE_DATABASE
  }

  private record Mapping(String legacyType, Shape shape) {}

  private static final Map<String, Mapping> BY_CLOUDEVENT_TYPE = mappings();

  private static Map<String, Mapping> mappings() {
    Map<String, Mapping> m = new LinkedHashMap<>();
    m.put(
        "google.cloud.pubsub.topic.v1.messagePublished",
        new Mapping("google.pubsub.topic.publish", Shape.PUBSUB));
    for (String[] storage :
        new String[][] {
          {"finalized", "google.storage.object.finalize"},
          {"deleted", "google.storage.object.delete"},
          {"archived", "google.storage.object.archive"},
          {"metadataUpdated", "google.storage.object.metadataUpdate"},
          {"changed", "providers/cloud.storage/eventTypes/object.change"}
        }) {
      m.put("google.cloud.storage.object.v1." + storage[0], new Mapping(storage[1], Shape.STORAGE));
    }
    for (String change : new String[] {"write", "create", "update", "delete"}) {
      String past = change.equals("write") ? "written" : change + "d";
      m.put(
          "google.cloud.firestore.document.v1." + past,
          new Mapping("providers/cloud.firestore/eventTypes/document." + change, Shape.PLAIN));
      m.put(
          "google.firebase.database.ref.v1." + past,
          new Mapping(
              "providers/google.firebase.database/eventTypes/ref." + change,
              Shape.FIREBASE_DATABASE));
    }
    m.put(
        "google.firebase.analytics.log.v1.written",
        new Mapping("providers/google.firebase.analytics/eventTypes/event.log", Shape.PLAIN));
    m.put(
        "google.firebase.auth.user.v1.created",
        new Mapping("providers/firebase.auth/eventTypes/user.create", Shape.FIREBASE_AUTH));
    m.put(
        "google.firebase.auth.user.v1.deleted",
        new Mapping("providers/firebase.auth/eventTypes/user.delete", Shape.FIREBASE_AUTH));
    return Map.copyOf(m);
  }

  /**
   * Reads the legacy envelope: {@code {"data":...,"context":{"eventId",...}}}, or the older flat
   * form where the context fields sit next to {@code data}. A {@code resource} that is an object is
   * kept as its JSON text.
   */
  static LegacyEvent fromJson(String body) throws BadRequestException {
    Object root;
    try {
      root = StrictJson.parse(body);
    } catch (JsonException e) {
      throw new BadRequestException("Legacy event is not valid JSON: " + e.getMessage(), e);
    }
    if (!(root instanceof Map)) {
      throw new BadRequestException(
          "Not an event: a legacy event is a JSON object with data and context, a CloudEvent has"
              + " ce-* headers or the Content-Type application/cloudevents+json");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = (Map<String, Object>) root;
    Object data = object.get("data");
    Map<String, Object> context;
    if (object.get("context") instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> nested = (Map<String, Object>) object.get("context");
      context = nested;
    } else {
      context = new LinkedHashMap<>(object);
      context.remove("data");
    }
    Object resource = context.get("resource");
    return new LegacyEvent(
        data,
        new LegacyContext(
            text(context.get("eventId")),
            text(context.get("timestamp")),
            text(context.get("eventType")),
            resource == null ? "" : text(resource),
            Map.of()));
  }

  /** Converts a CloudEvent of a Google event type; any other type is refused. */
  static LegacyEvent fromCloudEvent(CloudEvent event) throws BadRequestException {
    Mapping mapping = BY_CLOUDEVENT_TYPE.get(event.getType());
    if (mapping == null) {
      throw new BadRequestException(
          "Unrecognized CloudEvent type \""
              + event.getType()
              + "\": a background function receives only the Google event types it can be"
              + " converted from; write a CloudEventsFunction for other events");
    }
    Matcher source = SOURCE.matcher(event.getSource().toString());
    if (!source.find()) {
      throw new BadRequestException(
          "Invalid CloudEvent source '"
              + event.getSource()
              + "', unable to parse into resource service and name");
    }
    String service = source.group(1);
    String name = source.group(2);
    String resource = name + "/" + event.getSubject();
    OffsetDateTime time = event.getTime() == null ? OffsetDateTime.now() : event.getTime();
    String timestamp = DateTimeFormatter.ISO_INSTANT.format(time);
    if (event.getData() == null) {
      throw new BadRequestException(
          "CloudEvent " + event.getId() + " has no data; a background function needs it");
    }
    Object parsed;
    try {
      parsed = StrictJson.parse(new String(event.getData().toBytes(), StandardCharsets.UTF_8));
    } catch (JsonException e) {
      throw new BadRequestException("CloudEvent data is not valid JSON: " + e.getMessage(), e);
    }
    if (!(parsed instanceof Map)) {
      throw new BadRequestException("CloudEvent data is not a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) parsed;
    String legacyResource = resource;
    switch (mapping.shape()) {
      case PUBSUB -> {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("service", service);
        r.put("name", name);
        r.put("type", PUBSUB_MESSAGE_TYPE);
        legacyResource = JsonBinder.toJson(r);
        if (data.get("message") instanceof Map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> message = (Map<String, Object>) data.get("message");
          data = message;
        }
        data.remove("messageId");
        data.remove("publishTime");
      }
      case STORAGE -> {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("service", service);
        r.put("name", resource);
        if (data.containsKey("kind")) {
          r.put("type", text(data.get("kind")));
        }
        legacyResource = JsonBinder.toJson(r);
      }
      case FIREBASE_AUTH -> {
        legacyResource = name;
        if (data.get("metadata") instanceof Map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> metadata = (Map<String, Object>) data.get("metadata");
          rename(metadata, "createTime", "createdAt");
          rename(metadata, "lastSignInTime", "lastSignedInAt");
        }
      }
      case FIREBASE_DATABASE -> legacyResource = DATABASE_LOCATION.matcher(resource).replaceAll("");
      case PLAIN -> {}
    }
    return new LegacyEvent(
        data,
        new LegacyContext(
            event.getId(), timestamp, mapping.legacyType(), legacyResource, Map.of()));
  }

  private static void rename(Map<String, Object> object, String from, String to) {
    if (object.containsKey(from)) {
      object.put(to, object.remove(from));
    }
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof String ? (String) value : JsonBinder.toJson(value);
  }
}
