package io.fctoolkit.runtime;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.ConflictException;
import io.fctoolkit.core.FcException;
import io.fctoolkit.core.FunctionMetrics;
import io.fctoolkit.core.FunctionState;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.InvalidRequestException;
import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.LogChunk;
import io.fctoolkit.core.NotFoundException;
import io.fctoolkit.core.Platform;
import io.fctoolkit.core.PlatformCapabilities;
import io.fctoolkit.core.PlatformUnavailableException;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.PublishResult;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.runtime.internal.Responses;
import io.fctoolkit.runtime.internal.RuntimeJson;
import io.fctoolkit.runtime.internal.ThinArchive;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Platform} of the embedded local runtime: a client of its control API (see {@code
 * docs/control-api.md}). Connect with {@link #connect(Path)} to a runtime running on a state
 * folder, or build one from a URL and token ({@link RuntimeServer#client()} in tests).
 */
public final class LocalPlatform implements Platform {

  /** A thin archive is built in memory; above this many bytes the file is sent whole instead. */
  private static final long MAX_THIN_ARCHIVE = 128L << 20;

  /** Names the log file in the answer of the logs call (FunctionHandlers). */
  private static final String LOG_FILE_HEADER = "fc-log-file";

  private final URI base;
  private final String token;
  private final HttpClient http;

  /**
   * @param base the runtime's URL, e.g. {@code http://127.0.0.1:8765}
   * @param token the bearer token from the state folder's {@code token} file
   */
  public LocalPlatform(URI base, String token) {
    this.base = requireNonNull(base, "base");
    this.token = requireNonNull(token, "token");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /**
   * Connects to the runtime that runs on {@code stateDir}, using its {@code run/runtime.json} and
   * {@code token}.
   *
   * @throws PlatformUnavailableException when no runtime runs there
   */
  public static LocalPlatform connect(Path stateDir) {
    Path info = stateDir.resolve("run/runtime.json");
    try {
      JsonNode node = RuntimeJson.MAPPER.readTree(info.toFile());
      String token = Files.readString(stateDir.resolve("token")).trim();
      return new LocalPlatform(URI.create(node.path("url").asText()), token);
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw new PlatformUnavailableException(
          stateDir.toString(),
          "no local runtime runs on this state folder",
          "start one: java -cp ... io.fctoolkit.runtime.RuntimeMain --state-dir " + stateDir,
          e);
    } catch (IOException e) {
      throw new PlatformUnavailableException(
          stateDir.toString(), "cannot read the runtime's address: " + e.getMessage(), null, e);
    }
  }

  /** Whether the runtime answers its health check. */
  public boolean isUp() {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v1/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public URI uri() {
    return base;
  }

  @Override
  public String target() {
    return "local runtime at " + base;
  }

  @Override
  public PlatformCapabilities capabilities() {
    return new PlatformCapabilities(true, true, true, true);
  }

  @Override
  public List<String> functions() {
    JsonNode node = call("GET", "/v1/functions", null);
    List<String> out = new ArrayList<>();
    node.path("functions").forEach(n -> out.add(n.asText()));
    return out;
  }

  @Override
  public Optional<FunctionState> describe(String function) {
    try {
      return Optional.of(
          read(call("GET", "/v1/functions/" + enc(function), null), FunctionState.class));
    } catch (NotFoundException e) {
      if (e.kind().equals("function")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Imports an image into the runtime's store and returns its digest. */
  public String importImage(ImageSource image) {
    JsonNode record;
    if (image instanceof ImageSource.Archive archive) {
      if (!Files.isRegularFile(archive.tarball())) {
        throw new InvalidRequestException(
            "image.tarball", "no file at " + archive.tarball(), "build the image archive first");
      }
      try {
        HttpRequest request =
            request(
                    "/v1/images?digest="
                        + enc(archive.digest())
                        + "&repository="
                        + enc(archive.repository()))
                .header("Content-Type", "application/x-tar")
                .POST(archiveBody(archive.tarball()))
                .timeout(Duration.ofMinutes(10))
                .build();
        record = handle(send(request));
      } catch (FileNotFoundException | NoSuchFileException e) {
        throw new InvalidRequestException("image.tarball", "no file at " + archive.tarball(), null);
      } catch (IOException e) {
        throw new InvalidRequestException(
            "image.tarball",
            "cannot read " + archive.tarball() + ": " + e.getMessage(),
            "build the image archive again");
      }
    } else {
      ImageSource.Registry registry = (ImageSource.Registry) image;
      ObjectNode body = RuntimeJson.MAPPER.createObjectNode();
      body.put("pull", registry.image().toString());
      body.put("insecure", registry.insecure());
      record = call("POST", "/v1/images", body);
    }
    return record.path("digest").asText();
  }

  /**
   * The archive to upload: without the blobs the runtime already stores (an incremental build
   * changes only its small layers), or whole when it stores none of them or the thin copy would be
   * large to hold in memory.
   */
  private HttpRequest.BodyPublisher archiveBody(Path tarball) throws IOException {
    Map<String, Long> blobs = ThinArchive.blobs(tarball);
    Set<String> stored = new HashSet<>();
    long missingBytes = 0;
    for (Map.Entry<String, Long> blob : blobs.entrySet()) {
      if (storesBlob(blob.getKey())) {
        stored.add(blob.getKey());
      } else {
        missingBytes += blob.getValue();
      }
    }
    if (stored.isEmpty() || missingBytes > MAX_THIN_ARCHIVE) {
      return HttpRequest.BodyPublishers.ofFile(tarball);
    }
    return HttpRequest.BodyPublishers.ofByteArray(ThinArchive.without(tarball, stored));
  }

  /** Whether the runtime stores blob {@code digest}; a runtime without the endpoint says no. */
  private boolean storesBlob(String digest) {
    HttpRequest request =
        request("/v1/blobs/" + enc(digest))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build();
    return send(request).statusCode() == 200;
  }

  @Override
  public PublishResult publish(PublishRequest request) {
    String digest = importImage(request.image());
    ObjectNode body = RuntimeJson.MAPPER.createObjectNode();
    body.set("config", RuntimeJson.MAPPER.valueToTree(request.config()));
    body.put("imageDigest", digest);
    if (request.releaseId() != null) {
      body.put("releaseId", request.releaseId());
    }
    return read(
        call("POST", "/v1/functions/" + enc(request.config().name()) + "/versions", body),
        PublishResult.class);
  }

  @Override
  public Alias putAlias(AliasUpdate update) {
    ObjectNode body = RuntimeJson.MAPPER.createObjectNode();
    body.set("target", RuntimeJson.MAPPER.valueToTree(update.target()));
    if (update.expectedRevision() != null) {
      body.put("expectedRevision", update.expectedRevision());
    }
    return read(
        call(
            "PUT",
            "/v1/functions/" + enc(update.function()) + "/aliases/" + enc(update.alias()),
            body),
        Alias.class);
  }

  @Override
  public void deleteAlias(String function, String alias, Long expectedRevision) {
    call(
        "DELETE",
        "/v1/functions/"
            + enc(function)
            + "/aliases/"
            + enc(alias)
            + (expectedRevision == null ? "" : "?expectedRevision=" + expectedRevision),
        null);
  }

  @Override
  public void deleteVersion(String function, int version) {
    call("DELETE", "/v1/functions/" + enc(function) + "/versions/" + version, null);
  }

  @Override
  public TriggerSpec putTrigger(TriggerSpec trigger) {
    return read(
        call(
            "PUT",
            "/v1/functions/" + enc(trigger.function()) + "/triggers/" + enc(trigger.name()),
            RuntimeJson.MAPPER.valueToTree(trigger)),
        TriggerSpec.class);
  }

  @Override
  public void deleteTrigger(String function, String trigger) {
    call("DELETE", "/v1/functions/" + enc(function) + "/triggers/" + enc(trigger), null);
  }

  /**
   * Invokes through the runtime. Answers from the function (any status) and the runtime's own
   * 429/502/503/504 come back as responses; an unknown function, alias or version throws {@link
   * NotFoundException}, a refused token {@link FcException}.
   */
  @Override
  public InvokeResponse invoke(InvokeRequest request) {
    HttpRequest.Builder builder =
        request(
                "/invoke/"
                    + enc(request.function())
                    + "/"
                    + enc(request.qualifier())
                    + (request.path().equals("/") ? "" : request.path()))
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()))
            .timeout(Duration.ofMinutes(5));
    request.headers().forEach(builder::header);
    if (request.routingKey() != null) {
      builder.header(InvokeRequest.ROUTING_KEY_HEADER, request.routingKey());
    }
    long start = System.nanoTime();
    HttpResponse<byte[]> response = send(builder.build());
    String version = response.headers().firstValue(InvokeResponse.VERSION_HEADER).orElse(null);
    if (version == null
        && (response.statusCode() == 404
            || response.statusCode() == 401
            || response.statusCode() == 400)) {
      handle(response);
    }
    return new InvokeResponse(
        response.statusCode(),
        Responses.headers(response.headers()),
        response.body(),
        version == null ? 0 : Integer.parseInt(version),
        Duration.ofNanos(System.nanoTime() - start));
  }

  @Override
  public FunctionMetrics metrics(String function) {
    return read(
        call("GET", "/v1/functions/" + enc(function) + "/metrics", null), FunctionMetrics.class);
  }

  /** The runtime's public invoke route of the alias (names are validated, so need no escaping). */
  @Override
  public Optional<URI> aliasAddress(String function, String alias) {
    return Optional.of(base.resolve("/invoke/" + function + "/" + alias));
  }

  /**
   * The version's log file in the runtime's state folder ({@code logs/<function>/v<N>.log}), or the
   * function's log folder when the version is not known (0); no address that needs the token.
   */
  @Override
  public Optional<String> logLocation(String function, int version) {
    Path logs;
    try {
      logs = stateDir().resolve("logs").resolve(function);
    } catch (FcException e) {
      return Optional.empty(); // a hint must not fail: the runtime went away meanwhile
    }
    return Optional.of((version > 0 ? logs.resolve("v" + version + ".log") : logs).toString());
  }

  /**
   * A link that opens the runtime's dashboard on {@code function} once, within two minutes: it
   * carries a one-time code, not the token, which the page trades for a session cookie ({@code
   * docs/dashboard.md}).
   */
  @Override
  public Optional<URI> dashboardLink(String function) {
    var body = RuntimeJson.MAPPER.createObjectNode().put("function", function);
    JsonNode answer = call("POST", "/v1/dashboard/codes", body);
    return Optional.of(base.resolve(answer.path("path").asText()));
  }

  /** The runtime's state folder, as it reports it ({@code GET /v1/runtime}). */
  public Path stateDir() {
    return Path.of(runtimeInfo().path("stateDir").asText());
  }

  /** The embedded (or external) broker the runtime's triggers use, once a trigger started it. */
  @Override
  public Optional<String> kafkaBootstrapServers() {
    JsonNode servers = runtimeInfo().path("kafkaBootstrapServers");
    return servers.isTextual() ? Optional.of(servers.asText()) : Optional.empty();
  }

  private JsonNode runtimeInfo() {
    return call("GET", "/v1/runtime", null);
  }

  @Override
  public Optional<LogChunk> readLog(String function, int version, long offset) {
    String query = offset >= 0 ? "offset=" + offset : "lines=" + Math.min(10_000, -offset);
    HttpResponse<byte[]> response =
        send(
            request("/v1/functions/" + enc(function) + "/versions/" + version + "/logs?" + query)
                .GET()
                .build());
    handle(response);
    long next = response.headers().firstValue("fc-log-next-offset").map(Long::parseLong).orElse(0L);
    String file =
        response
            .headers()
            .firstValue(LOG_FILE_HEADER)
            .orElseGet(() -> logLocation(function, version).orElseThrow());
    return Optional.of(new LogChunk(file, response.body(), next));
  }

  /** The last {@code lines} lines of a version's log. */
  public String logs(String function, int version, int lines) {
    HttpResponse<byte[]> response =
        send(
            request(
                    "/v1/functions/"
                        + enc(function)
                        + "/versions/"
                        + version
                        + "/logs?lines="
                        + lines)
                .GET()
                .build());
    handle(response);
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Override
  public boolean supportsRollouts() {
    return true;
  }

  @Override
  public RolloutStatus startRollout(RolloutRequest request) {
    ObjectNode body = RuntimeJson.MAPPER.createObjectNode();
    body.put("canaryVersion", request.canaryVersion());
    if (request.release() != null) {
      body.put("release", request.release());
    }
    body.set("strategy", RuntimeJson.MAPPER.valueToTree(request.strategy()));
    if (request.expectedRevision() != null) {
      body.put("expectedRevision", request.expectedRevision());
    }
    if (!request.smoke().isEmpty()) {
      body.set("smoke", RuntimeJson.MAPPER.valueToTree(request.smoke()));
    }
    return read(
        call("PUT", rolloutPath(request.function(), request.alias()), body), RolloutStatus.class);
  }

  @Override
  public Optional<RolloutStatus> rollout(String function, String alias) {
    try {
      return Optional.of(
          read(call("GET", rolloutPath(function, alias), null), RolloutStatus.class));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public RolloutStatus abortRollout(String function, String alias, String reason) {
    String query = reason == null ? "" : "?reason=" + enc(reason);
    return read(
        call("POST", rolloutPath(function, alias) + "/abort" + query, null), RolloutStatus.class);
  }

  @Override
  public RolloutStatus pauseRollout(String function, String alias, String reason) {
    return rolloutAction(function, alias, "pause", reason);
  }

  @Override
  public RolloutStatus resumeRollout(String function, String alias, String reason) {
    return rolloutAction(function, alias, "resume", reason);
  }

  @Override
  public RolloutStatus approveRollout(String function, String alias, String reason) {
    return rolloutAction(function, alias, "approve", reason);
  }

  @Override
  public RolloutStatus promoteRollout(String function, String alias, String reason) {
    return rolloutAction(function, alias, "promote", reason);
  }

  private RolloutStatus rolloutAction(String function, String alias, String action, String why) {
    String query = why == null ? "" : "?reason=" + enc(why);
    return read(
        call("POST", rolloutPath(function, alias) + "/" + action + query, null),
        RolloutStatus.class);
  }

  private static String rolloutPath(String function, String alias) {
    return "/v1/functions/" + enc(function) + "/aliases/" + enc(alias) + "/rollout";
  }

  @Override
  public void close() {
    // The JDK 17 HttpClient has nothing to close; the runtime outlives this client.
  }

  private JsonNode call(String method, String path, JsonNode body) {
    HttpRequest.Builder builder = request(path).timeout(Duration.ofMinutes(5));
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      try {
        builder
            .header("Content-Type", "application/json")
            .method(
                method,
                HttpRequest.BodyPublishers.ofByteArray(RuntimeJson.MAPPER.writeValueAsBytes(body)));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return handle(send(builder.build()));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    try {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        if (!StaleConnection.unsent(e, request.uri().getPath().startsWith("/invoke/"))) {
          throw e;
        }
        // The runtime's server closes a connection idle for 30 s, while this client may keep it
        // pooled longer: a request written onto such a connection never reached the runtime, so
        // it goes once more, on a new connection.
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      }
    } catch (IOException e) {
      throw new PlatformUnavailableException(
          base.toString(),
          "the local runtime did not answer: " + e,
          "start it (java -cp ... io.fctoolkit.runtime.RuntimeMain) or check its address",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformUnavailableException(base.toString(), "interrupted", null, e);
    }
  }

  private static JsonNode handle(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    JsonNode node;
    try {
      node =
          response.body().length == 0
              ? RuntimeJson.MAPPER.createObjectNode()
              : RuntimeJson.MAPPER.readTree(response.body());
    } catch (IOException e) {
      node = RuntimeJson.MAPPER.createObjectNode();
    }
    if (status / 100 == 2) {
      return node;
    }
    JsonNode err = node.path("error");
    String message = err.path("message").asText("HTTP " + status);
    String hint = err.path("hint").isTextual() ? err.path("hint").asText() : null;
    switch (status) {
      case 404 ->
          throw new NotFoundException(
              err.path("kind").asText("resource"), err.path("name").asText(message), hint);
      case 409 ->
          throw new ConflictException(
              message,
              hint,
              err.has("expectedRevision") ? err.get("expectedRevision").asLong() : null,
              err.has("actualRevision") ? err.get("actualRevision").asLong() : null);
      case 400 -> {
        String field = err.path("field").asText("body");
        String text =
            message.startsWith(field + ": ") ? message.substring(field.length() + 2) : message;
        throw new InvalidRequestException(field, text, hint);
      }
      case 401 -> throw new FcException("the local runtime refused the token: " + message, hint);
      default ->
          throw new FcException("the local runtime answered " + status + ": " + message, hint);
    }
  }

  private static <T> T read(JsonNode node, Class<T> type) {
    try {
      return RuntimeJson.MAPPER.treeToValue(node, type);
    } catch (IOException e) {
      throw new FcException(
          "the local runtime answered something this client cannot read: " + e.getMessage(),
          "use a client and runtime of the same version",
          e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
