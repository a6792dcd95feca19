package io.fctoolkit.runtime.kafka.internal;

import static java.util.Objects.requireNonNull;

import io.fctoolkit.core.FcEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Kills a broker left running on a data directory by a runtime that died (it would hold the
 * directory's lock and the ports), but only a process the pid file proves to be that broker: same
 * pid and start time, and a full command line naming the launcher, the Kafka server, this
 * directory's configuration and the owner marker the pid file records. Reusing it instead is not an
 * option: its launcher exits once it sees its parent gone.
 */
public final class OrphanReaper {
  private final Path pidFile;
  private final Path serverConfig;
  private final Consumer<FcEvent> events;

  /**
   * @param pidFile the data directory's {@code broker.pid}
   * @param serverConfig the data directory's {@code server.properties}, which the orphan runs on
   * @param events where the kill, or the refusal to kill, is reported
   */
  public OrphanReaper(Path pidFile, Path serverConfig, Consumer<FcEvent> events) {
    this.pidFile = requireNonNull(pidFile, "pidFile");
    this.serverConfig = requireNonNull(serverConfig, "serverConfig");
    this.events = requireNonNull(events, "events");
  }

  /** Kills the broker the pid file names if it is provably an orphan, then deletes the file. */
  public void reap() throws IOException {
    Optional<BrokerPidFile> recorded = BrokerPidFile.read(pidFile);
    if (recorded.isPresent()) {
      BrokerPidFile file = recorded.get();
      Optional<ProcessHandle> orphan =
          file.liveProcess(args -> BrokerJvm.isServer(args, serverConfig, file.owner()));
      if (orphan.isPresent()) {
        events.accept(
            FcEvent.warn(
                "Killing the embedded Kafka broker (pid "
                    + file.pid()
                    + ", port "
                    + file.brokerPort()
                    + ") that a previous runtime left running on "
                    + pidFile.getParent()));
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
}
