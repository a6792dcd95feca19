package io.fctoolkit.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.TriggerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control API over HTTP/JSON (documented in {@code docs/control-api.md}): functions, images,
 * versions, aliases, triggers, metrics, logs, and invocation. Every call needs the bearer token,
 * except invocations of public functions and the health check. The token is never logged.
 */
public final class ControlApi implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ControlApi.class);

  /** Largest JSON control body. */
  public static final int MAX_JSON_BYTES = 1 << 20;

  /** Largest invocation body (as on common serverless platforms). */
  public static final int MAX_INVOKE_BYTES = 6 << 20;

  /** Largest image archive upload. */
  public static final long MAX_IMAGE_BYTES = 4L << 30;

  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "content-length", "transfer-encoding", "keep-alive", "date", "upgrade");

  private final RuntimeCore core;
  private final byte[] token;

  public ControlApi(RuntimeCore core, String token) {
    this.core = core;
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(HttpExchange exchange) {
    try {
      route(exchange);
    } catch (Throwable t) {
      fail(exchange, t);
    }
  }

  private void route(HttpExchange ex) throws Exception {
    String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = ex.getRequestURI().getRawPath();
    List<String> seg = segments(path);
    if (seg.size() >= 3 && seg.get(0).equals("invoke")) {
      invoke(ex, seg);
      return;
    }
    if (seg.equals(List.of("v1", "health"))) {
      json(ex, 200, Map.of("status", "ok"));
      return;
    }
    requireToken(ex);
    if (seg.equals(List.of("metrics")) && method.equals("GET")) {
      text(ex, 200, "text/plain; version=0.0.4; charset=utf-8", core.prometheus());
      return;
    }
    if (seg.size() < 2 || !seg.get(0).equals("v1")) {
      throw new NotFoundException("path", path, "see docs/control-api.md for the API");
    }
    switch (seg.get(1)) {
      case "images" -> images(ex, method, seg);
      case "blobs" -> blobs(ex, method, seg);
      case "functions" -> functions(ex, method, seg);
      case "runtime" ->
          json(
              ex,
              200,
              Map.of(
                  "stateDir", core.stateDir().toString(),
                  "instanceJava", core.instanceJava().toString(),
                  "archive", core.instanceJava().hasAotCache() ? "aot-cache" : "appcds"));
      default -> throw new NotFoundException("path", path, "see docs/control-api.md for the API");
    }
  }

  // ---- /v1/images

  private void images(HttpExchange ex, String method, List<String> seg) throws IOException {
    if (seg.size() == 2 && method.equals("GET")) {
      json(ex, 200, core.images().list());
      return;
    }
    if (seg.size() == 3 && method.equals("GET")) {
      String digest = decode(seg.get(2));
      json(
          ex,
          200,
          core.images()
              .get(digest)
              .orElseThrow(
                  () -> new NotFoundException("image", digest, "list images with GET /v1/images")));
      return;
    }
    if (seg.size() == 2 && method.equals("POST")) {
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      if (type != null && type.startsWith("application/json")) {
        JsonNode body = readJson(ex);
        String ref = text(body, "pull", true);
        ImageRef image;
        try {
          image = ImageRef.parse(ref);
        } catch (IllegalArgumentException e) {
          throw new InvalidRequestException(
              "pull", e.getMessage(), "pass repository@sha256:<digest>");
        }
        json(ex, 200, core.images().pull(image, body.path("insecure").asBoolean(false)));
        return;
      }
      long length = contentLength(ex);
      if (length > MAX_IMAGE_BYTES) {
        throw new PayloadTooLarge("image archive", MAX_IMAGE_BYTES);
      }
      Map<String, String> query = query(ex);
      try (InputStream in = ex.getRequestBody()) {
        json(
            ex,
            200,
            core.importArchive(
                in, query.get("digest"), query.getOrDefault("repository", "archive")));
      }
      return;
    }
    throw methodNotAllowed(method, ex);
  }

  // ---- /v1/blobs: HEAD tells a client which blobs it may leave out of an image archive

  private void blobs(HttpExchange ex, String method, List<String> seg) throws IOException {
    if (seg.size() != 3) {
      throw new NotFoundException(
          "path", ex.getRequestURI().getRawPath(), "HEAD /v1/blobs/<digest>");
    }
    if (!method.equals("HEAD")) {
      throw methodNotAllowed(method, ex);
    }
    empty(ex, core.images().hasBlob(decode(seg.get(2))) ? 200 : 404);
  }

  // ---- /v1/functions

  private void functions(HttpExchange ex, String method, List<String> seg) throws Exception {
    if (seg.size() == 2) {
      if (!method.equals("GET")) {
        throw methodNotAllowed(method, ex);
      }
      json(ex, 200, Map.of("functions", core.functions()));
      return;
    }
    String function = decode(seg.get(2));
    if (seg.size() == 3) {
      switch (method) {
        case "GET" -> json(ex, 200, describe(function));
        case "PUT" -> {
          FunctionConfig config = parseConfig(readJson(ex), function, "");
          json(ex, 200, core.putFunctionConfig(config));
        }
        case "DELETE" -> {
          core.deleteFunction(function);
          empty(ex, 204);
        }
        default -> throw methodNotAllowed(method, ex);
      }
      return;
    }
    String kind = seg.get(3);
    switch (kind) {
      case "versions" -> versions(ex, method, function, seg);
      case "aliases" -> aliases(ex, method, function, seg);
      case "triggers" -> triggers(ex, method, function, seg);
      case "metrics" -> {
        var m = core.metrics(function);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("function", m.function());
        out.put("versions", m.versions());
        out.put("triggers", m.triggers());
        out.put("aliases", core.aliasMetrics(function));
        json(ex, 200, out);
      }
      default ->
          throw new NotFoundException(
              "path", ex.getRequestURI().getPath(), "see docs/control-api.md");
    }
  }

  private FunctionState describe(String function) {
    return core.describe(function)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "function",
                    function,
                    "list functions with GET /v1/functions, or publish a version first"));
  }

  private void versions(HttpExchange ex, String method, String function, List<String> seg)
      throws Exception {
    if (seg.size() == 4) {
      switch (method) {
        case "GET" -> json(ex, 200, describe(function).versions());
        case "POST" -> {
          JsonNode body = readJson(ex);
          FunctionConfig config;
          if (body.hasNonNull("config")) {
            config = parseConfig(body.get("config"), function, "config.");
          } else {
            config =
                core.functionConfig(function)
                    .orElseThrow(
                        () ->
                            new InvalidRequestException(
                                "config",
                                "is missing and function '"
                                    + function
                                    + "' has no stored configuration",
                                "send \"config\" with the publish, or PUT /v1/functions/"
                                    + function
                                    + " first"));
          }
          String digest = text(body, "imageDigest", true);
          String release = body.hasNonNull("releaseId") ? body.get("releaseId").asText() : null;
          PublishResult result = core.publish(config, digest, release);
          json(ex, result.created() ? 201 : 200, result);
        }
        default -> throw methodNotAllowed(method, ex);
      }
      return;
    }
    int number = versionNumber(seg.get(4));
    if (seg.size() == 5) {
      switch (method) {
        case "GET" ->
            json(
                ex,
                200,
                describe(function)
                    .version(number)
                    .orElseThrow(
                        () ->
                            new NotFoundException(
                                "version",
                                function + " v" + number,
                                "list versions with GET /v1/functions/" + function + "/versions")));
        case "DELETE" -> {
          core.deleteVersion(function, number);
          empty(ex, 204);
        }
        default -> throw methodNotAllowed(method, ex);
      }
      return;
    }
    if (seg.size() == 6 && seg.get(5).equals("logs") && method.equals("GET")) {
      describe(function)
          .version(number)
          .orElseThrow(
              () ->
                  new NotFoundException(
                      "version",
                      function + " v" + number,
                      "list versions with GET /v1/functions/" + function + "/versions"));
      Map<String, String> q = query(ex);
      var file = core.logFile(function, number);
      if (q.containsKey("offset")) {
        long offset = parseLong("offset", q.get("offset"));
        byte[] bytes = LogSink.read(file, offset, 1 << 20);
        ex.getResponseHeaders().set("fc-log-next-offset", Long.toString(offset + bytes.length));
        bytes(ex, 200, "text/plain; charset=utf-8", bytes);
      } else {
        int lines = (int) Math.min(10_000, parseLong("lines", q.getOrDefault("lines", "100")));
        long size = java.nio.file.Files.exists(file) ? java.nio.file.Files.size(file) : 0;
        ex.getResponseHeaders().set("fc-log-next-offset", Long.toString(size));
        text(ex, 200, "text/plain; charset=utf-8", LogSink.tail(file, lines));
      }
      return;
    }
    if (seg.size() == 6 && seg.get(5).equals("instances") && method.equals("GET")) {
      json(ex, 200, core.instances(function, number));
      return;
    }
    throw new NotFoundException("path", ex.getRequestURI().getPath(), "see docs/control-api.md");
  }

  private void aliases(HttpExchange ex, String method, String function, List<String> seg)
      throws Exception {
    if (seg.size() == 4 && method.equals("GET")) {
      json(ex, 200, describe(function).aliases());
      return;
    }
    if (seg.size() != 5) {
      throw new NotFoundException("path", ex.getRequestURI().getPath(), "see docs/control-api.md");
    }
    String alias = decode(seg.get(4));
    switch (method) {
      case "GET" ->
          json(
              ex,
              200,
              describe(function)
                  .alias(alias)
                  .orElseThrow(
                      () ->
                          new NotFoundException(
                              "alias",
                              function + "/" + alias,
                              "create it with PUT /v1/functions/"
                                  + function
                                  + "/aliases/"
                                  + alias)));
      case "PUT" -> {
        JsonNode body = readJson(ex);
        if (!body.hasNonNull("target")) {
          throw new InvalidRequestException(
              "target",
              "is required",
              "send {\"target\": {\"version\": 1}, \"expectedRevision\": 0}");
        }
        JsonNode targetNode = body.get("target");
        if (targetNode instanceof ObjectNode t) {
          t = t.deepCopy();
          if (!t.hasNonNull("canaryWeight")) {
            t.put("canaryWeight", 0);
          }
          if (!t.hasNonNull("affinity")) {
            t.put("affinity", "NONE");
          }
          targetNode = t;
        }
        AliasTarget target = convert(targetNode, AliasTarget.class, "target.");
        Long expected =
            body.hasNonNull("expectedRevision") ? body.get("expectedRevision").asLong() : null;
        AliasUpdate update;
        try {
          update = new AliasUpdate(function, alias, target, expected);
        } catch (IllegalArgumentException e) {
          throw new InvalidRequestException("alias", e.getMessage(), null);
        }
        json(ex, 200, core.putAlias(update));
      }
      case "DELETE" -> {
        String expected = query(ex).get("expectedRevision");
        core.deleteAlias(
            function, alias, expected == null ? null : parseLong("expectedRevision", expected));
        empty(ex, 204);
      }
      default -> throw methodNotAllowed(method, ex);
    }
  }

  private void triggers(HttpExchange ex, String method, String function, List<String> seg)
      throws Exception {
    if (seg.size() == 4 && method.equals("GET")) {
      json(ex, 200, describe(function).triggers());
      return;
    }
    if (seg.size() != 5) {
      throw new NotFoundException("path", ex.getRequestURI().getPath(), "see docs/control-api.md");
    }
    String trigger = decode(seg.get(4));
    switch (method) {
      case "GET" -> {
        TriggerSpec spec =
            describe(function)
                .trigger(trigger)
                .orElseThrow(
                    () ->
                        new NotFoundException(
                            "trigger",
                            function + "/" + trigger,
                            "list triggers with GET /v1/functions/" + function + "/triggers"));
        json(ex, 200, Map.of("spec", spec, "status", core.triggerStatus(function, trigger)));
      }
      case "PUT" -> {
        JsonNode body = readJson(ex);
        if (body instanceof ObjectNode o) {
          o.put("name", trigger);
          if (!o.hasNonNull("function")) {
            o.put("function", function);
          }
          fillTriggerDefaults(o);
        }
        TriggerSpec spec = convert(body, TriggerSpec.class, "");
        json(ex, 200, core.putTrigger(function, spec));
      }
      case "DELETE" -> {
        core.deleteTrigger(function, trigger);
        empty(ex, 204);
      }
      default -> throw methodNotAllowed(method, ex);
    }
  }

  private static void fillTriggerDefaults(ObjectNode o) {
    try {
      TriggerSpec defaults = TriggerSpec.builder("x", "x", "x", "x").allowDrop(true).build();
      ObjectNode d = Json.MAPPER.valueToTree(defaults);
      d.fieldNames()
          .forEachRemaining(
              name -> {
                if (!o.has(name)
                    && !Set.of("name", "function", "alias", "topic", "consumerGroup", "allowDrop")
                        .contains(name)) {
                  o.set(name, d.get(name));
                }
              });
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- /invoke/{function}/{qualifier}[/path]

  private void invoke(HttpExchange ex, List<String> seg) throws IOException {
    String function = decode(seg.get(1));
    String qualifier = decode(seg.get(2));
    // An early refusal only: the router decides again on the version it picks (atomic).
    boolean authorized = authorized(ex);
    if (!authorized && !core.isPublic(function, qualifier)) {
      throw new Unauthorized();
    }
    long length = contentLength(ex);
    if (length > MAX_INVOKE_BYTES) {
      throw new PayloadTooLarge("invocation body", MAX_INVOKE_BYTES);
    }
    byte[] body = readLimited(ex.getRequestBody(), MAX_INVOKE_BYTES, "invocation body");
    String raw = ex.getRequestURI().getRawPath();
    String prefix = "/invoke/" + seg.get(1) + "/" + seg.get(2);
    String rest = raw.length() > prefix.length() ? raw.substring(prefix.length()) : "/";
    String q = ex.getRequestURI().getRawQuery();
    if (q != null) {
      rest = rest + "?" + q;
    }
    Map<String, List<String>> headers = new HashMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    String routingKey = ex.getRequestHeaders().getFirst(InvokeRequest.ROUTING_KEY_HEADER);
    core.invoke(
            function, qualifier, routingKey, ex.getRequestMethod(), rest, headers, body, authorized)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                fail(ex, error);
              } else {
                respond(ex, response);
              }
            });
  }

  private static void respond(HttpExchange ex, InvokeResponse response) {
    try {
      response
          .headers()
          .forEach(
              (k, v) -> {
                if (!HOP_BY_HOP.contains(k)) {
                  ex.getResponseHeaders().set(k, v);
                }
              });
      if (response.version() > 0) {
        ex.getResponseHeaders()
            .set(InvokeResponse.VERSION_HEADER, Integer.toString(response.version()));
      }
      byte[] body = response.body();
      ex.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        ex.getResponseBody().write(body);
      }
    } catch (IOException e) {
      // the caller went away
    } finally {
      ex.close();
    }
  }

  // ---- helpers

  private boolean authorized(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("Authorization");
    return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), token);
  }

  private void requireToken(HttpExchange ex) {
    if (!authorized(ex)) {
      throw new Unauthorized();
    }
  }

  private static FunctionConfig parseConfig(JsonNode node, String function, String prefix) {
    if (!(node instanceof ObjectNode given)) {
      throw new InvalidRequestException(
          prefix.isEmpty() ? "body" : "config", "must be a JSON object", null);
    }
    if (given.hasNonNull("name") && !given.get("name").asText().equals(function)) {
      throw new InvalidRequestException(
          prefix + "name",
          "is '" + given.get("name").asText() + "' but the URL names function '" + function + "'",
          "make them agree");
    }
    if (!given.hasNonNull("handler")) {
      throw new InvalidRequestException(
          prefix + "handler", "is required", "name the function class, e.g. com.example.Hello");
    }
    ObjectNode merged;
    try {
      merged =
          Json.MAPPER.valueToTree(FunctionConfig.builder(function, "defaults.Placeholder").build());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "name", e.getCause() != null ? e.getCause().getMessage() : e.getMessage(), null);
    }
    for (String nested : List.of("resources", "scaling")) {
      if (given.get(nested) instanceof ObjectNode o) {
        ((ObjectNode) merged.get(nested)).setAll(o);
        given = given.deepCopy();
        given.remove(nested);
      }
    }
    merged.setAll(given);
    merged.put("name", function);
    return convert(merged, FunctionConfig.class, prefix);
  }

  private static <T> T convert(JsonNode node, Class<T> type, String prefix) {
    try {
      return Json.MAPPER.treeToValue(node, type);
    } catch (JsonMappingException e) {
      String field =
          prefix
              + e.getPath().stream()
                  .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                  .reduce((a, b) -> a + "." + b)
                  .orElse("");
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String message =
          root instanceof IllegalArgumentException || root instanceof NullPointerException
              ? root.getMessage()
              : e.getOriginalMessage();
      if (root instanceof NullPointerException) {
        message = "'" + message + "' is required";
      }
      throw new InvalidRequestException(
          field.isEmpty() || field.endsWith(".")
              ? (prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1))
              : field,
          message,
          "see docs/control-api.md for the fields and their formats (durations are ISO-8601 such as PT30S)");
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("body", e.getOriginalMessage(), null);
    }
  }

  private static JsonNode readJson(HttpExchange ex) throws IOException {
    long length = contentLength(ex);
    if (length > MAX_JSON_BYTES) {
      throw new PayloadTooLarge("JSON body", MAX_JSON_BYTES);
    }
    byte[] bytes = readLimited(ex.getRequestBody(), MAX_JSON_BYTES, "JSON body");
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new InvalidRequestException("body", "is empty; a JSON object is required", null);
      }
      return node;
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new InvalidRequestException(
          "body",
          "malformed JSON"
              + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
              + ": "
              + e.getOriginalMessage(),
          "send a valid JSON object");
    }
  }

  private static byte[] readLimited(InputStream in, long limit, String what) throws IOException {
    try (in) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (bytes.length > limit) {
        throw new PayloadTooLarge(what, limit);
      }
      return bytes;
    }
  }

  private static long contentLength(HttpExchange ex) {
    String value = ex.getRequestHeaders().getFirst("Content-Length");
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull() || !n.isTextual()) {
      if (required) {
        throw new InvalidRequestException(field, "is required and must be a string", null);
      }
      return null;
    }
    return n.asText();
  }

  private static int versionNumber(String s) {
    String digits = s.startsWith("v") ? s.substring(1) : s;
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(
          "version", "'" + s + "' is not a version number", "use 1, 2, 3... or v1, v2...");
    }
  }

  private static long parseLong(String field, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(field, "'" + value + "' is not a number", null);
    }
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new HashMap<>();
    String q = ex.getRequestURI().getRawQuery();
    if (q != null) {
      for (String pair : q.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    return out;
  }

  private static FcException methodNotAllowed(String method, HttpExchange ex) {
    return new MethodNotAllowed(method + " is not supported on " + ex.getRequestURI().getPath());
  }

  private static void json(HttpExchange ex, int status, Object value) throws IOException {
    bytes(ex, status, "application/json", Json.MAPPER.writeValueAsBytes(value));
  }

  private static void text(HttpExchange ex, int status, String type, String text)
      throws IOException {
    bytes(ex, status, type, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    try {
      ex.getResponseHeaders().set("Content-Type", type);
      // A HEAD answer (e.g. an error for HEAD /v1/blobs/...) carries the status, never a body.
      boolean head = ex.getRequestMethod().equalsIgnoreCase("HEAD");
      ex.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
      if (body.length > 0 && !head) {
        ex.getResponseBody().write(body);
      }
    } finally {
      ex.close();
    }
  }

  private static void empty(HttpExchange ex, int status) throws IOException {
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  private static void fail(HttpExchange ex, Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    int status;
    Map<String, Object> err = new LinkedHashMap<>();
    if (t instanceof Unauthorized) {
      status = 401;
      err.put("type", "Unauthorized");
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"fc-runtime\"");
    } else if (t instanceof PayloadTooLarge) {
      status = 413;
      drain(ex);
      err.put("type", "PayloadTooLarge");
    } else if (t instanceof MethodNotAllowed) {
      status = 405;
      err.put("type", "MethodNotAllowed");
    } else if (t instanceof NotFoundException nf) {
      status = 404;
      err.put("type", "NotFound");
      err.put("kind", nf.kind());
      err.put("name", nf.name());
    } else if (t instanceof ConflictException c) {
      status = 409;
      err.put("type", "Conflict");
      if (c.expectedRevision() != null) {
        err.put("expectedRevision", c.expectedRevision());
        err.put("actualRevision", c.actualRevision());
      }
    } else if (t instanceof InvalidRequestException ir) {
      status = 400;
      err.put("type", "InvalidRequest");
      err.put("field", ir.field());
    } else if (t instanceof ImageImportException ie) {
      status = ie.status();
      err.put(
          "type", status == 404 ? "NotFound" : status == 400 ? "InvalidRequest" : "RegistryError");
      if (status == 404) {
        err.put("kind", "image");
      }
      if (status == 400) {
        err.put("field", "image");
      }
    } else if (t instanceof FcException) {
      status = 503;
      err.put("type", "Unavailable");
    } else if (t instanceof IllegalArgumentException) {
      status = 400;
      err.put("type", "InvalidRequest");
      err.put("field", "body");
    } else {
      status = 500;
      err.put("type", "Internal");
      LOG.error("request {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), t);
    }
    err.put("status", status);
    err.put("message", t.getMessage() == null ? t.toString() : t.getMessage());
    if (t instanceof FcException fc && fc.hint() != null) {
      err.put("hint", fc.hint());
    }
    try {
      json(ex, status, Map.of("error", err));
    } catch (IOException | RuntimeException e) {
      ex.close();
    }
  }

  /**
   * Reads and discards what is left of a refused body (up to a cap), so the client, still sending,
   * receives the answer instead of a reset connection.
   */
  private static void drain(HttpExchange ex) {
    try (InputStream in = ex.getRequestBody()) {
      long left = 64L << 20;
      byte[] buffer = new byte[64 << 10];
      int n;
      while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      // the client gave up; nothing to answer
    }
  }

  /** No or a wrong bearer token. */
  static final class Unauthorized extends FcException {
    private static final long serialVersionUID = 1L;

    Unauthorized() {
      super(
          "missing or wrong bearer token",
          "send 'Authorization: Bearer <token>' with the token from the runtime's state folder (file 'token')");
    }
  }

  /** A body over its limit. */
  static final class PayloadTooLarge extends FcException {
    private static final long serialVersionUID = 1L;

    PayloadTooLarge(String what, long limit) {
      super(what + " is larger than the limit of " + limit + " bytes", "send a smaller body");
    }
  }

  /** A method a path does not support. */
  static final class MethodNotAllowed extends FcException {
    private static final long serialVersionUID = 1L;

    MethodNotAllowed(String message) {
      super(message, "see docs/control-api.md");
    }
  }
}
