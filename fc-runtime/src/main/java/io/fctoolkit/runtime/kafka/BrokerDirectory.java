package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.runtime.kafka.internal.BrokerJvm;
import io.fctoolkit.runtime.kafka.internal.BrokerPorts;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.common.Uuid;

/**
 * The files and ports of an embedded broker's data directory: the ports it keeps across restarts,
 * its {@code server.properties}, its KRaft storage, its pid file and its log.
 */
final class BrokerDirectory {
  private static final String PORTS_FILE = "ports.properties";
  private static final String CLUSTER_ID_FILE = "cluster.id";
  private static final String PID_FILE = "broker.pid";
  private static final String BROKER_LOG = "broker.log";
  private static final Duration PORT_RELEASE_WAIT = Duration.ofSeconds(15);

  private final Path dir;
  private final BrokerJvm jvm;
  private final Consumer<FcEvent> events;

  /**
   * @param dir the data directory, absolute
   * @param jvm runs the storage tool that formats the directory
   * @param events where a move to new ports is reported
   */
  BrokerDirectory(Path dir, BrokerJvm jvm, Consumer<FcEvent> events) {
    this.dir = requireNonNull(dir, "dir");
    this.jvm = requireNonNull(jvm, "jvm");
    this.events = requireNonNull(events, "events");
  }

  Path dir() {
    return dir;
  }

  /** The broker's configuration, written by {@link #writeConfig}. */
  Path serverConfig() {
    return dir.resolve("server.properties");
  }

  Path pidFile() {
    return dir.resolve(PID_FILE);
  }

  Path brokerLog() {
    return dir.resolve(BROKER_LOG);
  }

  /** Creates the directory and its {@code logs} directory if they are missing. */
  void create() throws IOException {
    Files.createDirectories(dir.resolve("logs"));
  }

  /** The last 15 lines of {@code broker.log}, or why there are none. */
  String logTail() {
    return tail(brokerLog());
  }

  void deletePidFile() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      // A stale pid file is checked against the process's start time and command line.
    }
  }

  /** The ports saved in the directory if they are free (after a wait), else new ones, saved. */
  BrokerPorts choosePorts() throws IOException {
    Path file = dir.resolve(PORTS_FILE);
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
          return new BrokerPorts(broker, controller);
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
    return new BrokerPorts(broker, controller);
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

  /** Writes {@code server.properties} for a single node on {@code ports}; returns its path. */
  Path writeConfig(BrokerPorts ports) throws IOException {
    int brokerPort = ports.broker();
    int controllerPort = ports.controller();
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
            Map.entry("log.dirs", dir.resolve("logs").toString()),
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
    Path file = serverConfig();
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    return file;
  }

  /** Formats the KRaft storage for {@code config} unless it is formatted already. */
  void formatIfNeeded(Path config) throws IOException {
    if (Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
      return;
    }
    Path idFile = dir.resolve(CLUSTER_ID_FILE);
    if (!Files.exists(idFile)) {
      Files.writeString(idFile, Uuid.randomUuid().toString(), StandardCharsets.UTF_8);
    }
    String clusterId = Files.readString(idFile, StandardCharsets.UTF_8).trim();
    Path log = dir.resolve("format.log");
    Process format =
        jvm.startStorageTool(
            List.of("format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"), log);
    try {
      if (!format.waitFor(120, TimeUnit.SECONDS)) {
        format.destroyForcibly();
        throw new EmbeddedKafkaException(dir, "Formatting Kafka storage timed out", null, null);
      }
      if (format.exitValue() != 0) {
        throw new EmbeddedKafkaException(
            dir,
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
      throw new EmbeddedKafkaException(dir, "Interrupted formatting Kafka storage", null, e);
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
