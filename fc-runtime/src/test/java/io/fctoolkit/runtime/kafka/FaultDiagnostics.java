package io.fctoolkit.runtime.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a stalled fault test prints: where the missing records are (committed offsets against end
 * offsets per partition, the group's members and assignment, the dead-letter topic, results written
 * but not committed), so that a stall can be told from a slow machine and from a loss.
 */
public final class FaultDiagnostics {
  private FaultDiagnostics() {}

  /** Describes the trigger's group and topics; never throws (a diagnostic must not mask a test). */
  public static String describe(
      String bootstrap,
      String topic,
      String group,
      String resultTopic,
      String deadLetterTopic,
      Collection<String> missingValues) {
    StringBuilder out = new StringBuilder();
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      int partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      for (int i = 0; i < partitions; i++) {
        latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      for (int i = 0; i < partitions; i++) {
        TopicPartition tp = new TopicPartition(topic, i);
        OffsetAndMetadata c = committed.get(tp);
        out.append(
            String.format(
                "  %s end=%d committed=%s metadata=%s%n",
                tp,
                ends.get(tp).offset(),
                c == null ? "none" : c.offset(),
                c == null ? "" : abbreviate(c.metadata())));
      }
      ConsumerGroupDescription d =
          admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
      out.append("  group ").append(group).append(" state=").append(d.groupState());
      d.members()
          .forEach(
              m ->
                  out.append(
                      String.format(
                          "%n    member %s instance=%s assigned=%s",
                          m.consumerId(),
                          m.groupInstanceId().orElse("-"),
                          m.assignment().topicPartitions())));
      out.append(System.lineSeparator());
    } catch (Exception e) {
      out.append("  admin failed: ").append(e).append(System.lineSeparator());
    }
    out.append("  dead letters: ")
        .append(count(bootstrap, deadLetterTopic, "read_committed", Set.of()))
        .append(System.lineSeparator());
    Set<String> missing = new HashSet<>(missingValues);
    out.append("  missing: ")
        .append(missing.size())
        .append(", e.g. ")
        .append(missing.stream().sorted().limit(10).toList())
        .append(System.lineSeparator());
    out.append("  missing values present in ")
        .append(resultTopic)
        .append(" read_uncommitted (written, transaction not committed): ")
        .append(count(bootstrap, resultTopic, "read_uncommitted", missing))
        .append(System.lineSeparator());
    return out.toString();
  }

  /**
   * The stacks of a child JVM's trigger and Kafka client threads (names starting with {@code fc-}
   * or {@code kafka-}), via {@code jcmd Thread.print}: where a stalled dispatcher, committer or
   * retry thread is waiting.
   */
  public static String threadDump(Process process) {
    if (!process.isAlive()) {
      return "  (no thread dump: process exited)";
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p =
          new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
              .redirectErrorStream(true)
              .start();
      String dump;
      try (var in = p.getInputStream()) {
        dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      StringBuilder out = new StringBuilder();
      for (String thread : dump.split("\\R\\R")) {
        if (thread.startsWith("\"fc-") || thread.startsWith("\"kafka-")) {
          out.append(thread.strip()).append(System.lineSeparator());
        }
      }
      return out.length() == 0 ? dump : out.toString();
    } catch (Exception e) {
      return "  (no thread dump: " + e + ")";
    }
  }

  /** The last lines of a child process's log. */
  public static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(
          System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (Exception e) {
      return "(no log " + log + ": " + e + ")";
    }
  }

  /** Records in a topic (all, or only those whose value is in {@code only}), read for 5 s. */
  private static long count(String bootstrap, String topic, String isolation, Set<String> only) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "diag-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    long n = 0;
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topic));
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (System.nanoTime() < until) {
        for (var r : c.poll(Duration.ofMillis(200))) {
          if (only.isEmpty() || only.contains(r.value())) {
            n++;
          }
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return n;
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 60 ? String.valueOf(s) : s.substring(0, 60) + "...";
  }

  /** Values in [0, n) named {@code prefix + i} that {@code seen} lacks. */
  public static List<String> missing(String prefix, int n, Map<String, ?> seen) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!seen.containsKey(prefix + i)) {
        out.add(prefix + i);
      }
    }
    return out;
  }
}
