package io.fctoolkit.runtime.kafka;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import io.fctoolkit.runtime.kafka.internal.BrokerJvm;
import io.fctoolkit.runtime.kafka.internal.BrokerPidFile;
import io.fctoolkit.runtime.kafka.internal.BrokerPorts;
import io.fctoolkit.runtime.kafka.internal.OrphanReaper;
import io.fctoolkit.runtime.kafka.internal.RestartSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the broker process and keeps it running: starts it once, and starts it again on the same
 * ports and data with {@link RestartSchedule}'s backoff when it exits without {@link #stop()} or
 * {@link #kill()}, saying meanwhile why it is down.
 */
final class BrokerSupervisor {
  private final BrokerDirectory directory;
  private final BrokerJvm jvm;
  private final OrphanReaper reaper;
  private final BrokerReadiness readiness;
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
  private ScheduledExecutorService scheduler;
  private BrokerPorts ports;
  private Path config;
  private long upSinceNanos;
  private long downSinceNanos;
  private Instant downSince = Instant.EPOCH;

  BrokerSupervisor(
      BrokerDirectory directory,
      BrokerJvm jvm,
      OrphanReaper reaper,
      BrokerReadiness readiness,
      RestartSchedule restartSchedule,
      Consumer<FcEvent> events) {
    this.directory = requireNonNull(directory, "directory");
    this.jvm = requireNonNull(jvm, "jvm");
    this.reaper = requireNonNull(reaper, "reaper");
    this.readiness = requireNonNull(readiness, "readiness");
    this.restartSchedule = requireNonNull(restartSchedule, "restartSchedule");
    this.events = requireNonNull(events, "events");
  }

  /**
   * Prepares the data directory (reaping an orphan, choosing the ports, writing the configuration,
   * formatting the storage), starts the broker and waits until it answers; then supervises it. Does
   * nothing if it is started already.
   */
  synchronized void start() {
    if (wanted) {
      return;
    }
    wanted = true;
    try {
      directory.create();
      reaper.reap();
      ports = directory.choosePorts();
      config = directory.writeConfig(ports);
      directory.formatIfNeeded(config);
      bootstrapServers = "127.0.0.1:" + ports.broker();
      events.accept(FcEvent.info("Starting embedded Kafka on " + bootstrapServers));
      scheduler =
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
      readiness.await(process, bootstrapServers, () -> wanted);
      up();
      events.accept(FcEvent.lifecycle("Embedded Kafka is up at " + bootstrapServers));
    } catch (IOException e) {
      release();
      throw new EmbeddedKafkaException(
          directory.dir(),
          "Could not start the embedded Kafka broker",
          "check the directory is writable",
          e);
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  /** The broker's address once started, or null. */
  String bootstrapServers() {
    return bootstrapServers;
  }

  boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  int restarts() {
    return restarted;
  }

  OptionalLong pid() {
    Process p = process;
    return p == null ? OptionalLong.empty() : OptionalLong.of(p.pid());
  }

  /**
   * Stops the broker and its supervision: a SIGTERM for a controlled shutdown, then the whole
   * process tree is killed if it has not exited in time.
   */
  void stop() {
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

  /** Kills the broker at once, as a crash would, and does not restart it. */
  void kill() {
    wanted = false;
    synchronized (this) {
      killTree();
      release();
    }
  }

  /** Ends supervision and forgets the process; called with the lock held and wanted false. */
  private void release() {
    wanted = false;
    killTree();
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
    removeHook();
    directory.deletePidFile();
    process = null;
    problem = null;
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

  /** Starts the broker process on the chosen ports and records it in the pid file. */
  private void launchBroker() throws IOException {
    process = jvm.startServer(config, owner, directory.brokerLog());
    BrokerPidFile.of(process.toHandle(), ports.broker(), ports.controller(), owner)
        .write(directory.pidFile());
  }

  /**
   * The broker answers: clears the problem and watches the process for an exit nobody asked for.
   */
  private void up() {
    upSinceNanos = System.nanoTime();
    problem = null;
    Process p = process;
    ScheduledExecutorService s = scheduler;
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
        directory.logTail());
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
            + directory.brokerLog();
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
                + directory.brokerLog()
                + ":"
                + System.lineSeparator()
                + logTail));
    scheduler.schedule(this::restart, delay, TimeUnit.MILLISECONDS);
  }

  private synchronized void restart() {
    if (!wanted) {
      return;
    }
    try {
      launchBroker();
      readiness.await(process, bootstrapServers, () -> wanted);
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
            restartSchedule.startFailed(), "did not come back: " + why, directory.logTail());
      }
    }
  }
}
