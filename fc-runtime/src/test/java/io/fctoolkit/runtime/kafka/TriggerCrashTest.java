package io.fctoolkit.runtime.kafka;

import static io.fctoolkit.runtime.kafka.KafkaBroker.unique;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.produce;
import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.TriggerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runtime (a trigger engine in a child JVM) is {@code kill -9}ed while 10,000 records flow
 * through a function, then restarted: every record must have exactly one committed result (0 lost)
 * and duplicates stay within 0.1%. {@code -Dfc.crash.kills=N} kills N times at random points
 * (default 2); {@code -Dfc.crash.records=N} changes the record count.
 */
class TriggerCrashTest {

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  private static final int RECORDS = Integer.getInteger("fc.crash.records", 10_000);
  private static final int KILLS = Integer.getInteger("fc.crash.kills", 2);
  private final List<Process> workers = new ArrayList<>();

  @AfterEach
  void killWorkers() {
    for (Process p : workers) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void kill9WhileRecordsAreInFlight_thenRestart_losesNothing() throws Exception {
    // Given
    String topic = unique("crash");
    KAFKA.kafka().createTopic(topic, 4);
    produce(KAFKA.bootstrapServers(), topic, 0, RECORDS, i -> "k" + (i % 100), i -> "v" + i);
    Random random = new Random();
    Map<String, Integer> results = new HashMap<>();
    int total = 0;
    try (KafkaConsumer<String, String> reader =
        KafkaTestClients.consumer(KAFKA.bootstrapServers())) {
      reader.subscribe(List.of(topic + "-out"));

      // When: kill -9 the worker at random points while records are in flight
      for (int kill = 0; kill < KILLS; kill++) {
        Process worker = startWorker(topic, kill);
        int target = total + 500 + random.nextInt(Math.max(1, RECORDS / (KILLS + 2)));
        total +=
            readUntil(
                reader,
                results,
                r -> sum(r) >= target || distinct(r) >= RECORDS,
                topic,
                worker,
                log(topic, kill),
                "worker " + kill + " up to " + target + " results");
        assertThat(worker.isAlive()).as("worker %d alive before the kill", kill).isTrue();
        worker.destroyForcibly(); // SIGKILL: no shutdown hook, no drain, no commit
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        System.err.printf("crash: killed worker %d after %d results%n", kill, total);
      }
      Process last = startWorker(topic, KILLS);
      readUntil(
          reader,
          results,
          r -> distinct(r) >= RECORDS,
          topic,
          last,
          log(topic, KILLS),
          "last worker to all " + RECORDS + " results");
      // Give late duplicates, if any, time to show up.
      readFor(reader, results, Duration.ofSeconds(3));
      last.destroy();
    }

    // Then
    long duplicates = sum(results) - results.size();
    System.err.printf(
        "crash: %d records, %d kills, %d distinct results, %d duplicates (%.3f%%)%n",
        RECORDS, KILLS, results.size(), duplicates, 100.0 * duplicates / RECORDS);
    assertThat(results).hasSize(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      assertThat(results).containsKey("v" + i);
    }
    assertThat(duplicates).isLessThanOrEqualTo(RECORDS / 1000);
  }

  private static int sum(Map<String, Integer> results) {
    return results.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static int distinct(Map<String, Integer> results) {
    return results.size();
  }

  /**
   * Reads results until {@code done}; fails (with diagnostics) only when no new result arrived for
   * the stall period (see {@link ProgressWait}), so a slow machine is not mistaken for a loss.
   */
  private int readUntil(
      KafkaConsumer<String, String> reader,
      Map<String, Integer> results,
      Predicate<Map<String, Integer>> done,
      String topic,
      Process worker,
      Path log,
      String what) {
    int[] read = {0};
    boolean reached =
        ProgressWait.until(
            "crash: " + what,
            () -> done.test(results),
            () -> read[0],
            () -> {
              for (var r : reader.poll(Duration.ofMillis(100))) {
                results.merge(r.value(), 1, Integer::sum);
                read[0]++;
              }
            },
            () ->
                FaultDiagnostics.describe(
                        KAFKA.bootstrapServers(),
                        topic,
                        TriggerSpec.defaultGroup("fn", "worker"),
                        topic + "-out",
                        topic + "-dlq",
                        FaultDiagnostics.missing("v", RECORDS, results))
                    + "  worker alive: "
                    + worker.isAlive()
                    + System.lineSeparator()
                    + FaultDiagnostics.tail(log, 40)
                    + System.lineSeparator()
                    + FaultDiagnostics.threadDump(worker));
    assertThat(reached)
        .as("%s: results kept coming (%d distinct of %d)", what, results.size(), RECORDS)
        .isTrue();
    return read[0];
  }

  private static void readFor(
      KafkaConsumer<String, String> reader, Map<String, Integer> results, Duration time) {
    long deadline = System.nanoTime() + time.toNanos();
    while (System.nanoTime() < deadline) {
      reader.poll(Duration.ofMillis(100)).forEach(r -> results.merge(r.value(), 1, Integer::sum));
    }
  }

  private static Path log(String topic, int n) {
    return Path.of("target", topic + "-worker-" + n + ".log").toAbsolutePath();
  }

  private Process startWorker(String topic, int n) throws IOException, InterruptedException {
    Path log = log(topic, n);
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            TriggerWorkerMain.class.getName(),
            KAFKA.bootstrapServers(),
            topic,
            "crash-worker", // the same id each time: a restart fences its killed predecessor
            "500",
            "20",
            "KEY");
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    Process p = builder.start();
    workers.add(p);
    // Generous: a loaded 2-core machine can take long to start a JVM; only a hang fails here.
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains("ready")) {
        return p;
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("worker exited: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("worker did not start: " + Files.readString(log));
  }
}
