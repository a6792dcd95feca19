package io.fctoolkit.runtime.internal;

import static io.fctoolkit.runtime.internal.Route.ANY_METHOD;
import static io.fctoolkit.runtime.internal.Route.Access.ANYONE;
import static io.fctoolkit.runtime.internal.Route.Access.TOKEN;
import static io.fctoolkit.runtime.internal.Route.Access.TOKEN_OR_PUBLIC_FUNCTION;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The control API over HTTP/JSON (documented in {@code docs/control-api.md}): functions, images,
 * versions, aliases, triggers, metrics, logs, and invocation, declared in one route table. Every
 * call needs the bearer token, except invocations of public functions and the health check. The
 * token is never logged.
 */
public final class ControlApi implements HttpHandler, AutoCloseable {

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
  private final SlowClientGuard guard;
  private final Executor answers;
  private final List<Route> routes;
  private final EventStream streams;
  private final DashboardHandlers dashboard;

  /**
   * @param guard deadlines for waits on clients; its threads are those of {@code answers}
   * @param answers the API's executor, which also writes invocation answers (under the guard)
   */
  public ControlApi(RuntimeCore core, String token, SlowClientGuard guard, Executor answers) {
    this.core = core;
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.guard = guard;
    this.answers = answers;
    this.streams = new EventStream(guard);
    this.dashboard =
        new DashboardHandlers(core, new DashboardSessions(System::currentTimeMillis), streams);
    this.routes =
        routes(
            new FunctionHandlers(core),
            new ImageHandlers(core),
            new RolloutHandlers(core),
            dashboard);
  }

  private List<Route> routes(
      FunctionHandlers fn, ImageHandlers img, RolloutHandlers ro, DashboardHandlers dash) {
    long none = 0;
    long json = MAX_JSON_BYTES;
    String function = "/v1/functions/{function}";
    String version = function + "/versions/{version}";
    String invoke = "/invoke/{function}/{qualifier}/**";
    String rollout = function + "/aliases/{alias}/rollout";
    return List.of(
        new Route("GET", "/v1/health", ANYONE, none, this::health),
        new Route(ANY_METHOD, invoke, TOKEN_OR_PUBLIC_FUNCTION, MAX_INVOKE_BYTES, this::invoke),
        new Route("GET", "/metrics", TOKEN, none, this::prometheus),
        new Route("GET", "/v1/runtime", TOKEN, none, this::runtimeInfo),
        new Route("GET", "/v1/images", TOKEN, none, img::list),
        new Route("POST", "/v1/images", TOKEN, MAX_IMAGE_BYTES, img::add),
        new Route("GET", "/v1/images/{digest}", TOKEN, none, img::get),
        new Route("HEAD", "/v1/blobs/{digest}", TOKEN, none, img::hasBlob),
        new Route("GET", "/v1/functions", TOKEN, none, fn::list),
        new Route("GET", function, TOKEN, none, fn::get),
        new Route("PUT", function, TOKEN, json, fn::putConfig),
        new Route("DELETE", function, TOKEN, none, fn::delete),
        new Route("GET", function + "/metrics", TOKEN, none, fn::metrics),
        new Route("GET", function + "/versions", TOKEN, none, fn::listVersions),
        new Route("POST", function + "/versions", TOKEN, json, fn::publish),
        new Route("GET", version, TOKEN, none, fn::getVersion),
        new Route("DELETE", version, TOKEN, none, fn::deleteVersion),
        new Route("GET", version + "/logs", TOKEN, none, fn::logs),
        new Route("GET", version + "/instances", TOKEN, none, fn::instances),
        new Route("GET", function + "/aliases", TOKEN, none, fn::listAliases),
        new Route("GET", function + "/aliases/{alias}", TOKEN, none, fn::getAlias),
        new Route("PUT", function + "/aliases/{alias}", TOKEN, json, fn::putAlias),
        new Route("DELETE", function + "/aliases/{alias}", TOKEN, none, fn::deleteAlias),
        new Route("GET", rollout, TOKEN, none, ro::get),
        new Route("PUT", rollout, TOKEN, json, ro::start),
        new Route("POST", rollout + "/abort", TOKEN, none, ro::abort),
        new Route("POST", rollout + "/pause", TOKEN, none, ro::pause),
        new Route("POST", rollout + "/resume", TOKEN, none, ro::resume),
        new Route("POST", rollout + "/promote", TOKEN, none, ro::promote),
        new Route("POST", rollout + "/approve", TOKEN, none, ro::approve),
        new Route("GET", "/v1/rollouts", TOKEN, none, ro::list),
        new Route("GET", function + "/triggers", TOKEN, none, fn::listTriggers),
        new Route("GET", function + "/triggers/{trigger}", TOKEN, none, fn::getTrigger),
        new Route("PUT", function + "/triggers/{trigger}", TOKEN, json, fn::putTrigger),
        new Route("DELETE", function + "/triggers/{trigger}", TOKEN, none, fn::deleteTrigger),
        // The dashboard (docs/dashboard.md): its data, a login that trades a one-time code for a
        // cookie, the page, and its read-only view of the routes above.
        new Route("GET", function + "/history", TOKEN, none, dash::history),
        new Route("GET", function + "/events", TOKEN, none, dash::events),
        new Route("GET", function + "/dead-letters", TOKEN, none, dash::deadLetters),
        new Route("GET", function + "/stream", TOKEN, none, dash::stream),
        new Route("POST", "/v1/dashboard/codes", TOKEN, json, dash::newCode),
        new Route("GET", "/dashboard", ANYONE, none, dash::page),
        new Route("GET", "/dashboard/login", ANYONE, none, dash::login),
        new Route("GET", "/dashboard/assets/{file}", ANYONE, none, dash::asset),
        new Route("GET", "/dashboard/api/**", ANYONE, none, this::dashboardApi));
  }

  /**
   * {@code GET /dashboard/api/v1/functions/...}: the page's way to the API's read routes with its
   * session cookie instead of the token. Only {@code GET} routes under {@code /v1/functions} are
   * reachable this way (state, metrics, history, journal, dead letters, logs, the live stream, and
   * routes added later there, such as a rollout's state); nothing that changes anything. With
   * {@code ?optional=1} what does not exist (no such route, or the route's 404) is {@code 204}, so
   * the page can ask for what a runtime may not have without the browser reporting an error.
   */
  private void dashboardApi(ApiCall call) throws Exception {
    DashboardHandlers.pageHeaders(call);
    if (!dashboard.hasSession(call)) {
      throw new ApiErrors.Unauthorized();
    }
    boolean optional = "1".equals(call.query().get("optional"));
    List<String> segments = Route.segments(call.rawPath());
    List<String> rest = segments.subList(2, segments.size());
    try {
      if (rest.size() >= 2 && rest.get(0).equals("v1") && rest.get(1).equals("functions")) {
        for (Route route : routes) {
          if (route.method().equals("GET") && route.access() == TOKEN) {
            Map<String, String> params = route.match(rest);
            if (params != null) {
              route.handler().handle(new ApiCall(call.exchange(), params, guard));
              return;
            }
          }
        }
      }
      throw new NotFoundException(
          "path", call.rawPath(), "the dashboard reads GET routes under /v1/functions only");
    } catch (NotFoundException e) {
      if (!optional) {
        throw e;
      }
      call.empty(204);
    }
  }

  /** Closes the dashboard's live streams. */
  @Override
  public void close() {
    streams.close();
  }

  @Override
  public void handle(HttpExchange exchange) {
    guard.headRead();
    ApiCall call = new ApiCall(exchange, Map.of(), guard);
    try {
      dispatch(exchange);
    } catch (Throwable t) {
      ApiErrors.fail(call, t);
    }
  }

  /**
   * Finds the route, then checks in this order: the token (unless the route is open), the declared
   * body size, and only then runs the handler. A path no route has is 404 and a method its routes
   * lack is 405 with {@code Allow}; both need the token unless the path is open.
   */
  private void dispatch(HttpExchange exchange) throws Exception {
    String method = exchange.getRequestMethod();
    if (!HttpTokens.isToken(method)) {
      throw new InvalidRequestException(
          "method", "'" + method + "' is not an HTTP method token", "see RFC 9110, section 9");
    }
    String rawPath = exchange.getRequestURI().getRawPath();
    List<String> segments = Route.segments(rawPath == null ? "/" : rawPath);
    Set<String> allowed = new LinkedHashSet<>();
    boolean open = false;
    for (Route route : routes) {
      Map<String, String> params = route.match(segments);
      if (params == null) {
        continue;
      }
      if (!route.allows(method.toUpperCase(Locale.ROOT))) {
        allowed.add(route.method());
        open |= route.access() != TOKEN;
        continue;
      }
      ApiCall call = new ApiCall(exchange, params, guard);
      if (route.access() == TOKEN && !authorized(call)) {
        throw new ApiErrors.Unauthorized();
      }
      if (route.access() != TOKEN_OR_PUBLIC_FUNCTION && call.contentLength() > route.maxBody()) {
        throw tooLarge(route);
      }
      route.handler().handle(call);
      return;
    }
    if (!open && !authorized(new ApiCall(exchange, Map.of(), guard))) {
      throw new ApiErrors.Unauthorized();
    }
    if (allowed.isEmpty()) {
      throw new NotFoundException("path", rawPath, "see docs/control-api.md for the API");
    }
    String allow = String.join(", ", allowed);
    throw new ApiErrors.MethodNotAllowed(
        method
            + " is not supported on "
            + exchange.getRequestURI().getPath()
            + " (allowed: "
            + allow
            + ")",
        allow);
  }

  private static ApiErrors.PayloadTooLarge tooLarge(Route route) {
    String what =
        route.maxBody() == MAX_JSON_BYTES
            ? "JSON body"
            : route.maxBody() == MAX_IMAGE_BYTES ? "image archive" : "request body";
    return new ApiErrors.PayloadTooLarge(what, route.maxBody());
  }

  // ---- open and thin handlers

  /**
   * {@code GET /v1/health}: no token; "ok", or "degraded" with the problems the runtime knows of
   * (the embedded Kafka broker down and being restarted). Always 200 while the runtime answers: the
   * plugin takes any other status for a runtime that is gone and starts another.
   */
  private void health(ApiCall call) throws Exception {
    List<String> problems = core.problems();
    call.json(
        200,
        problems.isEmpty()
            ? Map.of("status", "ok")
            : Map.of("status", "degraded", "problems", problems));
  }

  private void prometheus(ApiCall call) throws Exception {
    call.text(200, "text/plain; version=0.0.4; charset=utf-8", core.prometheus());
  }

  private void runtimeInfo(ApiCall call) throws Exception {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("stateDir", core.stateDir().toString());
    info.put("instanceJava", core.instanceJava().toString());
    info.put("archive", core.instanceJava().hasAotCache() ? "aot-cache" : "appcds");
    // Where fc:send produces records for triggers that name no cluster of their own.
    core.kafkaBootstrapServers().ifPresent(b -> info.put("kafkaBootstrapServers", b));
    info.put("dashboardStreams", streams.openCount());
    call.json(200, info);
  }

  /**
   * {@code <METHOD> /invoke/{function}/{qualifier}[/path][?query]}: a thin call into the core,
   * which routes it; the answer is written on the API's executor, under the guard.
   */
  private void invoke(ApiCall call) throws Exception {
    String function = call.param("function");
    String qualifier = call.param("qualifier");
    // An early refusal only: the router decides again on the version it picks (atomic).
    boolean authorized = authorized(call);
    if (!authorized && !core.isPublic(function, qualifier)) {
      throw new ApiErrors.Unauthorized();
    }
    if (call.contentLength() > MAX_INVOKE_BYTES) {
      throw new ApiErrors.PayloadTooLarge("invocation body", MAX_INVOKE_BYTES);
    }
    byte[] body = call.readBody(MAX_INVOKE_BYTES, "invocation body");
    String raw = call.rawPath();
    String prefix = "/invoke/" + call.rawParam("function") + "/" + call.rawParam("qualifier");
    String rest = raw.length() > prefix.length() ? raw.substring(prefix.length()) : "/";
    String q = call.exchange().getRequestURI().getRawQuery();
    if (q != null) {
      rest = rest + "?" + q;
    }
    Map<String, List<String>> headers = new HashMap<>();
    call.requestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    String routingKey = call.header(InvokeRequest.ROUTING_KEY_HEADER);
    core.invoke(function, qualifier, routingKey, call.method(), rest, headers, body, authorized)
        .whenComplete((response, error) -> answerLater(call, response, error));
  }

  private void answerLater(ApiCall call, InvokeResponse response, Throwable error) {
    Runnable answer =
        () -> {
          if (error != null) {
            ApiErrors.fail(call, error);
          } else {
            respond(call, response);
          }
        };
    try {
      answers.execute(guard.worker(answer));
    } catch (RejectedExecutionException e) {
      // every API thread is busy: answer here, unguarded, rather than not at all
      answer.run();
    }
  }

  private static void respond(ApiCall call, InvokeResponse response) {
    try {
      response
          .headers()
          .forEach(
              (k, v) -> {
                if (!HOP_BY_HOP.contains(k)) {
                  call.responseHeaders().set(k, v);
                }
              });
      if (response.version() > 0) {
        call.responseHeaders()
            .set(InvokeResponse.VERSION_HEADER, Integer.toString(response.version()));
      }
      byte[] body = response.body();
      call.send(response.status(), body.length == 0 ? -1 : body.length, body);
    } catch (java.io.IOException e) {
      // the caller went away or was too slow to read
    } finally {
      call.close();
    }
  }

  // ---- helpers

  private boolean authorized(ApiCall call) {
    String header = call.header("Authorization");
    return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), token);
  }
}
