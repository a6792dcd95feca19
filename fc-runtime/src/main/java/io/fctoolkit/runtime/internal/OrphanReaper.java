package io.fctoolkit.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the instance processes this runtime (or a previous one) launched, by the pid files in one
 * folder: each names a pid and its start time, so a pid reused by an unrelated process is never
 * taken for an instance.
 */
public final class OrphanReaper {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

  private final Path pidDir;

  public OrphanReaper(Path pidDir) {
    this.pidDir = pidDir;
  }

  /** Kills instances left running by a previous runtime process that died, and their pid files. */
  public void reapOrphans() throws IOException {
    for (ProcessHandle h : instanceProcesses()) {
      LOG.warn("killing instance pid {} left by a runtime that died", h.pid());
      h.descendants().forEach(ProcessHandle::destroyForcibly);
      h.destroyForcibly();
    }
    try (Stream<Path> files = Files.list(pidDir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  /**
   * Waits up to {@code seconds} in all for the instances still running (asked to stop already) to
   * exit, then kills what is left: only processes this runtime launched, never other children.
   */
  public void awaitOrKill(long seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (ProcessHandle child : instanceProcesses()) {
      try {
        child.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill(child);
      } catch (Exception e) {
        kill(child);
      }
    }
  }

  private static void kill(ProcessHandle h) {
    h.descendants().forEach(ProcessHandle::destroyForcibly);
    h.destroyForcibly();
  }

  /** Live instance processes named by pid files whose recorded start time matches. */
  List<ProcessHandle> instanceProcesses() {
    List<ProcessHandle> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(pidDir)) {
      for (Path f : files.toList()) {
        try {
          long pid = Long.parseLong(f.getFileName().toString());
          List<String> lines = Files.readAllLines(f);
          long started = lines.size() > 1 ? Long.parseLong(lines.get(1).trim()) : -1;
          ProcessHandle.of(pid)
              .filter(
                  h -> h.info().startInstant().map(i -> i.toEpochMilli() == started).orElse(false))
              .ifPresent(out::add);
        } catch (NumberFormatException | IOException e) {
          // not a pid file, or it went away meanwhile
        }
      }
    } catch (IOException e) {
      // no pid folder: nothing launched
    }
    return out;
  }
}
