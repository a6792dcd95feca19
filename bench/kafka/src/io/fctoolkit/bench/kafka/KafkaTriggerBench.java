package io.fctoolkit.bench.kafka;

import io.fctoolkit.core.InvokeRequest;
import io.fctoolkit.core.InvokeResponse;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.runtime.InProcessInvoker;
import io.fctoolkit.runtime.kafka.EmbeddedKafka;
import io.fctoolkit.runtime.kafka.TriggerEngine;
import io.fctoolkit.runtime.kafka.TriggerEngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Side-by-side benchmark of the old consumer design against the Kafka trigger, on one real
 * embedded broker in one run. See bench/kafka/README.md.
 */
public final class KafkaTriggerBench {

  private static final int PARTITIONS = 4;

  private final EmbeddedKafka kafka;
  private final String bootstrap;
  private final Map<String, String> results = new java.util.LinkedHashMap<>();

  private KafkaTriggerBench(EmbeddedKafka kafka) {
    this.kafka = kafka;
    this.bootstrap = kafka.bootstrapServers();
  }

  public static void main(String[] args) throws Exception {
    int backlog = intArg(args, "--backlog", 20_000);
    int overheadRecords = intArg(args, "--overhead-records", 300_000);
    int ioMillis = intArg(args, "--io-ms", 50);
    int maxInFlight = intArg(args, "--max-in-flight", 500);
    int keys = intArg(args, "--keys", 1000);
    Path dir = Files.createTempDirectory("fc-kafka-bench");
    EmbeddedKafka kafka = EmbeddedKafka.builder(dir).build().start();
    try {
      new KafkaTriggerBench(kafka).run(backlog, overheadRecords, ioMillis, maxInFlight, keys);
    } finally {
      kafka.kill();
    }
  }

  private void run(int backlog, int overheadRecords, int ioMillis, int maxInFlight, int keys)
      throws Exception {
    System.out.printf(
        "machine: %d cores, %s; JDK %s%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("java.version"));

    // 1. A sudden backlog through a function with ioMillis of I/O wait per record.
    String topic = "backlog-" + UUID.randomUUID().toString().substring(0, 6);
    kafka.createTopic(topic, PARTITIONS);
    produce(topic, backlog, keys);
    System.out.printf(
        "%nbacklog: %d records, %d partitions, %d keys, function = %d ms I/O wait%n",
        backlog, PARTITIONS, keys, ioMillis);
    // Warm-up (not reported): JIT-compile the engine and the broker's paths once, as in a
    // runtime that has been running for a while.
    String warm = "warmup-" + UUID.randomUUID().toString().substring(0, 6);
    kafka.createTopic(warm, PARTITIONS);
    produce(warm, 5_000, keys);
    trigger(warm, 5_000, ioMillis, Ordering.NONE, maxInFlight, "warm-up");
    results.clear();
    double base = baseline(topic, backlog, ioMillis);
    double none = trigger(topic, backlog, ioMillis, Ordering.NONE, maxInFlight, "none");
    double key = trigger(topic, backlog, ioMillis, Ordering.KEY, maxInFlight, "key");
    System.out.printf(
        "ratio none/baseline = %.1fx, key/baseline = %.1fx (target >= 10x)%n",
        none / base, key / base);

    // 2. Overhead with a no-op function against a plain consumer reading the same topic.
    String noop = "noop-" + UUID.randomUUID().toString().substring(0, 6);
    kafka.createTopic(noop, PARTITIONS);
    produce(noop, overheadRecords, keys);
    System.out.printf("%noverhead: %d records, no-op function%n", overheadRecords);
    double plain = plainConsumer(noop, overheadRecords);
    double trig = trigger(noop, overheadRecords, 0, Ordering.NONE, maxInFlight, "no-op none");
    System.out.printf("trigger/plain consumer = %.2f%n", trig / plain);
  }

  /** The old design: one consumer per partition, a fixed pool of 8 threads, commit per batch. */
  private double baseline(String topic, int records, int ioMillis) throws Exception {
    String group = "baseline-" + UUID.randomUUID();
    SleepFunction function = new SleepFunction(ioMillis);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> consumers = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < PARTITIONS; c++) {
      Thread t =
          new Thread(
              () -> {
                try (KafkaConsumer<byte[], byte[]> consumer = consumer(group, 500)) {
                  consumer.subscribe(List.of(topic));
                  while (!stop.get()) {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                    List<Future<?>> work = new ArrayList<>();
                    for (ConsumerRecord<byte[], byte[]> r : batch) {
                      InvokeRequest request = request(r);
                      work.add(pool.submit(() -> function.invoke(request).join()));
                    }
                    for (Future<?> f : work) {
                      f.get();
                    }
                    if (!batch.isEmpty()) {
                      consumer.commitSync();
                    }
                  }
                } catch (Exception e) {
                  if (!stop.get()) {
                    e.printStackTrace();
                  }
                }
              },
              "baseline-" + c);
      t.start();
      consumers.add(t);
    }
    double seconds = awaitCommitted(topic, group, records, start);
    stop.set(true);
    for (Thread t : consumers) {
      t.join(30_000);
    }
    pool.shutdownNow();
    function.close();
    return report("baseline (4 consumers, pool of 8)", records, seconds, function.calls.sum());
  }

  private double trigger(
      String topic, int records, int ioMillis, Ordering ordering, int maxInFlight, String label)
      throws Exception {
    SleepFunction function = new SleepFunction(ioMillis);
    TriggerEngine engine = new TriggerEngine(function, TriggerEngineConfig.defaults(bootstrap));
    String name = "b" + UUID.randomUUID().toString().substring(0, 6);
    TriggerSpec spec =
        TriggerSpec.builder(name, "bench", "live", topic)
            .ordering(ordering)
            .maxInFlight(maxInFlight)
            .deadLetterTopic(topic + "-dlq")
            .partitions(PARTITIONS)
            .build();
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    engine.put(spec);
    double seconds = awaitCommitted(topic, spec.consumerGroup(), records, start);
    long cpu = processCpuNanos() - cpuStart;
    engine.close();
    function.close();
    printCpu(cpu, records);
    return report(
        "trigger " + label + " (maxInFlight " + maxInFlight + ")",
        records,
        seconds,
        function.calls.sum());
  }

  /** A plain KafkaConsumer reading the topic: the ceiling for any consumer in this JVM. */
  private double plainConsumer(String topic, int records) {
    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    long read = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer("plain-" + UUID.randomUUID(), 500)) {
      consumer.subscribe(List.of(topic));
      while (read < records && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(10)) {
        read += consumer.poll(Duration.ofMillis(100)).count();
      }
      consumer.commitSync();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    printCpu(processCpuNanos() - cpuStart, records);
    return report("plain KafkaConsumer", records, seconds, read);
  }

  // CPU of this JVM (the broker runs in another): unlike the drain time, it hardly moves when
  // other work shares the machine, so runs on a busy host can still be compared.
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void printCpu(long cpuNanos, int records) {
    System.out.printf(
        Locale.ROOT,
        "  (this JVM's CPU while draining: %.2f s, %.2f us per record)%n",
        cpuNanos / 1e9,
        cpuNanos / 1e3 / records);
  }

  private double report(String label, int records, double seconds, long calls) {
    double rate = records / seconds;
    System.out.printf(
        Locale.ROOT,
        "  %-40s drained in %7.2f s  %9.1f records/s  (%d calls)%n",
        label,
        seconds,
        rate,
        calls);
    results.put(label, String.format(Locale.ROOT, "%.2f s, %.1f/s", seconds, rate));
    return rate;
  }

  /** Seconds from start until the group has committed every record of the topic. */
  private double awaitCommitted(String topic, String group, int records, long start)
      throws Exception {
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get();
      long deadline = start + TimeUnit.MINUTES.toNanos(30);
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        boolean done = true;
        for (var e : ends.entrySet()) {
          OffsetAndMetadata c = committed.get(e.getKey());
          if (c == null || c.offset() < e.getValue().offset()) {
            done = false;
            break;
          }
        }
        if (done) {
          return (System.nanoTime() - start) / 1e9;
        }
        Thread.sleep(20);
      }
      throw new IllegalStateException("group " + group + " did not drain " + records + " records");
    }
  }

  /** Writes the records and fails unless every one was acknowledged. */
  private void produce(String topic, int records, int keys) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    // Test data only: without idempotence a timed-out batch is simply sent again (a rare
    // duplicate changes nothing here: every design drains to the same end offsets), whereas an
    // overloaded shared machine can leave an idempotent producer stuck on sequence errors.
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "120000");
    LongAdder failed = new LongAdder();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < records; i++) {
        byte[] key = ("student-" + (i % keys)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] value =
            ("{\"submission\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        producer.send(
            new ProducerRecord<>(topic, key, value),
            (metadata, error) -> {
              if (error != null) {
                failed.increment();
              }
            });
        if (i % 10_000 == 9_999) {
          producer.flush();
        }
      }
      producer.flush();
    }
    if (failed.sum() > 0) {
      throw new IllegalStateException(failed.sum() + " records could not be written to " + topic);
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer(String group, int maxPoll) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPoll));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private static InvokeRequest request(ConsumerRecord<byte[], byte[]> r) {
    return new InvokeRequest(
        "bench",
        "live",
        r.value(),
        Map.of(),
        r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  /**
   * The function: answers 200 after {@code ioMillis} of I/O wait, without holding a thread while
   * it waits (as a remote call through an asynchronous client would). Both designs call it the
   * same way; the baseline blocks one of its 8 pool threads per call, as the old service did.
   */
  static final class SleepFunction implements InProcessInvoker, AutoCloseable {
    private final long ioMillis;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
    final LongAdder calls = new LongAdder();

    SleepFunction(long ioMillis) {
      this.ioMillis = ioMillis;
    }

    @Override
    public CompletableFuture<InvokeResponse> invoke(InvokeRequest request) {
      calls.increment();
      InvokeResponse ok =
          new InvokeResponse(200, Map.of(), new byte[0], 1, Duration.ofMillis(ioMillis));
      if (ioMillis <= 0) {
        return CompletableFuture.completedFuture(ok);
      }
      CompletableFuture<InvokeResponse> f = new CompletableFuture<>();
      timer.schedule(() -> f.complete(ok), ioMillis, TimeUnit.MILLISECONDS);
      return f;
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
