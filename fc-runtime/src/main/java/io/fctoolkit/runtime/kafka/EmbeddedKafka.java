package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.runtime.kafka.internal.BrokerJvm;
import io.fctoolkit.runtime.kafka.internal.OrphanReaper;
import io.fctoolkit.runtime.kafka.internal.RestartSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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
 *
 * <p>This class is the facade; the work is done by {@code BrokerSupervisor} (the process and its
 * restarts), {@code BrokerDirectory} (ports, configuration, storage, log), {@code BrokerReadiness}
 * (waiting for the broker to answer), {@code OrphanReaper} and {@code BrokerJvm}.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private final Path dataDir;
  private final BrokerSupervisor supervisor;

  private EmbeddedKafka(Builder builder) {
    this.dataDir = builder.dataDir.toAbsolutePath();
    BrokerJvm jvm = new BrokerJvm(builder.classpath, builder.jvmOptions);
    BrokerDirectory directory = new BrokerDirectory(dataDir, jvm, builder.events);
    this.supervisor =
        new BrokerSupervisor(
            directory,
            jvm,
            new OrphanReaper(directory.pidFile(), directory.serverConfig(), builder.events),
            new BrokerReadiness(directory, builder.startTimeout),
            new RestartSchedule(builder.restartInitial, builder.restartMax, builder.stableAfter),
            builder.events);
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
  public EmbeddedKafka start() {
    supervisor.start();
    return this;
  }

  /** The broker's address, {@code 127.0.0.1:port}, once started; it stays the same on restarts. */
  public String bootstrapServers() {
    String address = supervisor.bootstrapServers();
    if (address == null) {
      throw new IllegalStateException("embedded Kafka is not started");
    }
    return address;
  }

  /** Whether the broker process is running. */
  public boolean isRunning() {
    return supervisor.isRunning();
  }

  /**
   * Why the broker does not serve although it should: it exited and is being restarted. Empty when
   * it is up, or when it was never started or was stopped on purpose.
   */
  public Optional<String> problem() {
    return supervisor.problem();
  }

  /** How many times the supervisor has restarted the broker since {@link #start()}. */
  public int restarts() {
    return supervisor.restarts();
  }

  /** The broker's process id while it runs (fault tests kill it from outside). */
  public OptionalLong pid() {
    return supervisor.pid();
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
    supervisor.stop();
  }

  /** Kills the broker at once, as a crash would, and does not restart it (for fault tests). */
  public void kill() {
    supervisor.kill();
  }

  @Override
  public void close() {
    stop();
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
