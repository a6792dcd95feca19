package io.fctoolkit.runtime.kafka.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * The pid file of an embedded broker: its process id and start time, its ports, and the marker of
 * the runtime that started it. The next start reads it to find a broker left running by a runtime
 * that died, and a process counts as that broker only when the pid, the start time and the command
 * line all agree, since a pid alone may have been reused by any process since.
 *
 * @param pid the broker's process id
 * @param startInstant when that process started, or null when the system did not say (such a file
 *     never proves a process ours)
 * @param brokerPort the client port
 * @param controllerPort the KRaft controller port
 * @param owner the marker of the runtime that started the broker, also on the broker's command line
 */
public record BrokerPidFile(
    long pid, Instant startInstant, int brokerPort, int controllerPort, String owner) {

  public BrokerPidFile {
    requireNonNull(owner, "owner");
  }

  /** The pid file of a process just started. */
  public static BrokerPidFile of(
      ProcessHandle process, int brokerPort, int controllerPort, String owner) {
    return new BrokerPidFile(
        process.pid(),
        process.info().startInstant().orElse(null),
        brokerPort,
        controllerPort,
        owner);
  }

  /**
   * Reads a pid file; empty when there is none or when it cannot be understood (a file from an
   * older version held only the pid, and a process it names cannot be proved ours).
   */
  public static Optional<BrokerPidFile> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    try {
      String start = p.getProperty("startInstant", "");
      String owner = p.getProperty("owner");
      if (owner == null) {
        return Optional.empty();
      }
      return Optional.of(
          new BrokerPidFile(
              Long.parseLong(p.getProperty("pid", "")),
              start.isEmpty() ? null : Instant.parse(start),
              Integer.parseInt(p.getProperty("brokerPort", "")),
              Integer.parseInt(p.getProperty("controllerPort", "")),
              owner));
    } catch (NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Writes the file whole or not at all: a crash mid-write leaves the previous one. */
  public void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("startInstant", startInstant == null ? "" : startInstant.toString());
    p.setProperty("brokerPort", Integer.toString(brokerPort));
    p.setProperty("controllerPort", Integer.toString(controllerPort));
    p.setProperty("owner", owner);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, "the embedded Kafka broker; read by the next start to find it after a crash");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The process this file names if it is still that process and {@code isOurs} accepts its full
   * command line: alive, with the same start time (so not a later process given the same pid).
   */
  public Optional<ProcessHandle> liveProcess(Predicate<List<String>> isOurs) {
    if (startInstant == null) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().startInstant().filter(startInstant::equals).isPresent())
        .filter(p -> ProcessCommandLine.of(p).filter(isOurs).isPresent());
  }
}
