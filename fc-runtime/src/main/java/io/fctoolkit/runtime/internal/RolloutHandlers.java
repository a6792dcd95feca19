package io.fctoolkit.runtime.internal;

import static io.fctoolkit.runtime.internal.RequestValues.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.SmokeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The handlers of {@code /v1/functions/{f}/aliases/{a}/rollout}: start, status (the JSON a
 * dashboard shows: steps, weight, each check's samples and verdict, the decisions with their times)
 * abort, pause, resume, approve and promote now; and {@code /v1/rollouts}, every alias's latest
 * rollout.
 */
final class RolloutHandlers {

  private final RuntimeCore core;

  RolloutHandlers(RuntimeCore core) {
    this.core = core;
  }

  /**
   * {@code PUT}: body {@code {"canaryVersion": 2, "release": "...", "strategy": {...},
   * "expectedRevision": 3, "smoke": [{"name": "ok.json", "body": "...", "expectStatus": 200}]}};
   * fields of the strategy (and of its gates) left out take their defaults.
   */
  void start(ApiCall call) throws Exception {
    String function = call.param("function");
    String alias = call.param("alias");
    JsonNode body = call.readJson();
    if (!body.hasNonNull("canaryVersion") || !body.get("canaryVersion").canConvertToInt()) {
      throw new InvalidRequestException(
          "canaryVersion",
          "is required: the version to roll out",
          "send {\"canaryVersion\": 2, \"strategy\": {\"steps\": [10, 50], \"minSamples\": 100}}");
    }
    RolloutStrategy strategy = strategy(body.get("strategy"));
    Long expected =
        body.hasNonNull("expectedRevision") ? body.get("expectedRevision").asLong() : null;
    String release = body.hasNonNull("release") ? body.get("release").asText() : null;
    List<SmokeRequest> smoke = new ArrayList<>();
    JsonNode given = body.get("smoke");
    if (given != null && !given.isNull()) {
      if (!given.isArray()) {
        throw new InvalidRequestException(
            "smoke",
            "must be a list of requests",
            "send \"smoke\": [{\"name\": \"ok.json\", \"body\": \"...\", \"expectStatus\": 200}]");
      }
      for (int i = 0; i < given.size(); i++) {
        smoke.add(convert(given.get(i), SmokeRequest.class, "smoke[" + i + "]."));
      }
    }
    RolloutRequest request;
    try {
      request =
          new RolloutRequest(
              function,
              alias,
              body.get("canaryVersion").asInt(),
              release,
              strategy,
              expected,
              smoke);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("canaryVersion", e.getMessage(), null);
    }
    call.json(200, core.startRollout(request));
  }

  void get(ApiCall call) throws Exception {
    String function = call.param("function");
    String alias = call.param("alias");
    RolloutStatus status =
        core.rollout(function, alias)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "rollout",
                        function + "/" + alias,
                        "start one with PUT /v1/functions/"
                            + function
                            + "/aliases/"
                            + alias
                            + "/rollout"));
    call.json(200, status);
  }

  /** {@code POST .../rollout/abort[?reason=...]}: back to the primary at once. */
  void abort(ApiCall call) throws Exception {
    String reason = call.query().get("reason");
    call.json(
        200,
        core.abortRollout(
            call.param("function"),
            call.param("alias"),
            reason == null ? "aborted through the control API" : "aborted: " + reason));
  }

  /** {@code POST .../rollout/pause[?reason=...]}: hold at the current weight. */
  void pause(ApiCall call) throws Exception {
    call.json(
        200, core.pauseRollout(call.param("function"), call.param("alias"), said(call, "paused")));
  }

  /** {@code POST .../rollout/resume[?reason=...]}: go on; the step starts over. */
  void resume(ApiCall call) throws Exception {
    call.json(
        200,
        core.resumeRollout(call.param("function"), call.param("alias"), said(call, "resumed")));
  }

  /** {@code POST .../rollout/promote[?reason=...]}: the canary takes all traffic now. */
  void promote(ApiCall call) throws Exception {
    call.json(
        200,
        core.promoteRollout(
            call.param("function"),
            call.param("alias"),
            call.query().getOrDefault("reason", "by hand through the control API")));
  }

  /** {@code POST .../rollout/approve[?reason=...]}: the move awaiting approval is made. */
  void approve(ApiCall call) throws Exception {
    call.json(
        200,
        core.approveRollout(call.param("function"), call.param("alias"), said(call, "approved")));
  }

  /** {@code what}, with the caller's reason when it gave one. */
  private static String said(ApiCall call, String what) {
    String given = call.query().get("reason");
    return given == null ? what + " through the control API" : what + ": " + given;
  }

  void list(ApiCall call) throws Exception {
    call.json(200, Map.of("rollouts", core.rollouts()));
  }

  /** The defaults with the fields the request names laid over them. */
  static RolloutStrategy strategy(JsonNode given) {
    if (given == null || given.isNull()) {
      return RolloutStrategy.defaults();
    }
    if (!(given instanceof ObjectNode g)) {
      throw new InvalidRequestException("strategy", "must be an object", null);
    }
    ObjectNode merged = RuntimeJson.MAPPER.valueToTree(RolloutStrategy.defaults());
    JsonNode gates = g.get("gates");
    merged.setAll(g);
    if (gates instanceof ObjectNode gatesGiven) {
      ObjectNode mergedGates = RuntimeJson.MAPPER.valueToTree(RolloutStrategy.defaults().gates());
      mergedGates.setAll(gatesGiven);
      merged.set("gates", mergedGates);
    }
    return convert(merged, RolloutStrategy.class, "strategy.");
  }
}
