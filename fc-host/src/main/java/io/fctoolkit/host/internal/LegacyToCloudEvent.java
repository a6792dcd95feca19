package io.fctoolkit.host.internal;

import io.cloudevents.SpecVersion;
import io.fctoolkit.host.internal.StrictJson.JsonException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a legacy event of a Google event type into the CloudEvent a {@code CloudEventsFunction}
 * receives, as Google's invoker does for such a function: the type, the source ({@code
 * //<service>/<resource>}) and subject from the legacy resource, the data as JSON (a Pub/Sub
 * message wrapped in {@code {"message":...}}).
 */
final class LegacyToCloudEvent {
  private LegacyToCloudEvent() {}

  private static final Pattern STORAGE_RESOURCE =
      Pattern.compile("^(projects/_/buckets/[^/]+)/(objects/.*?)(?:#\\d+)?$");
  private static final Pattern DOCUMENT_RESOURCE =
      Pattern.compile("^(projects/.+)/((documents|refs)/.+)$");

  private enum Shape {
    PUBSUB,
    STORAGE,
    DOCUMENT,
    FIREBASE_AUTH
  }

  private record Mapping(String cloudEventType, String defaultService, Shape shape) {}

  private static final Map<String, Mapping> BY_LEGACY_TYPE = mappings();

  private static Map<String, Mapping> mappings() {
    Map<String, Mapping> m = new LinkedHashMap<>();
    Mapping pubsub =
        new Mapping(
            "google.cloud.pubsub.topic.v1.messagePublished", "pubsub.googleapis.com", Shape.PUBSUB);
    m.put("google.pubsub.topic.publish", pubsub);
    m.put("providers/cloud.pubsub/eventTypes/topic.publish", pubsub);
    String[][] storage = {
      {"google.storage.object.finalize", "finalized"},
      {"google.storage.object.delete", "deleted"},
      {"google.storage.object.archive", "archived"},
      {"google.storage.object.metadataUpdate", "metadataUpdated"},
      {"providers/cloud.storage/eventTypes/object.change", "changed"}
    };
    for (String[] s : storage) {
      m.put(
          s[0],
          new Mapping(
              "google.cloud.storage.object.v1." + s[1], "storage.googleapis.com", Shape.STORAGE));
    }
    for (String change : new String[] {"write", "create", "update", "delete"}) {
      String past = change.equals("write") ? "written" : change + "d";
      m.put(
          "providers/cloud.firestore/eventTypes/document." + change,
          new Mapping(
              "google.cloud.firestore.document.v1." + past,
              "firestore.googleapis.com",
              Shape.DOCUMENT));
      // The invoker names these "document", not "ref", events; kept as it does.
      m.put(
          "providers/google.firebase.database/eventTypes/ref." + change,
          new Mapping(
              "google.firebase.database.document.v1." + past,
              "firebasedatabase.googleapis.com",
              Shape.DOCUMENT));
    }
    m.put(
        "providers/google.firebase.analytics/eventTypes/event.log",
        new Mapping(
            "google.firebase.analytics.log.v1.written", "firebase.googleapis.com", Shape.DOCUMENT));
    m.put(
        "providers/firebase.auth/eventTypes/user.create",
        new Mapping(
            "google.firebase.auth.user.v1.created",
            "firebaseauth.googleapis.com",
            Shape.FIREBASE_AUTH));
    m.put(
        "providers/firebase.auth/eventTypes/user.delete",
        new Mapping(
            "google.firebase.auth.user.v1.deleted",
            "firebaseauth.googleapis.com",
            Shape.FIREBASE_AUTH));
    return Map.copyOf(m);
  }

  static HostCloudEvent convert(LegacyEvent event) throws BadRequestException {
    LegacyContext context = event.context();
    Mapping mapping = context.eventType() == null ? null : BY_LEGACY_TYPE.get(context.eventType());
    if (mapping == null) {
      throw new BadRequestException(
          "Unrecognized legacy event type \""
              + context.eventType()
              + "\": a CloudEventsFunction takes CloudEvents (ce-* headers, or the Content-Type"
              + " application/cloudevents+json) or legacy events of a Google event type");
    }
    String service = mapping.defaultService();
    String name = context.resource();
    if (name != null && name.startsWith("{")) {
      try {
        Object parsed = StrictJson.parse(name);
        if (parsed instanceof Map<?, ?> resource) {
          if (resource.get("service") instanceof String s) {
            service = s;
          }
          name = resource.get("name") instanceof String n ? n : null;
        }
      } catch (JsonException e) {
        // not JSON after all: the whole text is the resource name
      }
    }
    String source = name;
    String subject = null;
    Object data = event.data();
    switch (mapping.shape()) {
      case PUBSUB -> {
        if (data instanceof Map<?, ?> message) {
          // The invoker fills in what a CloudEvent's Pub/Sub message carries: the id and time.
          @SuppressWarnings("unchecked")
          Map<String, Object> writable = (Map<String, Object>) message;
          writable.putIfAbsent("messageId", context.eventId());
          writable.putIfAbsent("publishTime", context.timestamp());
        }
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("message", data);
        data = wrapped;
      }
      case STORAGE, DOCUMENT -> {
        Matcher m =
            (mapping.shape() == Shape.STORAGE ? STORAGE_RESOURCE : DOCUMENT_RESOURCE)
                .matcher(name == null ? "" : name);
        if (m.matches()) {
          source = m.group(1);
          subject = m.group(2);
        }
      }
      case FIREBASE_AUTH -> {
        if (data instanceof Map<?, ?> user) {
          if (user.get("uid") != null) {
            subject = "users/" + textOf(user.get("uid"));
          }
          if (user.get("metadata") instanceof Map<?, ?> metadata) {
            @SuppressWarnings("unchecked")
            Map<String, Object> writable = (Map<String, Object>) metadata;
            rename(writable, "createdAt", "createTime");
            rename(writable, "lastSignedInAt", "lastSignInTime");
          }
        }
      }
    }
    URI sourceUri;
    try {
      sourceUri = new URI("//" + service + "/" + source);
    } catch (URISyntaxException e) {
      throw new BadRequestException(
          "Legacy event resource '" + name + "' does not make a CloudEvent source", e);
    }
    OffsetDateTime time = null;
    if (context.timestamp() != null) {
      try {
        time = OffsetDateTime.parse(context.timestamp(), DateTimeFormatter.ISO_DATE_TIME);
      } catch (DateTimeParseException e) {
        throw new BadRequestException(
            "Legacy event timestamp '" + context.timestamp() + "' is not an ISO date-time", e);
      }
    }
    if (context.eventId() == null) {
      throw new BadRequestException("Legacy event has no eventId");
    }
    return new HostCloudEvent(
        SpecVersion.V1,
        context.eventId(),
        mapping.cloudEventType(),
        sourceUri,
        "application/json",
        null,
        subject,
        time,
        JsonBinder.toJson(data).getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  private static String textOf(Object value) {
    return value instanceof String s ? s : JsonBinder.toJson(value);
  }

  private static void rename(Map<String, Object> object, String from, String to) {
    if (object.containsKey(from)) {
      object.put(to, object.remove(from));
    }
  }
}
