package io.fctoolkit.runtime.kafka;

import static io.fctoolkit.runtime.kafka.KafkaBroker.unique;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.await;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.countValues;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.header;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.produce;
import static io.fctoolkit.runtime.kafka.KafkaTestClients.readUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The trigger engine against a real KRaft broker (one per class). */
class TriggerEngineTest {

  @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

  private static final Duration WAIT = Duration.ofSeconds(90);
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private TriggerEngine engine(FakeFunction function, DispatchListener listener) {
    closeables.add(function);
    TriggerEngine engine =
        new TriggerEngine(
            function,
            TriggerEngineConfig.builder(KAFKA.bootstrapServers())
                .listener(listener)
                .drainTimeout(Duration.ofSeconds(20))
                .build());
    closeables.add(engine);
    return engine;
  }

  private static TriggerSpec.Builder trigger(String topic) {
    return TriggerSpec.builder("t", "fn", "live", topic)
        .deadLetterTopic(topic + "-dlq")
        .onSuccessTopic(topic + "-out")
        .partitions(4)
        .retry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)));
  }

  @Test
  void orderingNone_deliversBeyondThePartitionCount_andPublishesEveryResultOnce() {
    // Given
    String topic = unique("none");
    FakeFunction function = FakeFunction.echo(30);
    TriggerEngine engine = engine(function, DispatchListener.NONE);
    engine.put(trigger(topic).ordering(Ordering.NONE).maxInFlight(50).build());
    produce(KAFKA.bootstrapServers(), topic, 0, 400, i -> "k" + (i % 7), i -> "v" + i);

    // When
    List<ConsumerRecord<String, String>> results =
        readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 400);

    // Then
    assertThat(countValues(results)).hasSize(400).allSatisfy((v, n) -> assertThat(n).isOne());
    assertThat(function.maxRunning.get()).isGreaterThan(4).isLessThanOrEqualTo(50);
    ConsumerRecord<String, String> any = results.get(0);
    int i = Integer.parseInt(any.value().substring(1));
    assertThat(any.key()).isEqualTo("k" + (i % 7));
    assertThat(header(any, KafkaTriggerDispatcher.H_TOPIC)).isEqualTo(topic);
    assertThat(header(any, KafkaTriggerDispatcher.H_PARTITION)).isNotNull();
    assertThat(header(any, KafkaTriggerDispatcher.H_OFFSET)).isNotNull();
    assertThat(header(any, KafkaTriggerDispatcher.H_VERSION)).isEqualTo("1");
    assertThat(
            await(
                Duration.ofSeconds(20),
                () ->
                    engine.status("fn", "t").partitions().stream().allMatch(p -> p.lag() == 0)
                        && engine.status("fn", "t").partitions().size() == 4))
        .as("lag drains to 0: %s", engine.status("fn", "t"))
        .isTrue();
    TriggerStatus status = engine.status("fn", "t");
    assertThat(status.state()).isEqualTo("RUNNING");
    assertThat(status.partitions().stream().mapToLong(p -> p.delivered()).sum()).isEqualTo(400);
    assertThat(function.requests.get(0).headers())
        .containsEntry("ce-type", "dev.knative.kafka.event")
        .containsKey("ce-id");
    assertThat(function.requests.get(0).routingKey()).startsWith("k");
  }

  @Test
  void orderingKey_keepsEachKeyInSequence_whileKeysRunInParallel() {
    // Given
    String topic = unique("key");
    FakeFunction function = FakeFunction.echo(15);
    TriggerEngine engine = engine(function, DispatchListener.NONE);
    engine.put(trigger(topic).ordering(Ordering.KEY).maxInFlight(40).build());
    produce(KAFKA.bootstrapServers(), topic, 0, 300, i -> "k" + (i % 12), i -> Integer.toString(i));

    // When
    readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 300);

    // Then
    assertThat(function.keyOverlaps.get()).isZero();
    assertThat(function.maxRunning.get()).isGreaterThan(4);
    assertThat(function.bodiesByKey).hasSize(12);
    function.bodiesByKey.forEach(
        (key, bodies) -> {
          List<Integer> seq = bodies.stream().map(Integer::parseInt).toList();
          assertThat(seq).as("key %s", key).isSorted().hasSize(25);
        });
  }

  @Test
  void orderingPartition_deliversOneRecordPerPartitionInOffsetOrder() {
    // Given
    String topic = unique("part");
    FakeFunction function = FakeFunction.echo(5);
    List<DispatchEvent> received = new CopyOnWriteArrayList<>();
    List<DispatchEvent> started = new CopyOnWriteArrayList<>();
    TriggerEngine engine =
        engine(
            function,
            new DispatchListener() {
              @Override
              public void received(DispatchEvent event) {
                received.add(event);
              }

              @Override
              public void delivered(DispatchEvent event, io.fctoolkit.core.InvokeResponse r) {
                started.add(event);
              }
            });
    engine.put(trigger(topic).ordering(Ordering.PARTITION).maxInFlight(100).build());
    produce(KAFKA.bootstrapServers(), topic, 0, 200, i -> "k" + i, i -> Integer.toString(i));

    // When
    readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 200);

    // Then: at most one per partition at once, and each partition delivered in offset order
    assertThat(function.maxRunning.get()).isLessThanOrEqualTo(4);
    Map<Integer, List<Long>> byPartition = new HashMap<>();
    for (DispatchEvent e : started) {
      byPartition.computeIfAbsent(e.partition(), p -> new ArrayList<>()).add(e.offset());
    }
    byPartition.values().forEach(offsets -> assertThat(offsets).isSorted());
    assertThat(received).hasSize(200);
  }

  @Test
  void retries_thenDeadLetter_withReasonAttemptsSourceAndVersion() {
    // Given: "bad" always fails with 500, "flaky" fails twice with 503 then succeeds
    String topic = unique("retry");
    Map<String, Integer> seen = new java.util.concurrent.ConcurrentHashMap<>();
    FakeFunction function =
        new FakeFunction(
            7,
            r -> {
              String body = FakeFunction.text(r);
              int n = seen.merge(body, 1, Integer::sum);
              if (body.startsWith("bad")) {
                return new FakeFunction.Answer(500, "boom " + body, 1);
              }
              if (body.startsWith("flaky") && n <= 2) {
                return new FakeFunction.Answer(503, "busy", 1);
              }
              return new FakeFunction.Answer(200, "ok " + body, 1);
            });
    TriggerEngine engine = engine(function, DispatchListener.NONE);
    engine.put(trigger(topic).ordering(Ordering.KEY).build());
    try (var producer = KafkaTestClients.producer(KAFKA.bootstrapServers())) {
      var record = new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "kb", "bad-1");
      record
          .headers()
          .add("traceparent", "00-t-01".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      producer.send(record);
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "kf", "flaky-1"));
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "kg", "good-1"));
    }

    // When
    List<ConsumerRecord<String, String>> dead =
        readUntil(KAFKA.bootstrapServers(), topic + "-dlq", WAIT, r -> !r.isEmpty());
    List<ConsumerRecord<String, String>> results =
        readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 2);

    // Then
    assertThat(dead).hasSize(1);
    ConsumerRecord<String, String> d = dead.get(0);
    assertThat(d.key()).isEqualTo("kb");
    assertThat(d.value()).isEqualTo("bad-1");
    assertThat(header(d, "traceparent")).isEqualTo("00-t-01");
    assertThat(header(d, KafkaTriggerDispatcher.H_ERROR)).isEqualTo("HTTP 500: boom bad-1");
    assertThat(header(d, KafkaTriggerDispatcher.H_STATUS)).isEqualTo("500");
    assertThat(header(d, KafkaTriggerDispatcher.H_ATTEMPTS)).isEqualTo("3");
    assertThat(header(d, KafkaTriggerDispatcher.H_TOPIC)).isEqualTo(topic);
    assertThat(header(d, KafkaTriggerDispatcher.H_OFFSET)).matches("\\d+");
    assertThat(header(d, KafkaTriggerDispatcher.H_VERSION)).isEqualTo("7");
    assertThat(results.stream().map(ConsumerRecord::value))
        .containsExactlyInAnyOrder("ok flaky-1", "ok good-1");
    assertThat(seen)
        .containsEntry("bad-1", 3)
        .containsEntry("flaky-1", 3)
        .containsEntry("good-1", 1);
    assertThat(
            await(
                Duration.ofSeconds(10),
                () -> {
                  TriggerStatus s = engine.status("fn", "t");
                  return s.partitions().stream().mapToLong(p -> p.deadLettered()).sum() == 1
                      && s.partitions().stream().mapToLong(p -> p.retried()).sum() == 4;
                }))
        .as("status counts: %s", engine.status("fn", "t"))
        .isTrue();
    assertThat(engine.status("fn", "t").lastError()).contains("HTTP 500");
    String metrics = engine.renderMetrics();
    assertThat(metrics)
        .contains("# TYPE fc_trigger_lag gauge")
        .contains(
            "fc_trigger_version_failed_total{function=\"fn\",trigger=\"t\",topic=\""
                + topic
                + "\",version=\"7\"} 1")
        .contains("fc_trigger_up{function=\"fn\",trigger=\"t\",topic=\"" + topic + "\"} 1");
  }

  @Test
  void clientError_goesToTheDeadLetterTopicAtOnce() {
    // Given
    String topic = unique("4xx");
    FakeFunction function = new FakeFunction(2, r -> new FakeFunction.Answer(400, "bad json", 1));
    TriggerEngine engine = engine(function, DispatchListener.NONE);
    engine.put(
        trigger(topic)
            .retry(new RetryPolicy(5, Duration.ofMillis(10), Duration.ofMillis(10)))
            .build());
    produce(KAFKA.bootstrapServers(), topic, 0, 3, i -> "k" + i, i -> "{oops" + i);

    // When
    List<ConsumerRecord<String, String>> dead =
        readUntil(KAFKA.bootstrapServers(), topic + "-dlq", WAIT, r -> r.size() >= 3);

    // Then
    assertThat(dead).hasSize(3);
    assertThat(dead)
        .allSatisfy(
            d -> {
              assertThat(header(d, KafkaTriggerDispatcher.H_ATTEMPTS)).isEqualTo("1");
              assertThat(header(d, KafkaTriggerDispatcher.H_ERROR)).isEqualTo("HTTP 400: bad json");
            });
    assertThat(function.invocations()).isEqualTo(3);
  }

  @Test
  void inFlightCap_pausesReading_andResumesAfter() throws Exception {
    // Given: a slow function and a cap of 5
    String topic = unique("pause");
    FakeFunction function = FakeFunction.echo(300);
    java.util.concurrent.atomic.AtomicInteger held =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger maxHeld =
        new java.util.concurrent.atomic.AtomicInteger();
    TriggerEngine engine =
        engine(
            function,
            new DispatchListener() {
              @Override
              public void received(DispatchEvent event) {
                maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
              }

              @Override
              public void delivered(DispatchEvent event, io.fctoolkit.core.InvokeResponse r) {
                held.decrementAndGet();
              }
            });
    engine.put(trigger(topic).ordering(Ordering.NONE).maxInFlight(5).build());
    produce(KAFKA.bootstrapServers(), topic, 0, 120, i -> "k" + i, i -> "v" + i);

    // When: the first records are in flight
    assertThat(await(WAIT, () -> function.invocations() >= 5)).isTrue();
    Thread.sleep(500);

    // Then: records read but not finished stay bounded (5 in flight, at most 5 waiting plus one
    // poll of 5 per unpaused partition) far short of the backlog; never more than 5 ran at once
    assertThat(maxHeld.get()).isLessThanOrEqualTo(5 + 5 + 4 * 5);
    assertThat(function.maxRunning.get()).isLessThanOrEqualTo(5);
    TriggerStatus status = engine.status("fn", "t");
    assertThat(status.partitions().stream().mapToInt(p -> p.inFlight()).sum()).isBetween(1, 5);
    // and everything arrives once the function catches up
    assertThat(readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 120))
        .hasSize(120);
    assertThat(function.maxRunning.get()).isLessThanOrEqualTo(5);
    assertThat(maxHeld.get()).isLessThanOrEqualTo(30);
  }

  @Test
  void emptySuccessBody_writesNoResult_butCountsAsDeliveredAndCommits() {
    // Given: a function answering 200 with an empty body for even records (Knative: "no reply")
    String topic = unique("empty");
    FakeFunction function =
        new FakeFunction(
            1,
            r -> {
              String body = FakeFunction.text(r);
              int i = Integer.parseInt(body.substring(1));
              return new FakeFunction.Answer(200, i % 2 == 0 ? "" : body, 1);
            });
    TriggerEngine engine = engine(function, DispatchListener.NONE);
    engine.put(trigger(topic).maxInFlight(10).build());

    // When
    produce(KAFKA.bootstrapServers(), topic, 0, 40, i -> "k" + i, i -> "v" + i);

    // Then: every record is delivered and committed, only the non-empty bodies are results
    assertThat(
            await(
                WAIT,
                () -> {
                  TriggerStatus s = engine.status("fn", "t");
                  return s.partitions().stream().mapToLong(p -> p.committedOffset()).sum() == 40
                      && s.partitions().stream().mapToLong(p -> p.delivered()).sum() == 40;
                }))
        .as("40 records delivered and committed: %s", engine.status("fn", "t"))
        .isTrue();
    List<ConsumerRecord<String, String>> results =
        KafkaTestClients.readAll(KAFKA.bootstrapServers(), topic + "-out", Duration.ofSeconds(3));
    assertThat(results)
        .extracting(ConsumerRecord::value)
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, 40)
                .filter(i -> i % 2 == 1)
                .mapToObj(i -> "v" + i)
                .toList());
    assertThat(results).noneMatch(r -> r.value().isEmpty());
    assertThat(
            KafkaTestClients.readAll(
                KAFKA.bootstrapServers(), topic + "-dlq", Duration.ofSeconds(1)))
        .isEmpty();
    assertThat(function.invocations()).isEqualTo(40);
  }

  @Test
  void update_keepsTheGroupsOffsets() {
    // Given
    String topic = unique("update");
    FakeFunction function = FakeFunction.echo(1);
    TriggerEngine engine = engine(function, DispatchListener.NONE);
    engine.put(trigger(topic).maxInFlight(10).build());
    produce(KAFKA.bootstrapServers(), topic, 0, 50, i -> "k" + i, i -> "v" + i);
    readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 50);

    // When: the trigger changes (not its group) and more records arrive
    engine.put(trigger(topic).maxInFlight(20).ordering(Ordering.NONE).build());
    assertThat(engine.get("fn", "t")).get().extracting(TriggerSpec::maxInFlight).isEqualTo(20);
    produce(KAFKA.bootstrapServers(), topic, 50, 100, i -> "k" + i, i -> "v" + i);
    List<ConsumerRecord<String, String>> results =
        readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 100);

    // Then: nothing was read twice
    assertThat(countValues(results)).hasSize(100).allSatisfy((v, n) -> assertThat(n).isOne());
    assertThat(function.attemptsByBody)
        .hasSize(100)
        .allSatisfy((v, n) -> assertThat(n.get()).isOne());
  }

  @Test
  void twoEnginesInOneGroup_rebalanceWithoutLoss() {
    // Given: engine A alone, then B joins, then A leaves, while records flow
    String topic = unique("rebalance");
    FakeFunction fa = FakeFunction.echo(5);
    FakeFunction fb = FakeFunction.echo(5);
    TriggerEngine a = engine(fa, DispatchListener.NONE);
    TriggerEngine b = engine(fb, DispatchListener.NONE);
    TriggerSpec spec = trigger(topic).ordering(Ordering.KEY).maxInFlight(20).build();
    a.put(spec);
    produce(KAFKA.bootstrapServers(), topic, 0, 1000, i -> "k" + (i % 50), i -> "v" + i);

    // When
    assertThat(await(WAIT, () -> fa.invocations() > 100)).isTrue();
    b.put(spec);
    assertThat(await(WAIT, () -> !b.status("fn", "t").partitions().isEmpty()))
        .as("B takes over partitions")
        .isTrue();
    produce(KAFKA.bootstrapServers(), topic, 1000, 2000, i -> "k" + (i % 50), i -> "v" + i);
    assertThat(await(WAIT, () -> fb.invocations() > 50)).as("B delivers").isTrue();
    long t0 = System.nanoTime();
    a.close();
    System.err.printf("rebalance: A closed in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    List<ConsumerRecord<String, String>> results =
        readUntil(
            KAFKA.bootstrapServers(),
            topic + "-out",
            WAIT,
            r -> r.stream().map(ConsumerRecord::value).distinct().count() >= 2000);

    // Then: every record has a result; duplicates, if any, stay rare
    Map<String, Long> counts = countValues(results);
    assertThat(counts).hasSize(2000);
    long duplicates = results.size() - counts.size();
    System.err.printf(
        "rebalance: %d results, %d duplicates, %d + %d invocations%n",
        results.size(), duplicates, fa.invocations(), fb.invocations());
    assertThat(duplicates).isLessThanOrEqualTo(20);
  }

  @Test
  void close_midFlight_finishesAndCommitsInFlightRecords() {
    // Given
    String topic = unique("shutdown");
    FakeFunction first = FakeFunction.echo(200);
    TriggerEngine engine = engine(first, DispatchListener.NONE);
    engine.put(trigger(topic).ordering(Ordering.NONE).maxInFlight(20).build());
    produce(KAFKA.bootstrapServers(), topic, 0, 200, i -> "k" + i, i -> "v" + i);
    assertThat(await(WAIT, () -> first.running.get() >= 10)).isTrue();

    // When
    engine.close();

    // Then: nothing is left running, and a new engine finishes without repeating anything
    assertThat(first.running.get()).isZero();
    FakeFunction second = FakeFunction.echo(1);
    engine(second, DispatchListener.NONE).put(trigger(topic).ordering(Ordering.NONE).build());
    List<ConsumerRecord<String, String>> results =
        readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 200);
    assertThat(countValues(results)).hasSize(200).allSatisfy((v, n) -> assertThat(n).isOne());
    Set<String> both = new TreeSet<>(first.attemptsByBody.keySet());
    both.retainAll(second.attemptsByBody.keySet());
    assertThat(both).as("records delivered by both engines").isEmpty();
  }

  @Test
  void poisonRecords_goToTheDeadLetterTopic_withoutStallingGoodOnes() {
    // Given: bad JSON (400), a missing image (404, as fc-host/the runtime answers when the
    // version's image is gone), a key whose function always throws (500), and good records
    String topic = unique("poison");
    List<String> order = new CopyOnWriteArrayList<>();
    FakeFunction function =
        new FakeFunction(
            3,
            r -> {
              String body = FakeFunction.text(r);
              if (body.startsWith("{bad")) {
                return new FakeFunction.Answer(400, "invalid JSON at 1:2", 2);
              }
              if (body.startsWith("{img")) {
                return new FakeFunction.Answer(404, "image not found: fn@sha256:0bad", 2);
              }
              if ("throws".equals(r.routingKey())) {
                return new FakeFunction.Answer(500, "IllegalStateException: boom", 2);
              }
              return new FakeFunction.Answer(200, body, 10);
            });
    TriggerEngine engine =
        engine(
            function,
            new DispatchListener() {
              @Override
              public void delivered(DispatchEvent e, io.fctoolkit.core.InvokeResponse r) {
                order.add("good");
              }

              @Override
              public void failed(DispatchEvent e, String error, boolean willRetry) {
                if (!willRetry) {
                  order.add("dead");
                }
              }
            });
    engine.put(
        trigger(topic)
            .ordering(Ordering.KEY)
            .maxInFlight(30)
            .retry(new RetryPolicy(4, Duration.ofMillis(300), Duration.ofSeconds(2)))
            .build());
    produce(
        KAFKA.bootstrapServers(),
        topic,
        0,
        330,
        i -> i % 33 == 0 ? "throws" : "k" + (i % 10),
        i -> i % 33 == 1 ? "{bad" + i : i % 33 == 2 ? "{img" + i : "v" + i);

    // When
    List<ConsumerRecord<String, String>> dead =
        readUntil(KAFKA.bootstrapServers(), topic + "-dlq", WAIT, r -> r.size() >= 30);
    List<ConsumerRecord<String, String>> results =
        readUntil(KAFKA.bootstrapServers(), topic + "-out", WAIT, r -> r.size() >= 300);

    // Then
    assertThat(dead).hasSize(30);
    Map<String, List<ConsumerRecord<String, String>>> byReason =
        dead.stream()
            .collect(Collectors.groupingBy(d -> header(d, KafkaTriggerDispatcher.H_ERROR)));
    assertThat(byReason.get("HTTP 400: invalid JSON at 1:2")).hasSize(10);
    assertThat(byReason.get("HTTP 404: image not found: fn@sha256:0bad"))
        .hasSize(10)
        .allSatisfy(
            d -> {
              assertThat(header(d, KafkaTriggerDispatcher.H_ATTEMPTS)).isEqualTo("1");
              assertThat(header(d, KafkaTriggerDispatcher.H_STATUS)).isEqualTo("404");
            });
    assertThat(byReason.get("HTTP 500: IllegalStateException: boom"))
        .hasSize(10)
        .allSatisfy(d -> assertThat(header(d, KafkaTriggerDispatcher.H_ATTEMPTS)).isEqualTo("4"));
    assertThat(results).hasSize(300);
    // The good records were not held up by the retrying ones: all of them finished before the
    // last "throws" record ran out of attempts.
    int lastGood = order.lastIndexOf("good");
    int lastDead = order.lastIndexOf("dead");
    assertThat(lastGood).isLessThan(lastDead);
  }
}
