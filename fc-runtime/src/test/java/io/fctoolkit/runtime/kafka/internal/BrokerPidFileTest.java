package io.fctoolkit.runtime.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pid file proves a process ours only with the same pid, start time and full command line; a
 * command line far longer than the 4,096 characters {@code ProcessHandle} reports is read whole.
 */
class BrokerPidFileTest {

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killProcesses() {
    processes.forEach(Process::destroyForcibly);
  }

  /** A sleeping process whose command line is 8,000 characters of padding, then {@code tail}. */
  private Process longCommandLine(String tail) throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", "-c", "sleep 60", "sh"));
    command.add("x".repeat(8000));
    command.add(tail);
    Process p = new ProcessBuilder(command).start();
    processes.add(p);
    return p;
  }

  @Test
  void liveProcess_commandLineLongerThan4096_isReadWhole() throws Exception {
    // Given
    Process p = longCommandLine("-Dfc.kafka.owner=m1");
    BrokerPidFile file = BrokerPidFile.of(p.toHandle(), 9092, 9093, "m1");

    // When / Then: the marker sits after 8,000 characters and is still seen
    assertThat(file.liveProcess(args -> args.contains("-Dfc.kafka.owner=m1")))
        .map(ProcessHandle::pid)
        .contains(p.pid());
    assertThat(ProcessCommandLine.of(p.toHandle()).orElseThrow().get(4)).hasSize(8000);
  }

  @Test
  void liveProcess_otherStartTime_isNotOurs() throws Exception {
    // Given: the recorded pid now belongs to a process started at another time (pid reuse)
    Process p = longCommandLine("-Dfc.kafka.owner=m1");
    Instant started = p.toHandle().info().startInstant().orElseThrow();
    BrokerPidFile file =
        new BrokerPidFile(p.pid(), started.minus(Duration.ofSeconds(1)), 9092, 9093, "m1");

    // Then
    assertThat(file.liveProcess(args -> true)).isEmpty();
    assertThat(p.isAlive()).isTrue();
  }

  @Test
  void liveProcess_commandLineNotOurs_orProcessGone_isEmpty() throws Exception {
    // Given
    Process p = longCommandLine("-Dfc.kafka.owner=someone-else");
    BrokerPidFile file = BrokerPidFile.of(p.toHandle(), 9092, 9093, "m1");

    // Then
    assertThat(file.liveProcess(args -> args.contains("-Dfc.kafka.owner=m1"))).isEmpty();
    p.destroyForcibly().waitFor();
    assertThat(file.liveProcess(args -> true)).isEmpty();
  }

  @Test
  void writeThenRead_roundTrips_andAnOldPidOnlyFileProvesNothing() throws Exception {
    // Given
    Path path = dir.resolve("broker.pid");
    BrokerPidFile file =
        new BrokerPidFile(42, Instant.parse("2026-12-06T09:00:00.120Z"), 9092, 9093, "m1");

    // When
    file.write(path);

    // Then
    assertThat(BrokerPidFile.read(path)).contains(file);
    Files.writeString(path, "42", StandardCharsets.UTF_8);
    assertThat(BrokerPidFile.read(path)).isEmpty();
    assertThat(BrokerPidFile.read(dir.resolve("none"))).isEmpty();
  }

  @Test
  void parse_splitsOnNul_withOrWithoutATrailingOne() {
    assertThat(ProcessCommandLine.parse("java\0-cp\0a b\0".getBytes(StandardCharsets.UTF_8)))
        .contains(List.of("java", "-cp", "a b"));
    assertThat(ProcessCommandLine.parse("java\0x".getBytes(StandardCharsets.UTF_8)))
        .contains(List.of("java", "x"));
    assertThat(ProcessCommandLine.parse(new byte[0])).isEmpty();
  }
}
