package io.fctoolkit.runtime.internal;

import static io.fctoolkit.runtime.internal.RequestValues.parseLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.runtime.DeadLetterNote;
import io.fctoolkit.runtime.JournalEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's routes: the one-time code a token holder asks for, the login that turns it into a
 * cookie, the page and its two bundled files, and the JSON and live stream the page reads (history,
 * journal, dead letters; the rest of what it shows comes from the API's own read routes).
 */
final class DashboardHandlers {

  /**
   * No third-party request, no inline script or style, no framing, no form posts, no referrer: the
   * page's own script and style, and fetches to its own origin only.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** Journal entries one answer holds at most. */
  static final int MAX_EVENTS = 500;

  /** Dead-letter notes one answer holds at most, all triggers together, newest first. */
  static final int MAX_DEAD_LETTERS = 50;

  private static final String ASSETS = "/io/fctoolkit/runtime/dashboard/";
  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "app.css", "text/css; charset=utf-8");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final RuntimeCore core;
  private final DashboardSessions sessions;
  private final EventStream streams;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  DashboardHandlers(RuntimeCore core, DashboardSessions sessions, EventStream streams) {
    this.core = core;
    this.sessions = sessions;
    this.streams = streams;
    core.journal().subscribe(this::journalEvent);
    core.history().onSample(this::sampled);
  }

  // ---- login

  /**
   * {@code POST /v1/dashboard/codes} (token), optional body {@code {"function": "grader"}}: a
   * one-time code and the path that uses it.
   */
  void newCode(ApiCall call) throws IOException {
    String function = null;
    if (call.contentLength() > 0) {
      JsonNode body = call.readJson();
      if (!body.isObject()) {
        throw new InvalidRequestException(
            "body", "must be a JSON object", "send {\"function\": \"name\"} or no body");
      }
      JsonNode f = body.get("function");
      if (f != null && !f.isNull()) {
        if (!f.isTextual() || !NAME.matcher(f.asText()).matches()) {
          throw new InvalidRequestException(
              "function", "'" + f + "' is not a function name", "name an existing function");
        }
        function = f.asText();
        core.describe(function)
            .orElseThrow(() -> new NotFoundException("function", f.asText(), null));
      }
    }
    String code = sessions.newCode();
    String path =
        "/dashboard/login?code="
            + code
            + (function == null
                ? ""
                : "&function=" + URLEncoder.encode(function, StandardCharsets.UTF_8));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("code", code);
    out.put("path", path);
    out.put("expiresInSeconds", DashboardSessions.CODE_TTL.toSeconds());
    call.json(201, out);
  }

  /**
   * {@code GET /dashboard/login?code=...}: uses the code up, sets the session cookie and sends the
   * browser on to the page, so the address it shows (and keeps in its history) holds no secret.
   */
  void login(ApiCall call) throws IOException {
    pageHeaders(call);
    Map<String, String> q = call.query();
    var session = sessions.exchange(q.get("code"));
    if (session.isEmpty()) {
      call.text(
          401,
          "text/plain; charset=utf-8",
          "This dashboard link was used already or has expired (links work once, for "
              + DashboardSessions.CODE_TTL.toMinutes()
              + " minutes).\nAsk for a new link: the Maven plugin's dashboard goal prints one.\n");
      return;
    }
    String function = q.get("function");
    String target =
        "/dashboard/"
            + (function != null && NAME.matcher(function).matches() ? "?function=" + function : "");
    call.responseHeaders()
        .set(
            "Set-Cookie",
            DashboardSessions.cookieName(port(call))
                + "="
                + session.get()
                + "; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age="
                + DashboardSessions.SESSION_TTL.toSeconds());
    call.responseHeaders().set("Location", target);
    call.empty(303);
  }

  /** Whether the call carries a live dashboard session cookie. */
  boolean hasSession(ApiCall call) {
    return sessions.valid(call.header("Cookie"), port(call));
  }

  // ---- the page

  /** {@code GET /dashboard/}: the page itself; it holds no data, so it needs no session. */
  void page(ApiCall call) throws IOException {
    serve(call, "index.html");
  }

  /** {@code GET /dashboard/assets/{file}}: the bundled script and style. */
  void asset(ApiCall call) throws IOException {
    String file = call.param("file");
    if (file.equals("index.html") || !FILES.containsKey(file)) {
      throw new NotFoundException("path", call.rawPath(), "the dashboard has app.js and app.css");
    }
    serve(call, file);
  }

  private void serve(ApiCall call, String file) throws IOException {
    pageHeaders(call);
    byte[] bytes = cache.computeIfAbsent(file, DashboardHandlers::load);
    call.bytes(200, FILES.get(file), bytes);
  }

  private static byte[] load(String file) {
    try (InputStream in = DashboardHandlers.class.getResourceAsStream(ASSETS + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "the dashboard's " + file + " is missing from the runtime's jar (" + ASSETS + ")");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Headers of every dashboard answer: the policy above, no sniffing, no referrer, no caching of
   * data. Also refuses a {@code Host} other than a loopback name, so a page of another site that
   * resolves its own name to 127.0.0.1 (DNS rebinding) gets nothing.
   */
  static void pageHeaders(ApiCall call) {
    String host = call.header("Host");
    String name = host == null ? "" : host.replaceFirst(":\\d+$", "");
    if (!name.equals("127.0.0.1") && !name.equals("localhost") && !name.equals("[::1]")) {
      throw new InvalidRequestException(
          "Host",
          "the dashboard answers only on a loopback address, not '" + host + "'",
          "open the dashboard link as it was given (http://127.0.0.1:<port>/...)");
    }
    var h = call.responseHeaders();
    h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
    h.set("Cache-Control", "no-store");
  }

  private static int port(ApiCall call) {
    return call.exchange().getLocalAddress().getPort();
  }

  // ---- data

  /** {@code GET /v1/functions/{f}/history?since=<epoch ms>}: the sampled history. */
  void history(ApiCall call) throws IOException {
    String function = requireFunction(call);
    long since = parseLong("since", call.query().getOrDefault("since", "0"));
    call.json(200, core.history().snapshot(function, since));
  }

  /** {@code GET /v1/functions/{f}/events?after=<seq>}: the journal's entries for the function. */
  void events(ApiCall call) throws IOException {
    String function = requireFunction(call);
    long after = parseLong("after", call.query().getOrDefault("after", "0"));
    call.json(200, Map.of("events", core.journal().events(function, after, MAX_EVENTS)));
  }

  /** {@code GET /v1/functions/{f}/dead-letters}: the latest failed records of its triggers. */
  void deadLetters(ApiCall call) throws IOException {
    String function = requireFunction(call);
    List<DeadLetterNote> all = new ArrayList<>();
    for (TriggerSpec t : core.describe(function).orElseThrow().triggers()) {
      all.addAll(core.deadLetters(function, t.name()));
    }
    all.sort(Comparator.comparingLong(DeadLetterNote::timeMs).reversed());
    call.json(
        200,
        Map.of(
            "deadLetters", all.size() > MAX_DEAD_LETTERS ? all.subList(0, MAX_DEAD_LETTERS) : all));
  }

  /**
   * {@code GET /v1/functions/{f}/stream}: server-sent events {@code sample} and {@code journal}.
   */
  void stream(ApiCall call) throws IOException {
    streams.open(call, requireFunction(call));
  }

  private String requireFunction(ApiCall call) {
    String function = call.param("function");
    core.describe(function).orElseThrow(() -> new NotFoundException("function", function, null));
    return function;
  }

  private void journalEvent(JournalEvent event) {
    if (streams.watched(event.function())) {
      streams.publish(event.function(), "journal", json(event));
    }
  }

  private void sampled(long timeMs) {
    for (String function : core.functions()) {
      if (streams.watched(function)) {
        streams.publish(function, "sample", json(core.history().snapshot(function, timeMs - 1)));
      }
    }
  }

  private static byte[] json(Object value) {
    try {
      return RuntimeJson.MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
