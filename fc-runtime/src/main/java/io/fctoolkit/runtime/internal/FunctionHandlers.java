package io.fctoolkit.runtime.internal;

import static io.fctoolkit.runtime.internal.RequestValues.convert;
import static io.fctoolkit.runtime.internal.RequestValues.parseLong;
import static io.fctoolkit.runtime.internal.RequestValues.versionNumber;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The handlers of {@code /v1/functions/...}: functions, versions, their logs and instances,
 * aliases, triggers and per-function metrics. Each one reads its path parameters and body, calls
 * the core, and answers.
 */
final class FunctionHandlers {

  /** The answer header of the logs call that names the log file. */
  static final String LOG_FILE_HEADER = "fc-log-file";

  private final RuntimeCore core;

  FunctionHandlers(RuntimeCore core) {
    this.core = core;
  }

  // ---- functions

  void list(ApiCall call) throws Exception {
    call.json(200, Map.of("functions", core.functions()));
  }

  void get(ApiCall call) throws Exception {
    call.json(200, describe(call.param("function")));
  }

  void putConfig(ApiCall call) throws Exception {
    FunctionConfig config = RequestValues.config(call.readJson(), call.param("function"), "");
    call.json(200, core.putFunctionConfig(config));
  }

  void delete(ApiCall call) throws Exception {
    core.deleteFunction(call.param("function"));
    call.empty(204);
  }

  void metrics(ApiCall call) throws Exception {
    String function = call.param("function");
    var m = core.metrics(function);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("function", m.function());
    out.put("versions", m.versions());
    out.put("triggers", m.triggers());
    out.put("aliases", core.aliasMetrics(function));
    call.json(200, out);
  }

  // ---- versions

  void listVersions(ApiCall call) throws Exception {
    call.json(200, describe(call.param("function")).versions());
  }

  void publish(ApiCall call) throws Exception {
    String function = call.param("function");
    JsonNode body = call.readJson();
    FunctionConfig config;
    if (body.hasNonNull("config")) {
      config = RequestValues.config(body.get("config"), function, "config.");
    } else {
      config =
          core.functionConfig(function)
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "config",
                          "is missing and function '" + function + "' has no stored configuration",
                          "send \"config\" with the publish, or PUT /v1/functions/"
                              + function
                              + " first"));
    }
    String digest = RequestValues.text(body, "imageDigest", true);
    String release = body.hasNonNull("releaseId") ? body.get("releaseId").asText() : null;
    PublishResult result = core.publish(config, digest, release);
    call.json(result.created() ? 201 : 200, result);
  }

  void getVersion(ApiCall call) throws Exception {
    call.json(200, version(call.param("function"), versionNumber(call.param("version"))));
  }

  void deleteVersion(ApiCall call) throws Exception {
    core.deleteVersion(call.param("function"), versionNumber(call.param("version")));
    call.empty(204);
  }

  /** {@code ?offset=N}: bytes from N (at most 1 MiB); else {@code ?lines=100}: the last lines. */
  void logs(ApiCall call) throws Exception {
    String function = call.param("function");
    int number = versionNumber(call.param("version"));
    version(function, number);
    Map<String, String> q = call.query();
    Path file = core.logFile(function, number);
    // Names the file, so that a client can tell the user where the log is (fc:logs, fc:invoke).
    call.responseHeaders().set(LOG_FILE_HEADER, file.toAbsolutePath().toString());
    if (q.containsKey("offset")) {
      long offset = parseLong("offset", q.get("offset"));
      byte[] bytes = LogSink.read(file, offset, 1 << 20);
      call.responseHeaders().set("fc-log-next-offset", Long.toString(offset + bytes.length));
      call.bytes(200, "text/plain; charset=utf-8", bytes);
    } else {
      int lines = (int) Math.min(10_000, parseLong("lines", q.getOrDefault("lines", "100")));
      long size = Files.exists(file) ? Files.size(file) : 0;
      call.responseHeaders().set("fc-log-next-offset", Long.toString(size));
      call.text(200, "text/plain; charset=utf-8", LogSink.tail(file, lines));
    }
  }

  void instances(ApiCall call) throws Exception {
    call.json(200, core.instances(call.param("function"), versionNumber(call.param("version"))));
  }

  // ---- aliases

  void listAliases(ApiCall call) throws Exception {
    call.json(200, describe(call.param("function")).aliases());
  }

  void getAlias(ApiCall call) throws Exception {
    String function = call.param("function");
    String alias = call.param("alias");
    call.json(
        200,
        describe(function)
            .alias(alias)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "alias",
                        function + "/" + alias,
                        "create it with PUT /v1/functions/" + function + "/aliases/" + alias)));
  }

  void putAlias(ApiCall call) throws Exception {
    String function = call.param("function");
    String alias = call.param("alias");
    JsonNode body = call.readJson();
    if (!body.hasNonNull("target")) {
      throw new InvalidRequestException(
          "target", "is required", "send {\"target\": {\"version\": 1}, \"expectedRevision\": 0}");
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
    call.json(200, core.putAlias(update));
  }

  void deleteAlias(ApiCall call) throws Exception {
    String expected = call.query().get("expectedRevision");
    core.deleteAlias(
        call.param("function"),
        call.param("alias"),
        expected == null ? null : parseLong("expectedRevision", expected));
    call.empty(204);
  }

  // ---- triggers

  void listTriggers(ApiCall call) throws Exception {
    call.json(200, describe(call.param("function")).triggers());
  }

  void getTrigger(ApiCall call) throws Exception {
    String function = call.param("function");
    String trigger = call.param("trigger");
    TriggerSpec spec =
        describe(function)
            .trigger(trigger)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "trigger",
                        function + "/" + trigger,
                        "list triggers with GET /v1/functions/" + function + "/triggers"));
    call.json(200, Map.of("spec", spec, "status", core.triggerStatus(function, trigger)));
  }

  void putTrigger(ApiCall call) throws Exception {
    String function = call.param("function");
    JsonNode body = call.readJson();
    if (body instanceof ObjectNode o) {
      o.put("name", call.param("trigger"));
      if (!o.hasNonNull("function")) {
        o.put("function", function);
      }
      RequestValues.fillTriggerDefaults(o);
    }
    TriggerSpec spec = convert(body, TriggerSpec.class, "");
    call.json(200, core.putTrigger(function, spec));
  }

  void deleteTrigger(ApiCall call) throws Exception {
    core.deleteTrigger(call.param("function"), call.param("trigger"));
    call.empty(204);
  }

  // ---- lookups

  private FunctionState describe(String function) {
    return core.describe(function)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "function",
                    function,
                    "list functions with GET /v1/functions, or publish a version first"));
  }

  private Version version(String function, int number) {
    return describe(function)
        .version(number)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "version",
                    function + " v" + number,
                    "list versions with GET /v1/functions/" + function + "/versions"));
  }
}
