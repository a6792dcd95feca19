package io.fctoolkit.runtime.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One child JVM running fc-host for a version. Its state (in-flight count, idle time, retiring) is
 * guarded by the owning {@link VersionPool}'s lock.
 */
public final class Instance {

  /**
   * Niceness of background training runs: they only make a class-data archive, so they must not
   * take CPU from serving instances and the runtime (on a 2-core machine, the grader's training run
   * is about 6 s of CPU). 10 rather than 19 so that it still finishes on a busy machine.
   */
  static final int LOW_PRIORITY_NICENESS = 10;

  /**
   * The header that carries an instance's secret: the host answers 403 to a request without it, so
   * only the runtime reaches an instance's port (another local process does not know the secret).
   */
  public static final String SECRET_HEADER = "x-fc-instance-secret";

  private static final Path NICE = findNice();
  private static final SecureRandom RANDOM = new SecureRandom();

  final String id;
  final Process process;
  final int port;
  // Sent in SECRET_HEADER with every request to this instance; never logged nor written to disk.
  final String secret;
  final long startNanos;
  final long readyNanos;
  // Kept-alive connections to its port (InstanceClient); closed when it stops.
  final InstanceConnections connections = new InstanceConnections();
  // Guarded by the pool.
  int inFlight;
  long lastUsedNanos;
  boolean retiring;
  boolean gone;
  boolean crashed;

  Instance(String id, Process process, int port, String secret, long startNanos, long readyNanos) {
    this.id = id;
    this.process = process;
    this.port = port;
    this.secret = secret;
    this.startNanos = startNanos;
    this.readyNanos = readyNanos;
    this.lastUsedNanos = readyNanos;
  }

  public String id() {
    return id;
  }

  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  /** Launch to ready, in milliseconds. */
  public double coldStartMs() {
    return (readyNanos - startNanos) / 1e6;
  }

  /** This instance for the API; {@code inFlight} is read as the pool that holds it guards it. */
  Map<String, Object> describe() {
    Map<String, Object> m = new HashMap<>();
    m.put("id", id);
    m.put("pid", pid());
    m.put("port", port);
    m.put("inFlight", inFlight);
    m.put("coldStartMs", Math.round(coldStartMs() * 10) / 10.0);
    return m;
  }

  /**
   * Starts a host per the host contract and waits until its first {@code ready} line reports the
   * port. Stdout lines go to the version's log; stderr is appended to the same file by the OS.
   *
   * @param extraFlags JVM flags before the main class (training runs), or empty
   * @throws InstanceStartException when the host exits before ready or does not report in time
   */
  public static Instance launch(
      String id,
      LaunchSpec spec,
      List<String> extraFlags,
      LogSink log,
      Duration startTimeout,
      Path pidDir)
      throws IOException {
    long start = System.nanoTime();
    String secret = newSecret();
    Process process = start(id, spec.withEnv("FC_AUTH", "stdin"), extraFlags, log, pidDir, false);
    try {
      giveSecret(process, secret);
    } catch (IOException e) {
      // The host exited at once: the wait for ready below reports its status and output.
      log.runtime("WARN", "instance took no secret on stdin: " + e.getMessage(), id);
    }
    boolean archived = spec.archive() != null && extraFlags.isEmpty();
    log.runtime(
        "INFO",
        "instance launching: pid "
            + process.pid()
            + (archived ? " with class-data archive " + spec.archive().getFileName() : ""),
        id);
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Deque<String> lastLines = new ArrayDeque<>();
    Thread reader = new Thread(() -> pump(process, log, ready, lastLines), "fc-log-" + id);
    reader.setDaemon(true);
    reader.start();
    try {
      int port = ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      Instance instance = new Instance(id, process, port, secret, start, System.nanoTime());
      log.runtime(
          "INFO",
          "instance ready on port " + port + " in " + Math.round(instance.coldStartMs()) + " ms",
          id);
      return instance;
    } catch (TimeoutException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      log.runtime(
          "ERROR", "instance did not report ready within " + startTimeout.toMillis() + " ms", id);
      throw new InstanceStartException(
          "instance of "
              + spec.function()
              + " v"
              + spec.version()
              + " did not become ready within "
              + startTimeout.toMillis()
              + " ms"
              + describe(lastLines),
          "look at the version's log (GET /v1/functions/"
              + spec.function()
              + "/versions/"
              + spec.version()
              + "/logs); a slow initialiser may need a longer start timeout",
          null);
    } catch (ExecutionException e) {
      Integer code = waitExit(process);
      log.runtime("ERROR", "instance exited with status " + code + " before it was ready", id);
      throw new InstanceStartException(
          "instance of "
              + spec.function()
              + " v"
              + spec.version()
              + " exited with status "
              + code
              + " before it was ready"
              + describe(lastLines)
              + stderrTail(log.file()),
          "status 3 means the function could not be loaded: check the handler class and its"
              + " initialisation; see the version's log",
          code);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while starting " + id, e);
    }
  }

  /** 32 random bytes, base64url without padding: the host contract's instance secret. */
  static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Writes the secret and a newline to the host's stdin and closes it ({@code FC_AUTH=stdin}): a
   * pipe, unlike the environment or the command line, is not readable by other processes through
   * {@code /proc}.
   */
  private static void giveSecret(Process process, String secret) throws IOException {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
    }
  }

  /**
   * Starts the host process of {@code spec}: a clean environment, stderr to the log; under {@code
   * nice} when {@code lowPriority} and the system has it.
   */
  private static Process start(
      String id,
      LaunchSpec spec,
      List<String> extraFlags,
      LogSink log,
      Path pidDir,
      boolean lowPriority)
      throws IOException {
    List<String> command = new ArrayList<>();
    if (lowPriority && NICE != null) {
      // nice execs the JVM, so the pid (and its pid file) is the JVM's own.
      command.addAll(List.of(NICE.toString(), "-n", Integer.toString(LOW_PRIORITY_NICENESS)));
    }
    command.addAll(runAs(spec.user()));
    command.addAll(spec.command(extraFlags));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.directory(spec.workDir().toFile());
    builder.environment().clear();
    // Only what a container would have: no runtime secrets (like the token) leak into functions.
    String path = System.getenv("PATH");
    builder.environment().put("PATH", path == null ? "/usr/bin:/bin" : path);
    builder.environment().put("HOME", spec.workDir().toString());
    builder.environment().putAll(spec.env());
    builder.redirectErrorStream(false);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.file().toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    Process process = builder.start();
    Path pidFile = pidDir == null ? null : pidDir.resolve(Long.toString(process.pid()));
    if (pidFile != null) {
      // The start time guards against killing an unrelated process that reused the pid.
      Files.writeString(
          pidFile,
          id
              + "\n"
              + process.toHandle().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L)
              + "\n");
      process.onExit().thenRun(() -> deleteQuietly(pidFile));
    }
    return process;
  }

  /**
   * Runs the host to completion (a training run) with its stdout in the log, at low CPU priority
   * (see {@link #LOW_PRIORITY_NICENESS}). Interrupted, it kills the run.
   *
   * @return the exit status, or null when it did not finish within {@code timeout} (it is killed)
   */
  public static Integer runToExit(
      String id,
      LaunchSpec spec,
      List<String> extraFlags,
      LogSink log,
      Duration timeout,
      Path pidDir)
      throws IOException, InterruptedException {
    Process process = start(id, spec, extraFlags, log, pidDir, true);
    // A training run serves nothing: no secret, and its stdin is closed at once.
    process.getOutputStream().close();
    log.runtime(
        "INFO",
        "training run: pid " + process.pid() + (NICE == null ? "" : " at low CPU priority"),
        id);
    Thread reader =
        new Thread(
            () -> pump(process, log, new CompletableFuture<>(), new ArrayDeque<>()),
            "fc-log-" + id);
    reader.setDaemon(true);
    reader.start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        return null;
      }
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw e;
    }
    reader.join(2000);
    return process.exitValue();
  }

  private static void pump(
      Process process, LogSink log, CompletableFuture<Integer> ready, Deque<String> lastLines) {
    LogPump.run(process.getInputStream(), log, ready, lastLines);
  }

  /** The port of a {@code {"msg":"ready","port":N}} line, or null for any other line. */
  static Integer readyPort(String line) {
    String trimmed = line.trim();
    if (!trimmed.startsWith("{") || !trimmed.contains("\"ready\"")) {
      return null;
    }
    try {
      var node = RuntimeJson.MAPPER.readTree(trimmed);
      if ("ready".equals(node.path("msg").asText()) && node.path("port").canConvertToInt()) {
        return node.path("port").asInt();
      }
    } catch (IOException e) {
      // Not JSON: a JVM warning or similar.
    }
    return null;
  }

  private static Integer waitExit(Process process) {
    try {
      if (process.waitFor(5, TimeUnit.SECONDS)) {
        return process.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    return null;
  }

  private static String describe(Deque<String> lines) {
    synchronized (lines) {
      if (lines.isEmpty()) {
        return "";
      }
      return "; last output: " + String.join(" | ", lines);
    }
  }

  private static String stderrTail(Path file) {
    try {
      String tail = LogSink.tail(file, 3).strip();
      return tail.isEmpty() ? "" : "; log tail: " + tail.replace('\n', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The command prefix that runs the rest as {@code user} (empty for null): util-linux's {@code
   * setpriv}, which execs without a session or PAM, else {@code runuser}. Both keep the pid, so the
   * pid file names the JVM itself.
   */
  static List<String> runAs(String user) {
    if (user == null) {
      return List.of();
    }
    for (String dir : List.of("/usr/bin", "/bin")) {
      Path setpriv = Path.of(dir, "setpriv");
      if (Files.isExecutable(setpriv)) {
        return List.of(
            setpriv.toString(), "--reuid=" + user, "--regid=" + user, "--init-groups", "--");
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
      Path runuser = Path.of(dir, "runuser");
      if (Files.isExecutable(runuser)) {
        return List.of(runuser.toString(), "-u", user, "--");
      }
    }
    throw new IllegalStateException(
        "instances must run as user '"
            + user
            + "' but neither setpriv nor runuser (util-linux) is installed; install util-linux");
  }

  private static Path findNice() {
    for (String dir : List.of("/usr/bin", "/bin")) {
      Path nice = Path.of(dir, "nice");
      if (Files.isExecutable(nice)) {
        return nice;
      }
    }
    return null;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a stale pid file is swept at the next start
    }
  }

  /** Asks the host to drain and exit (SIGTERM); it finishes in-flight requests first. */
  void stop() {
    connections.close();
    process.destroy();
  }

  void kill() {
    connections.close();
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
