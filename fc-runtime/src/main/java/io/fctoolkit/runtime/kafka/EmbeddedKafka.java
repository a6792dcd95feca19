package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
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
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final String SERVER_MAIN = "kafka.Kafka";
  private static final String STORAGE_MAIN = "kafka.tools.StorageTool";
  private static final String LAUNCHER_MAIN = "io.fctoolkit.runtime.kafka.internal.BrokerLauncher";
  private static final String PORTS_FILE = "ports.properties";
  private static final String CLUSTER_ID_FILE = "cluster.id";
  private static final String PID_FILE = "broker.pid";

  private final Path dataDir;
  private final String classpath;
  private final List<String> jvmOptions;
  private final Duration startTimeout;
  private final Consumer<FcEvent> events;
  private Process process;
  private Thread shutdownHook;
  private String bootstrapServers;

  private EmbeddedKafka(Builder builder) {
    this.dataDir = builder.dataDir.toAbsolutePath();
    this.classpath = builder.classpath;
    this.jvmOptions = List.copyOf(builder.jvmOptions);
    this.startTimeout = builder.startTimeout;
    this.events = builder.events;
  }

  /** A broker keeping its data in {@code dataDir}; call {@link #start()} to run it. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** Formats the storage if needed, starts the broker and waits until it answers. */
  public synchronized EmbeddedKafka start() {
    if (process != null && process.isAlive()) {
      return this;
    }
    try {
      Files.createDirectories(dataDir.resolve("logs"));
      killOrphan();
      int[] ports = choosePorts();
      Path config = writeConfig(ports[0], ports[1]);
      formatIfNeeded(config);
      bootstrapServers = "127.0.0.1:" + ports[0];
      events.accept(FcEvent.info("Starting embedded Kafka on " + bootstrapServers));
      process = launch(SERVER_MAIN, List.of(config.toString()), dataDir.resolve("broker.log"));
      Files.writeString(
          dataDir.resolve(PID_FILE), Long.toString(process.pid()), StandardCharsets.UTF_8);
      shutdownHook = new Thread(this::killTree, "embedded-kafka-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      awaitReady();
      events.accept(FcEvent.lifecycle("Embedded Kafka is up at " + bootstrapServers));
      return this;
    } catch (IOException e) {
      killTree();
      throw new EmbeddedKafkaException(
          dataDir,
          "Could not start the embedded Kafka broker",
          "check the directory is writable",
          e);
    } catch (RuntimeException e) {
      killTree();
      throw e;
    }
  }

  /** The broker's address, {@code 127.0.0.1:port}, once started. */
  public synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      throw new IllegalStateException("embedded Kafka is not started");
    }
    return bootstrapServers;
  }

  /** Whether the broker process is running. */
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
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
   * Stops the broker: a SIGTERM for a controlled shutdown, then the whole process tree is killed if
   * it has not exited in time.
   */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        events.accept(FcEvent.warn("Embedded Kafka did not stop in 30 s; killing it"));
        killTree();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killTree();
    }
    removeHook();
    deletePidFile();
    process = null;
  }

  /** Kills the broker at once, as a crash would (for fault tests). */
  public synchronized void kill() {
    killTree();
    removeHook();
    deletePidFile();
    process = null;
  }

  private void deletePidFile() {
    try {
      Files.deleteIfExists(dataDir.resolve(PID_FILE));
    } catch (IOException e) {
      // A stale pid file is checked against the process's command line before any kill.
    }
  }

  @Override
  public void close() {
    stop();
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

  /**
   * Kills a broker left running by a previous runtime on this data directory (one that died before
   * its broker noticed), which would otherwise hold the directory's lock and ports.
   */
  private void killOrphan() throws IOException {
    Path pidFile = dataDir.resolve(PID_FILE);
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
    } catch (NumberFormatException e) {
      Files.delete(pidFile);
      return;
    }
    ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info().commandLine().map(c -> c.contains(LAUNCHER_MAIN)).orElse(false)
                    && p.info()
                        .commandLine()
                        .map(c -> c.contains(dataDir.toString()))
                        .orElse(false))
        .ifPresent(
            p -> {
              events.accept(
                  FcEvent.warn("Killing an orphaned embedded Kafka broker (pid " + pid + ")"));
              p.descendants().forEach(ProcessHandle::destroyForcibly);
              p.destroyForcibly();
              try {
                p.onExit().get(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (ExecutionException | TimeoutException e) {
                // Reported by the start that follows if the lock is still held.
              }
            });
    Files.delete(pidFile);
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
      if (isFree(broker) && isFree(controller)) {
        return new int[] {broker, controller};
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

  private Process launch(String mainClass, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
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
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new EmbeddedKafkaException(
              dataDir,
              "Kafka broker exited with code "
                  + process.exitValue()
                  + " while starting: "
                  + tail(dataDir.resolve("broker.log")),
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
