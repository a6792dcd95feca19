package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.runtime.kafka.internal.BrokerPidFile;
import io.fctoolkit.runtime.kafka.internal.RestartSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node KRaft Kafka broker (Apache Kafka's own server) running as a child JVM, with
 * its data in a directory that survives restarts.
 *
 * <p>The broker runs in its own process so that a broker crash or {@code kill -9} of the runtime
 * behaves like a real deployment, and so that its threads and heap never compete with the runtime's
 * own. Ports are ephemeral on 127.0.0.1 and remembered in the data directory, so a restart keeps
 * the same bootstrap address when the ports are still free.
 *
 * <p>Once started, the broker is supervised: a process that exits without {@link #stop()} is
 * started again on the same ports and data directory (so clients reconnect to the address they
 * have, and topics and committed offsets survive), with backoff; {@link #problem()} says why it is
 * down meanwhile. A pid file ({@code broker.pid}: pid, start time, ports, owner marker) lets the
 * next start find and kill a broker that a crashed runtime left behind, and only that.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final String SERVER_MAIN = "kafka.Kafka";
  private static final String STORAGE_MAIN = "kafka.tools.StorageTool";
  private static final String LAUNCHER_MAIN = "io.fctoolkit.runtime.kafka.internal.BrokerLauncher";
  private static final String OWNER_OPTION = "-Dfc.kafka.owner=";
  private static final String PORTS_FILE = "ports.properties";
  private static final String CLUSTER_ID_FILE = "cluster.id";
  private static final String PID_FILE = "broker.pid";
  private static final String BROKER_LOG = "broker.log";
  private static final Duration PORT_RELEASE_WAIT = Duration.ofSeconds(15);

  private final Path dataDir;
  private final String classpath;
  private final List<String> jvmOptions;
  private final Duration startTimeout;
  private final RestartSchedule restartSchedule;
  private final Consumer<FcEvent> events;
  // Marks the broker processes of this object on their command line and in the pid file, so a
  // later start can prove a process it finds is the broker this object left behind.
  private final String owner = UUID.randomUUID().toString();

  // Written under the lock, read without it: health and status must answer while a restart holds
  // the lock for as long as the broker takes to come up.
  private volatile boolean wanted;
  private volatile Process process;
  private volatile String bootstrapServers;
  private volatile String problem;
  private volatile int restarted;

  private Thread shutdownHook;
  private ScheduledExecutorService supervisor;
  private int[] ports;
  private Path config;
  private long upSinceNanos;
  private long downSinceNanos;
  private Instant downSince = Instant.EPOCH;

  private EmbeddedKafka(Builder builder) {
    this.dataDir = builder.dataDir.toAbsolutePath();
    this.classpath = builder.classpath;
    this.jvmOptions = List.copyOf(builder.jvmOptions);
    this.startTimeout = builder.startTimeout;
    this.restartSchedule =
        new RestartSchedule(builder.restartInitial, builder.restartMax, builder.stableAfter);
    this.events = builder.events;
  }

  /** A broker keeping its data in {@code dataDir}; call {@link #start()} to run it. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /**
   * Formats the storage if needed, starts the broker and waits until it answers. From then on the
   * broker is supervised: if its process exits without {@link #stop()} or {@link #kill()}, it is
   * started again on the same ports and data, with backoff, until it stays up.
   */
  public synchronized EmbeddedKafka start() {
    if (wanted) {
      return this;
    }
    wanted = true;
    try {
      Files.createDirectories(dataDir.resolve("logs"));
      reapOrphan();
      ports = choosePorts();
      config = writeConfig(ports[0], ports[1]);
      formatIfNeeded(config);
      bootstrapServers = "127.0.0.1:" + ports[0];
      events.accept(FcEvent.info("Starting embedded Kafka on " + bootstrapServers));
      supervisor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "embedded-kafka-supervisor");
                t.setDaemon(true);
                return t;
              });
      shutdownHook =
          new Thread(
              () -> {
                wanted = false;
                killTree();
              },
              "embedded-kafka-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      launchBroker();
      awaitReady();
      up();
      events.accept(FcEvent.lifecycle("Embedded Kafka is up at " + bootstrapServers));
      return this;
    } catch (IOException e) {
      release();
      throw new EmbeddedKafkaException(
          dataDir,
          "Could not start the embedded Kafka broker",
          "check the directory is writable",
          e);
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  /** The broker's address, {@code 127.0.0.1:port}, once started; it stays the same on restarts. */
  public String bootstrapServers() {
    String address = bootstrapServers;
    if (address == null) {
      throw new IllegalStateException("embedded Kafka is not started");
    }
    return address;
  }

  /** Whether the broker process is running. */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Why the broker does not serve although it should: it exited and is being restarted. Empty when
   * it is up, or when it was never started or was stopped on purpose.
   */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /** How many times the supervisor has restarted the broker since {@link #start()}. */
  public int restarts() {
    return restarted;
  }

  /** The broker's process id while it runs (fault tests kill it from outside). */
  public OptionalLong pid() {
    Process p = process;
    return p == null ? OptionalLong.empty() : OptionalLong.of(p.pid());
  }

  /** The directory holding the broker's data, configuration and {@code broker.log}. */
  public Path dataDir() {
    return dataDir;
  }

  /** Creates a topic with the given partitions unless it exists; returns true if it created it. */
  public boolean createTopic(String topic, int partitions) {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false;
      }
      throw new EmbeddedKafkaException(
          dataDir, "Could not create topic '" + topic + "'", null, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException(dataDir, "Interrupted creating " + topic, null, e);
    } catch (TimeoutException e) {
      throw new EmbeddedKafkaException(dataDir, "Timed out creating " + topic, null, e);
    }
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    return Admin.create(props);
  }

  /**
   * Stops the broker and its supervision: a SIGTERM for a controlled shutdown, then the whole
   * process tree is killed if it has not exited in time.
   */
  public void stop() {
    // Before the lock: a restart in progress holds it and gives up once it sees this.
    wanted = false;
    synchronized (this) {
      Process p = process;
      if (p != null) {
        p.destroy();
        try {
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            events.accept(FcEvent.warn("Embedded Kafka did not stop in 30 s; killing it"));
            killTree();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          killTree();
        }
      }
      release();
    }
  }

  /** Kills the broker at once, as a crash would, and does not restart it (for fault tests). */
  public void kill() {
    wanted = false;
    synchronized (this) {
      killTree();
      release();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Ends supervision and forgets the process; called with the lock held and wanted false. */
  private void release() {
    wanted = false;
    killTree();
    if (supervisor != null) {
      supervisor.shutdownNow();
      supervisor = null;
    }
    removeHook();
    deletePidFile();
    process = null;
    problem = null;
  }

  private void deletePidFile() {
    try {
      Files.deleteIfExists(dataDir.resolve(PID_FILE));
    } catch (IOException e) {
      // A stale pid file is checked against the process's start time and command line.
    }
  }

  private void removeHook() {
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down and runs the hook itself.
      }
      shutdownHook = null;
    }
  }

  private void killTree() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- supervision ------------------------------------------------------------------------

  /** Starts the broker process on the chosen ports and records it in the pid file. */
  private void launchBroker() throws IOException {
    List<String> options = new ArrayList<>(jvmOptions);
    // First on the command line, so that even a command line cut short still carries it.
    options.add(0, OWNER_OPTION + owner);
    process = launch(options, SERVER_MAIN, List.of(config.toString()), dataDir.resolve(BROKER_LOG));
    BrokerPidFile.of(process.toHandle(), ports[0], ports[1], owner)
        .write(dataDir.resolve(PID_FILE));
  }

  /**
   * The broker answers: clears the problem and watches the process for an exit nobody asked for.
   */
  private void up() {
    upSinceNanos = System.nanoTime();
    problem = null;
    Process p = process;
    ScheduledExecutorService s = supervisor;
    p.onExit()
        .thenRun(
            () -> {
              try {
                s.execute(() -> exited(p));
              } catch (RejectedExecutionException e) {
                // Supervision ended: the broker was stopped on purpose.
              }
            });
  }

  private synchronized void exited(Process p) {
    if (!wanted || p != process) {
      return; // stopped on purpose, or an earlier process
    }
    process = null;
    Duration up = Duration.ofNanos(System.nanoTime() - upSinceNanos);
    downSinceNanos = System.nanoTime();
    downSince = Instant.now();
    scheduleRestart(
        restartSchedule.exitedAfter(up),
        "exited with code " + p.exitValue() + " after " + up.toSeconds() + " s up",
        tail(dataDir.resolve(BROKER_LOG)));
  }

  private void scheduleRestart(long delay, String reason, String logTail) {
    problem =
        "embedded Kafka broker at "
            + bootstrapServers
            + " is down since "
            + downSince.truncatedTo(ChronoUnit.SECONDS)
            + " ("
            + reason
            + "); restart "
            + restartSchedule.attempt()
            + " in "
            + delay
            + " ms; see "
            + dataDir.resolve(BROKER_LOG);
    events.accept(
        FcEvent.warn(
            "Embedded Kafka at "
                + bootstrapServers
                + " "
                + reason
                + "; restarting it on the same port in "
                + delay
                + " ms (attempt "
                + restartSchedule.attempt()
                + "). Last lines of "
                + dataDir.resolve(BROKER_LOG)
                + ":"
                + System.lineSeparator()
                + logTail));
    supervisor.schedule(this::restart, delay, TimeUnit.MILLISECONDS);
  }

  private synchronized void restart() {
    if (!wanted) {
      return;
    }
    try {
      launchBroker();
      awaitReady();
      restarted++;
      up();
      events.accept(
          FcEvent.lifecycle(
              "Embedded Kafka is up again at "
                  + bootstrapServers
                  + " after "
                  + Duration.ofNanos(System.nanoTime() - downSinceNanos).toMillis()
                  + " ms down (restart "
                  + restarted
                  + ")"));
    } catch (IOException | RuntimeException e) {
      killTree();
      process = null;
      if (wanted) {
        // The first line only: the health check shows this, and the log gets the tail below.
        String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        scheduleRestart(
            restartSchedule.startFailed(),
            "did not come back: " + why,
            tail(dataDir.resolve(BROKER_LOG)));
      }
    }
  }

  // ---- orphans ----------------------------------------------------------------------------

  /**
   * Kills a broker left running on this data directory by a runtime that died (it would hold the
   * directory's lock and the ports), but only a process the pid file proves to be that broker: same
   * pid and start time, and a full command line naming the launcher, the Kafka server, this
   * directory's configuration and the owner marker the pid file records. Reusing it instead is not
   * an option: its launcher exits once it sees its parent gone.
   */
  private void reapOrphan() throws IOException {
    Path pidFile = dataDir.resolve(PID_FILE);
    Optional<BrokerPidFile> recorded = BrokerPidFile.read(pidFile);
    if (recorded.isPresent()) {
      BrokerPidFile file = recorded.get();
      Optional<ProcessHandle> orphan = file.liveProcess(args -> isBrokerOf(args, file.owner()));
      if (orphan.isPresent()) {
        events.accept(
            FcEvent.warn(
                "Killing the embedded Kafka broker (pid "
                    + file.pid()
                    + ", port "
                    + file.brokerPort()
                    + ") that a previous runtime left running on "
                    + dataDir));
        ProcessHandle p = orphan.get();
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
          p.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          // Reported by the start that follows if the lock or the ports are still held.
        }
      } else if (ProcessHandle.of(file.pid()).map(ProcessHandle::isAlive).orElse(false)) {
        events.accept(
            FcEvent.info(
                "Leaving pid "
                    + file.pid()
                    + " alone: it is not the broker "
                    + pidFile
                    + " recorded (other start time or command line)"));
      }
    }
    Files.deleteIfExists(pidFile);
  }

  private boolean isBrokerOf(List<String> args, String marker) {
    return args.contains(OWNER_OPTION + marker)
        && Collections.indexOfSubList(
                args,
                List.of(
                    LAUNCHER_MAIN, SERVER_MAIN, dataDir.resolve("server.properties").toString()))
            >= 0;
  }

  private int[] choosePorts() throws IOException {
    Path file = dataDir.resolve(PORTS_FILE);
    if (Files.exists(file)) {
      Properties saved = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        saved.load(in);
      }
      int broker = Integer.parseInt(saved.getProperty("broker", "0"));
      int controller = Integer.parseInt(saved.getProperty("controller", "0"));
      // Clients keep the address they were given: wait a while for a broker of a crashed runtime
      // (its launcher exits once its parent is gone) to let go of the ports before moving.
      long deadline = System.nanoTime() + PORT_RELEASE_WAIT.toNanos();
      while (broker > 0 && controller > 0) {
        if (isFree(broker) && isFree(controller)) {
          return new int[] {broker, controller};
        }
        if (System.nanoTime() > deadline) {
          events.accept(
              FcEvent.warn(
                  "Embedded Kafka's ports "
                      + broker
                      + " and "
                      + controller
                      + " are still taken after "
                      + PORT_RELEASE_WAIT.toSeconds()
                      + " s; moving to new ports (clients must bootstrap again)"));
          break;
        }
        sleep(200);
      }
    }
    int broker = freePort();
    int controller = freePort();
    while (controller == broker) {
      controller = freePort();
    }
    Properties saved = new Properties();
    saved.setProperty("broker", Integer.toString(broker));
    saved.setProperty("controller", Integer.toString(controller));
    try (OutputStream out = Files.newOutputStream(file)) {
      saved.store(out, "ports of the embedded Kafka broker, reused on restart when free");
    }
    return new int[] {broker, controller};
  }

  private static boolean isFree(int port) {
    if (port <= 0) {
      return false;
    }
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private Path writeConfig(int brokerPort, int controllerPort) throws IOException {
    // Single node, replication factor 1 everywhere, few internal partitions: start-up time matters
    // more here than throughput of the internal topics. Static voters, so ports may change.
    Map<String, String> config =
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", "1"),
            Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
            Map.entry(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                    + brokerPort
                    + ",CONTROLLER://127.0.0.1:"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", dataDir.resolve("logs").toString()),
            Map.entry("num.partitions", "1"),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "5"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "5"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            Map.entry("log.segment.bytes", "67108864"));
    StringBuilder text = new StringBuilder("# written by fc-toolkit's EmbeddedKafka\n");
    config.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> text.append(e.getKey()).append('=').append(e.getValue()).append('\n'));
    Path file = dataDir.resolve("server.properties");
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    return file;
  }

  private void formatIfNeeded(Path config) throws IOException {
    if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
      return;
    }
    Path idFile = dataDir.resolve(CLUSTER_ID_FILE);
    if (!Files.exists(idFile)) {
      Files.writeString(idFile, Uuid.randomUuid().toString(), StandardCharsets.UTF_8);
    }
    String clusterId = Files.readString(idFile, StandardCharsets.UTF_8).trim();
    Path log = dataDir.resolve("format.log");
    Process format =
        launch(
            jvmOptions,
            STORAGE_MAIN,
            List.of("format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"),
            log);
    try {
      if (!format.waitFor(120, TimeUnit.SECONDS)) {
        format.destroyForcibly();
        throw new EmbeddedKafkaException(dataDir, "Formatting Kafka storage timed out", null, null);
      }
      if (format.exitValue() != 0) {
        throw new EmbeddedKafkaException(
            dataDir,
            "Formatting Kafka storage failed with exit code "
                + format.exitValue()
                + ": "
                + tail(log),
            "delete the data directory if it holds a broken broker",
            null);
      }
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException(dataDir, "Interrupted formatting Kafka storage", null, e);
    }
  }

  private Process launch(List<String> options, String mainClass, List<String> args, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.add("-cp");
    command.add(classpath);
    command.add(LAUNCHER_MAIN);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    return builder.start();
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("win")
            ? "NUL"
            : "/dev/null");
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    Exception last = null;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
    Process p = process;
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        if (!wanted) {
          throw new EmbeddedKafkaException(dataDir, "Stopped while starting", null, null);
        }
        if (!p.isAlive()) {
          throw new EmbeddedKafkaException(
              dataDir,
              "Kafka broker exited with code "
                  + p.exitValue()
                  + " while starting: "
                  + tail(dataDir.resolve(BROKER_LOG)),
              "see broker.log in the data directory",
              null);
        }
        try {
          // The group coordinator answering means the broker can serve consumers, not just
          // metadata: listing groups goes through it.
          admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
          admin.listTopics().names().get(3, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          last = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EmbeddedKafkaException(dataDir, "Interrupted waiting for Kafka", null, e);
        }
        sleep(200);
      }
    }
    throw new EmbeddedKafkaException(
        dataDir,
        "Kafka broker did not answer within " + startTimeout.toSeconds() + " s",
        "see broker.log in the data directory",
        last);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Options for an {@link EmbeddedKafka}. */
  public static final class Builder {
    private final Path dataDir;
    private String classpath = System.getProperty("java.class.path");
    private List<String> jvmOptions =
        List.of(
            "-Xms64m",
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-Djava.awt.headless=true",
            // Quiet broker.log whichever logging backend the classpath carries.
            "-Dlog4j2.level=WARN",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    private Duration startTimeout = Duration.ofSeconds(120);
    private Duration restartInitial = Duration.ofSeconds(1);
    private Duration restartMax = Duration.ofSeconds(30);
    private Duration stableAfter = Duration.ofSeconds(60);
    private Consumer<FcEvent> events = e -> {};

    private Builder(Path dataDir) {
      this.dataDir = requireNonNull(dataDir, "dataDir");
    }

    /** The classpath holding {@code kafka_2.13} and its dependencies; this JVM's by default. */
    public Builder classpath(String classpath) {
      this.classpath = requireNonNull(classpath, "classpath");
      return this;
    }

    /** JVM options of the broker process (heap, GC). */
    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(jvmOptions);
      return this;
    }

    /** How long to wait for the broker to answer after launching it. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = requireNonNull(startTimeout, "startTimeout");
      return this;
    }

    /**
     * The delay before restarting a broker that exited: between half and all of {@code initial *
     * 2^(n-1)} for the n-th attempt in a row, at most {@code max}.
     */
    public Builder restartBackoff(Duration initial, Duration max) {
      this.restartInitial = requireNonNull(initial, "initial");
      this.restartMax = requireNonNull(max, "max");
      return this;
    }

    /** How long a restarted broker must stay up before a new exit starts the backoff over. */
    public Builder stableAfter(Duration stableAfter) {
      this.stableAfter = requireNonNull(stableAfter, "stableAfter");
      return this;
    }

    /** Where progress goes. */
    public Builder events(Consumer<FcEvent> events) {
      this.events = requireNonNull(events, "events");
      return this;
    }

    public EmbeddedKafka build() {
      return new EmbeddedKafka(this);
    }
  }
}
