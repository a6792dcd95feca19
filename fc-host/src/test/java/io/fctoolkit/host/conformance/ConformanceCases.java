package io.fctoolkit.host.conformance;

import io.fctoolkit.host.conformance.InvokerConformanceTest.ConformanceCase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The requests sent to both servers, per function kind, success and error paths. */
final class ConformanceCases {
  private ConformanceCases() {}

  private static final String HTTP = HttpEcho.class.getName();
  private static final String EVENTS = EventRecorder.class.getName();
  private static final String TYPED = Greeter.class.getName();
  private static final String OWN_FORMAT = ShoutingFormat.class.getName();
  private static final String PUBSUB = LegacyPubSub.class.getName();
  private static final String RAW = LegacyRaw.class.getName();

  static List<ConformanceCase> all() {
    List<ConformanceCase> cases = new ArrayList<>();
    http(cases);
    cloudEvents(cases);
    typed(cases);
    background(cases);
    List<ConformanceCase> tagged = new ArrayList<>();
    for (ConformanceCase c : cases) {
      tagged.add(c.showing(differences(c.name())));
    }
    return tagged;
  }

  /** The documented differences each case shows (see {@link KnownDifferences}). */
  private static KnownDifferences[] differences(String name) {
    KnownDifferences[] badInput = {KnownDifferences.BAD_INPUT_IS_400, KnownDifferences.ERROR_BODY};
    KnownDifferences[] error = {KnownDifferences.ERROR_BODY};
    if (name.endsWith("throws IllegalArgumentException")) {
      return name.startsWith("http") ? error : badInput;
    }
    if (name.endsWith("throws")
        || name.endsWith("throws after writing")
        || name.endsWith("cannot read")
        || name.startsWith("typed malformed")
        || name.startsWith("typed wrong type")
        || name.startsWith("typed array instead")
        || name.equals("typed empty body")) {
      return error;
    }
    if (name.startsWith("ce ")
        && (name.contains("missing")
            || name.contains("without ce headers")
            || name.contains("unknown specversion")
            || name.contains("malformed"))) {
      return badInput;
    }
    if (name.endsWith("malformed json")
        || name.endsWith("legacy event of an unknown type")
        || name.endsWith("not an object")
        || name.endsWith("CloudEvent of an unknown type")) {
      return badInput;
    }
    if (name.startsWith("typed") && !name.startsWith("typed own") && !name.contains("null")) {
      return new KnownDifferences[] {KnownDifferences.TYPED_JSON_IS_LABELLED};
    }
    return new KnownDifferences[0];
  }

  private static void http(List<ConformanceCase> cases) {
    cases.add(request("http get", HTTP, "GET", "/", Map.of(), null));
    cases.add(
        request(
            "http get with path and query",
            HTTP,
            "GET",
            "/some/path?name=J%C3%BCrgen&name=two&empty=&flag",
            Map.of("X-Test", "one"),
            null));
    cases.add(
        request(
            "http post json",
            HTTP,
            "POST",
            "/",
            Map.of("Content-Type", "application/json; charset=utf-8"),
            "{\"name\":\"Ünïcode\"}"));
    cases.add(
        request(
            "http put text",
            HTTP,
            "PUT",
            "/x",
            Map.of("Content-Type", "text/plain"),
            "plain body"));
    cases.add(request("http delete", HTTP, "DELETE", "/thing/1", Map.of(), null));
    cases.add(request("http patch", HTTP, "PATCH", "/", Map.of(), "patch"));
    cases.add(request("http options", HTTP, "OPTIONS", "/", Map.of(), null));
    cases.add(
        request(
            "http status, type and header set by the function",
            HTTP,
            "POST",
            "/?status=201&type=application/x-custom&header=added",
            Map.of(),
            "b"));
    cases.add(request("http function sets 404", HTTP, "GET", "/?status=404", Map.of(), null));
    cases.add(request("http function sets 503", HTTP, "GET", "/?status=503", Map.of(), null));
    cases.add(request("http output stream", HTTP, "GET", "/?raw=1", Map.of(), null));
    cases.add(
        request(
            "http output stream with type",
            HTTP,
            "GET",
            "/?raw=1&type=application/octet-stream",
            Map.of(),
            null));
    cases.add(request("http throws after writing", HTTP, "GET", "/?fail=state", Map.of(), null));
    cases.add(
        request(
            "http throws IllegalArgumentException",
            HTTP,
            "GET",
            "/?fail=argument",
            Map.of(),
            null));
  }

  private static void cloudEvents(List<ConformanceCase> cases) {
    Map<String, String> binary = new LinkedHashMap<>();
    binary.put("ce-specversion", "1.0");
    binary.put("ce-id", "binary-1");
    binary.put("ce-source", "//pubsub.googleapis.com/projects/p/topics/t");
    binary.put("ce-type", "google.cloud.pubsub.topic.v1.messagePublished");
    binary.put("ce-subject", "sub");
    binary.put("ce-time", "2024-05-01T10:11:12.345Z");
    binary.put("ce-dataschema", "https://example.com/schema");
    binary.put("ce-myext", "value%20encoded");
    binary.put("Content-Type", "application/json");
    cases.add(
        event("ce binary mode", "POST", binary, "{\"message\":{\"data\":\"aGk=\"}}", "binary-1"));

    Map<String, String> minimal = new LinkedHashMap<>();
    minimal.put("ce-specversion", "1.0");
    minimal.put("ce-id", "minimal-1");
    minimal.put("ce-source", "/s");
    minimal.put("ce-type", "t");
    cases.add(event("ce binary mode, no data", "POST", minimal, null, "minimal-1"));

    Map<String, String> failing = new LinkedHashMap<>(minimal);
    failing.put("ce-id", "fail-1");
    failing.put("ce-type", "com.example.fail");
    cases.add(event("ce function throws", "POST", failing, null, "fail-1"));

    Map<String, String> refusing = new LinkedHashMap<>(minimal);
    refusing.put("ce-id", "argument-1");
    refusing.put("ce-type", "com.example.argument");
    cases.add(
        event("ce function throws IllegalArgumentException", "POST", refusing, null, "argument-1"));

    Map<String, String> noId = new LinkedHashMap<>(minimal);
    noId.remove("ce-id");
    cases.add(event("ce binary mode missing ce-id", "POST", noId, "{}", null));

    Map<String, String> noType = new LinkedHashMap<>(minimal);
    noType.remove("ce-type");
    cases.add(event("ce binary mode missing ce-type", "POST", noType, "{}", null));

    Map<String, String> badVersion = new LinkedHashMap<>(minimal);
    badVersion.put("ce-specversion", "9.9");
    cases.add(event("ce binary mode unknown specversion", "POST", badVersion, "{}", null));

    cases.add(
        event(
            "ce structured mode",
            "POST",
            Map.of("Content-Type", "application/cloudevents+json"),
            "{\"specversion\":\"1.0\",\"id\":\"structured-1\",\"source\":\"/src\","
                + "\"type\":\"com.example.t\",\"subject\":\"s\",\"time\":\"2024-05-01T10:11:12Z\","
                + "\"datacontenttype\":\"application/json\",\"myext\":\"x\","
                + "\"data\":{\"a\":[1,2,{\"b\":null}]}}",
            "structured-1"));
    cases.add(
        event(
            "ce structured mode text data",
            "POST",
            Map.of("Content-Type", "application/cloudevents+json; charset=utf-8"),
            "{\"specversion\":\"1.0\",\"id\":\"structured-2\",\"source\":\"/src\","
                + "\"type\":\"com.example.t\",\"datacontenttype\":\"text/plain\","
                + "\"data\":\"just text\"}",
            "structured-2"));
    cases.add(
        event(
            "ce structured mode base64 data",
            "POST",
            Map.of("Content-Type", "application/cloudevents+json"),
            "{\"specversion\":\"1.0\",\"id\":\"structured-3\",\"source\":\"/src\","
                + "\"type\":\"com.example.t\",\"data_base64\":\"aGVsbG8=\"}",
            "structured-3"));
    cases.add(
        event(
            "ce structured mode missing id",
            "POST",
            Map.of("Content-Type", "application/cloudevents+json"),
            "{\"specversion\":\"1.0\",\"source\":\"/src\",\"type\":\"t\"}",
            null));
    cases.add(
        event(
            "ce structured mode malformed json",
            "POST",
            Map.of("Content-Type", "application/cloudevents+json"),
            "{\"specversion\":",
            null));
    cases.add(
        event(
            "ce plain request without ce headers",
            "POST",
            Map.of("Content-Type", "application/json"),
            "{\"a\":1}",
            null));
    cases.add(event("ce GET without ce headers", "GET", Map.of(), null, null));
    Map<String, String> json = Map.of("Content-Type", "application/json");
    cases.add(
        event(
            "ce legacy pubsub event",
            "POST",
            json,
            "{\"data\":{\"data\":\"aGk=\",\"attributes\":{\"k\":\"v\"}},"
                + "\"context\":{\"eventId\":\"legacy-pubsub-1\","
                + "\"timestamp\":\"2024-05-01T10:11:12.345Z\","
                + "\"eventType\":\"google.pubsub.topic.publish\","
                + "\"resource\":{\"service\":\"pubsub.googleapis.com\","
                + "\"name\":\"projects/p/topics/t\",\"type\":\"x\"}}}",
            "legacy-pubsub-1"));
    cases.add(
        event(
            "ce legacy storage event, flat form",
            "POST",
            json,
            "{\"eventId\":\"legacy-storage-1\",\"timestamp\":\"2024-05-01T10:11:12Z\","
                + "\"eventType\":\"google.storage.object.finalize\","
                + "\"resource\":\"projects/_/buckets/b/objects/file.txt#1234\","
                + "\"data\":{\"kind\":\"storage#object\",\"name\":\"file.txt\"}}",
            "legacy-storage-1"));
    cases.add(
        event(
            "ce legacy firestore event",
            "POST",
            json,
            "{\"data\":{\"value\":{\"fields\":{}}},\"context\":{\"eventId\":\"legacy-fs-1\","
                + "\"timestamp\":\"2024-05-01T10:11:12Z\","
                + "\"eventType\":\"providers/cloud.firestore/eventTypes/document.write\","
                + "\"resource\":\"projects/p/databases/(default)/documents/users/u1\"}}",
            "legacy-fs-1"));
    cases.add(
        event(
            "ce legacy firebase auth event",
            "POST",
            json,
            "{\"data\":{\"uid\":\"u1\",\"metadata\":{\"createdAt\":\"2024-01-01T00:00:00Z\"}},"
                + "\"context\":{\"eventId\":\"legacy-auth-1\","
                + "\"timestamp\":\"2024-05-01T10:11:12Z\","
                + "\"eventType\":\"providers/firebase.auth/eventTypes/user.create\","
                + "\"resource\":\"projects/p\"}}",
            "legacy-auth-1"));
    cases.add(
        event(
            "ce legacy event of an unknown type",
            "POST",
            json,
            "{\"data\":{},\"context\":{\"eventId\":\"legacy-unknown-1\","
                + "\"eventType\":\"com.example.unknown\",\"resource\":\"r\"}}",
            "legacy-unknown-1"));
  }

  private static void typed(List<ConformanceCase> cases) {
    Map<String, String> json = Map.of("Content-Type", "application/json");
    cases.add(
        typed(
            "typed field names",
            json,
            "{\"firstName\":\"John\",\"lastName\":\"Doe\",\"age\":42,\"score\":1.5,"
                + "\"tags\":[\"a\",\"b\"],\"counts\":{\"x\":1},\"vip\":true,\"unknown\":1}"));
    cases.add(
        typed(
            "typed snake_case names are not the SerializedName ones",
            json,
            "{\"first_name\":\"John\",\"last_name\":\"Doe\"}"));
    cases.add(
        typed(
            "typed html characters are escaped as Gson does",
            json,
            "{\"firstName\":\"<b>&'=\",\"lastName\":\"\\u2028\"}"));
    cases.add(
        typed("typed number into a string field", json, "{\"firstName\":12,\"lastName\":true}"));
    cases.add(typed("typed integral double", json, "{\"firstName\":\"a\",\"score\":2}"));
    cases.add(typed("typed function throws", json, "{\"firstName\":\"boom\"}"));
    cases.add(
        typed(
            "typed function throws IllegalArgumentException",
            json,
            "{\"firstName\":\"argument\"}"));
    cases.add(typed("typed function answers null", json, "{\"firstName\":\"nobody\"}"));
    cases.add(typed("typed malformed json", json, "{\"firstName\":"));
    cases.add(typed("typed wrong type for int", json, "{\"firstName\":\"a\",\"age\":\"old\"}"));
    cases.add(typed("typed array instead of object", json, "[1,2]"));
    cases.add(typed("typed empty body", json, null));
    cases.add(typed("typed no content type", Map.of(), "{\"firstName\":\"x\"}"));
    cases.add(request("typed GET with body", TYPED, "GET", "/", Map.of(), "{\"firstName\":\"g\"}"));
    cases.add(request("typed own wire format", OWN_FORMAT, "POST", "/", Map.of(), "quiet words"));
    cases.add(
        request(
            "typed own wire format, function throws", OWN_FORMAT, "POST", "/", Map.of(), "fail"));
    cases.add(
        request(
            "typed own wire format cannot read", OWN_FORMAT, "POST", "/", Map.of(), "unreadable"));
  }

  private static void background(List<ConformanceCase> cases) {
    Map<String, String> json = Map.of("Content-Type", "application/json");
    String legacy =
        "{\"data\":{\"data\":\"aGk=\",\"attributes\":{\"k\":\"v\"},\"messageId\":\"m1\"},"
            + "\"context\":{\"eventId\":\"%s\",\"timestamp\":\"2024-05-01T10:11:12.345Z\","
            + "\"eventType\":\"google.pubsub.topic.publish\","
            + "\"resource\":{\"service\":\"pubsub.googleapis.com\","
            + "\"name\":\"projects/p/topics/t\",\"type\":\"type.googleapis.com/google.pubsub.v1.PubsubMessage\"}}}";
    String flat =
        "{\"eventId\":\"%s\",\"timestamp\":\"2024-05-01T10:11:12Z\","
            + "\"eventType\":\"providers/cloud.pubsub/eventTypes/topic.publish\","
            + "\"resource\":\"projects/p/topics/t\",\"data\":{\"data\":\"aGk=\"}}";
    for (String function : List.of(PUBSUB, RAW)) {
      String kind = function.equals(PUBSUB) ? "background" : "raw background";
      String prefix = function.equals(PUBSUB) ? "bg" : "raw";
      cases.add(
          recorded(
              kind + " legacy event",
              function,
              json,
              legacy.formatted(prefix + "-legacy-1"),
              prefix + "-legacy-1"));
      cases.add(
          recorded(
              kind + " legacy event, flat form",
              function,
              json,
              flat.formatted(prefix + "-flat-1"),
              prefix + "-flat-1"));
      cases.add(
          recorded(
              kind + " function throws",
              function,
              json,
              legacy.formatted(prefix + "-fail-1"),
              prefix + "-fail-1"));
      cases.add(
          recorded(
              kind + " function throws IllegalArgumentException",
              function,
              json,
              legacy.formatted(prefix + "-argument-1"),
              prefix + "-argument-1"));
      cases.add(recorded(kind + " malformed json", function, json, "{\"data\":", null));
      cases.add(recorded(kind + " not an object", function, json, "[1]", null));
      Map<String, String> ce = new LinkedHashMap<>();
      ce.put("ce-specversion", "1.0");
      ce.put("ce-id", prefix + "-ce-1");
      ce.put("ce-source", "//pubsub.googleapis.com/projects/p/topics/t");
      ce.put("ce-type", "google.cloud.pubsub.topic.v1.messagePublished");
      ce.put("ce-time", "2024-05-01T10:11:12.345Z");
      ce.put("Content-Type", "application/json");
      cases.add(
          recorded(
              kind + " pubsub CloudEvent",
              function,
              ce,
              "{\"message\":{\"data\":\"aGk=\",\"attributes\":{\"k\":\"v\"},\"messageId\":\"m1\","
                  + "\"publishTime\":\"2024-05-01T10:11:12.345Z\"},\"subscription\":\"s\"}",
              prefix + "-ce-1"));
      Map<String, String> storage = new LinkedHashMap<>(ce);
      storage.put("ce-id", prefix + "-storage-1");
      storage.put("ce-source", "//storage.googleapis.com/projects/_/buckets/b");
      storage.put("ce-type", "google.cloud.storage.object.v1.finalized");
      storage.put("ce-subject", "objects/file.txt");
      cases.add(
          recorded(
              kind + " storage CloudEvent",
              function,
              storage,
              "{\"kind\":\"storage#object\",\"name\":\"file.txt\",\"bucket\":\"b\"}",
              prefix + "-storage-1"));
      Map<String, String> other = new LinkedHashMap<>(ce);
      other.put("ce-id", prefix + "-other-1");
      other.put("ce-source", "/my/source");
      other.put("ce-type", "com.example.unknown");
      cases.add(
          recorded(
              kind + " CloudEvent of an unknown type",
              function,
              other,
              "{\"a\":1}",
              prefix + "-other-1"));
    }
  }

  private static ConformanceCase request(
      String name,
      String function,
      String method,
      String target,
      Map<String, String> headers,
      String body) {
    return new ConformanceCase(name, function, method, target, headers, body, null, List.of());
  }

  private static ConformanceCase event(
      String name, String method, Map<String, String> headers, String body, String id) {
    return new ConformanceCase(name, EVENTS, method, "/", headers, body, id, List.of());
  }

  private static ConformanceCase typed(String name, Map<String, String> headers, String body) {
    return new ConformanceCase(name, TYPED, "POST", "/", headers, body, null, List.of());
  }

  private static ConformanceCase recorded(
      String name, String function, Map<String, String> headers, String body, String id) {
    return new ConformanceCase(name, function, "POST", "/", headers, body, id, List.of());
  }
}
