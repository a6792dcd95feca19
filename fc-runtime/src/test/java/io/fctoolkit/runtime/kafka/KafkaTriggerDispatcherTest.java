package io.fctoolkit.runtime.kafka;

import static io.fctoolkit.runtime.kafka.KafkaTestClients.await;
import static io.fctoolkit.runtime.kafka.ScriptedFunction.answer;
import static io.fctoolkit.runtime.kafka.ScriptedFunction.ok;
import static io.fctoolkit.runtime.kafka.ScriptedFunction.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.TriggerStatus;
import io.fctoolkit.runtime.InProcessInvoker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher on Kafka's MockConsumer and MockProducer (see {@link MockTriggerClients}): the
 * ordering, flow control, commit, rebalance, retry and failure rules without a broker, in seconds.
 */
class KafkaTriggerDispatcherTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TOPIC = "in";
  private static final String OUT = "in-out";
  private static final String DLQ = "in-dlq";

  private final List<KafkaTriggerDispatcher> dispatchers = new ArrayList<>();

  @AfterEach
  void closeAll() {
    dispatchers.forEach(KafkaTriggerDispatcher::close);
  }

  private static TriggerSpec spec(UnaryOperator<TriggerSpec.Builder> settings) {
    return settings
        .apply(
            TriggerSpec.builder("t", "fn", "live", TOPIC)
                .partitions(2)
                .deadLetterTopic(DLQ)
                .onSuccessTopic(OUT)
                .retry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5))))
        .build();
  }

  private KafkaTriggerDispatcher start(
      TriggerSpec spec, InProcessInvoker function, MockTriggerClients clients) {
    KafkaTriggerDispatcher d =
        new KafkaTriggerDispatcher(
            spec,
            function,
            TriggerEngineConfig.builder("mock:9092")
                .drainTimeout(Duration.ofSeconds(5))
                .commitInterval(Duration.ofMillis(10))
                .build(),
            clients,
            "mock:9092");
    dispatchers.add(d);
    d.start();
    assertThat(await(WAIT, () -> "RUNNING".equals(d.status().state())))
        .as("running: %s", d.describe())
        .isTrue();
    clients.assign(clients.all());
    assertThat(await(WAIT, () -> d.status().partitions().size() == clients.partitions))
        .as("assigned: %s", d.describe())
        .isTrue();
    return d;
  }

  private static MockTriggerClients clients() {
    return new MockTriggerClients(TOPIC, 2, OUT, DLQ);
  }

  private static boolean committed(MockTriggerClients c, int partition, long offset) {
    return c.committedOffset(partition) == offset;
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  // ---- ordering ---------------------------------------------------------------------------

  @Test
  void orderingNone_runsRecordsOfOnePartitionConcurrently() {
    ScriptedFunction fn = ScriptedFunction.echo().delay(30);
    MockTriggerClients c = clients();
    start(spec(b -> b.ordering(Ordering.NONE).maxInFlight(8)), fn, c);

    for (int i = 0; i < 40; i++) {
      c.produce(0, "k" + (i % 2), "v" + i);
    }

    assertThat(await(WAIT, () -> committed(c, 0, 40))).as("committed %s", c.committed).isTrue();
    assertThat(fn.maxRunning.get()).isGreaterThan(2).isLessThanOrEqualTo(8);
    assertThat(c.written(OUT)).hasSize(40);
  }

  @Test
  void orderingKey_neverOverlapsOneKey_andKeepsEachKeysOrder() {
    // Key order holds within a partition, so every key here lives on partition 0.
    ScriptedFunction fn = ScriptedFunction.echo().delay(10).groupBy(r -> r.routingKey());
    MockTriggerClients c = clients();
    start(spec(b -> b.ordering(Ordering.KEY).maxInFlight(16)), fn, c);

    for (int i = 0; i < 60; i++) {
      c.produce(0, "k" + (i % 3), "k" + (i % 3) + "-" + i);
    }

    assertThat(await(WAIT, () -> committed(c, 0, 60))).isTrue();
    assertThat(fn.overlaps.get()).as("overlapping requests of one key").isZero();
    assertThat(fn.maxRunning.get()).as("keys run in parallel").isGreaterThan(1);
    for (String key : List.of("k0", "k1", "k2")) {
      List<Integer> seen =
          fn.bodies.stream()
              .filter(b -> b.startsWith(key + "-"))
              .map(b -> Integer.parseInt(b.substring(3)))
              .toList();
      assertThat(seen).as("order of %s", key).isSorted().hasSize(20);
    }
  }

  @Test
  void orderingPartition_runsOneRecordPerPartitionAtATime_inOffsetOrder() {
    ScriptedFunction fn =
        ScriptedFunction.echo().delay(5).groupBy(r -> r.headers().get("ce-subject").split("#")[0]);
    MockTriggerClients c = clients();
    start(spec(b -> b.ordering(Ordering.PARTITION).maxInFlight(16)), fn, c);

    for (int i = 0; i < 40; i++) {
      c.produce(i % 2, null, "p" + (i % 2) + "-" + i);
    }

    assertThat(await(WAIT, () -> committed(c, 0, 20) && committed(c, 1, 20))).isTrue();
    assertThat(fn.overlaps.get()).as("overlapping requests of one partition").isZero();
    assertThat(fn.maxRunning.get()).as("partitions run in parallel").isEqualTo(2);
    List<Integer> p0 =
        fn.bodies.stream()
            .filter(b -> b.startsWith("p0-"))
            .map(b -> Integer.parseInt(b.substring(3)))
            .toList();
    assertThat(p0).isSorted().hasSize(20);
  }

  // ---- flow control and commits -----------------------------------------------------------

  @Test
  void inFlightCap_pausesThePartition_andResumesWhenDeliveriesFinish() {
    ScriptedFunction fn = ScriptedFunction.echo().hold(b -> true);
    MockTriggerClients c = clients();
    KafkaTriggerDispatcher d = start(spec(b -> b.maxInFlight(4)), fn, c);
    TopicPartition p0 = new TopicPartition(TOPIC, 0);

    for (int i = 0; i < 20; i++) {
      c.produce(0, null, "v" + i);
    }

    assertThat(await(WAIT, () -> c.current().paused().contains(p0)))
        .as("paused: %s", d.describe())
        .isTrue();
    assertThat(fn.running.get()).isEqualTo(4);
    assertThat(d.inFlight()).isEqualTo(4);

    fn.releaseAll();

    assertThat(await(WAIT, () -> committed(c, 0, 20))).as("%s", d.describe()).isTrue();
    assertThat(await(WAIT, () -> !c.current().paused().contains(p0))).isTrue();
    assertThat(fn.maxRunning.get()).isEqualTo(4);
  }

  @Test
  void outOfOrderCompletions_commitOnlyTheContiguousPrefix() {
    ScriptedFunction fn = ScriptedFunction.echo().hold(b -> b.equals("v0") || b.equals("v5"));
    MockTriggerClients c = clients();
    KafkaTriggerDispatcher d = start(spec(b -> b.maxInFlight(16)), fn, c);

    for (int i = 0; i < 10; i++) {
      c.produce(0, null, "v" + i);
    }

    // Records 1-4 and 6-9 are done, 0 and 5 are not: nothing may be committed past 0.
    assertThat(await(WAIT, () -> d.status().partitions().get(0).delivered() == 8)).isTrue();
    assertThat(await(WAIT, () -> c.committedOffset(0) == 0)).isTrue();
    assertThat(c.committed.get(new TopicPartition(TOPIC, 0)).metadata())
        .as("offsets done ahead travel in the metadata")
        .startsWith("fc1:");

    fn.release("v0");
    assertThat(await(WAIT, () -> committed(c, 0, 5))).as("%s", c.committed).isTrue();

    fn.release("v5");
    assertThat(await(WAIT, () -> committed(c, 0, 10))).isTrue();
    assertThat(c.written(OUT)).hasSize(10);
  }

  @Test
  void rebalance_revokedPartitionsFinishAndCommitFirst_andReassignedOnesResume() {
    ScriptedFunction fn = ScriptedFunction.echo().hold(b -> b.startsWith("a"));
    MockTriggerClients c = clients();
    KafkaTriggerDispatcher d = start(spec(b -> b.maxInFlight(16)), fn, c);
    for (int i = 0; i < 5; i++) {
      c.produce(0, null, "a" + i);
      c.produce(1, null, "b" + i);
    }
    assertThat(await(WAIT, () -> fn.held.size() == 5)).isTrue();

    // When partition 0 is revoked while its 5 records are in flight, and they finish meanwhile
    new Thread(
            () -> {
              await(Duration.ofMillis(300), () -> false);
              fn.releaseAll();
            })
        .start();
    c.assign(List.of(new TopicPartition(TOPIC, 1)));

    // Then the revocation waited for them and committed them before letting partition 0 go
    assertThat(await(WAIT, () -> d.status().partitions().size() == 1)).isTrue();
    assertThat(c.committedOffset(0)).isEqualTo(5);
    assertThat(c.written(OUT)).hasSize(10);

    // And when partition 0 comes back, delivery goes on from there
    c.assign(c.all());
    assertThat(await(WAIT, () -> d.status().partitions().size() == 2)).isTrue();
    c.produce(0, null, "c5");
    assertThat(await(WAIT, () -> committed(c, 0, 6))).isTrue();
    assertThat(fn.bodies).containsOnlyOnce("a0", "a4", "c5");
  }

  // ---- failures of the function -----------------------------------------------------------

  @Test
  void transientFailures_areRetriedWithBackoff_untilTheySucceed() {
    ScriptedFunction fn =
        new ScriptedFunction(
            r -> text(r).equals("flaky") && fnAttempts(r) < 3 ? answer(503, "busy") : ok(text(r)));
    fnRef = fn;
    MockTriggerClients c = clients();
    KafkaTriggerDispatcher d = start(spec(b -> b), fn, c);

    c.produce(0, null, "flaky");
    c.produce(0, null, "fine");

    assertThat(await(WAIT, () -> committed(c, 0, 2))).isTrue();
    assertThat(fn.attemptsOf("flaky")).isEqualTo(3);
    assertThat(await(WAIT, () -> d.status().partitions().get(0).retried() == 2))
        .as("%s", d.status())
        .isTrue();
    assertThat(c.written(OUT)).extracting(r -> new String(r.value())).contains("flaky", "fine");
    assertThat(c.written(DLQ)).isEmpty();
  }

  private ScriptedFunction fnRef;

  private int fnAttempts(io.fctoolkit.core.InvokeRequest r) {
    return fnRef.attemptsOf(text(r));
  }

  @Test
  void permanent4xx_goesToTheDeadLetterTopicAtOnce() {
    ScriptedFunction fn =
        new ScriptedFunction(r -> text(r).equals("bad") ? answer(422, "no") : ok(text(r)));
    MockTriggerClients c = clients();
    start(spec(b -> b), fn, c);

    c.produce(1, null, "bad");
    c.produce(1, null, "good");

    assertThat(await(WAIT, () -> committed(c, 1, 2))).isTrue();
    assertThat(fn.attemptsOf("bad")).isOne();
    ProducerRecord<byte[], byte[]> dead = c.written(DLQ).get(0);
    assertThat(header(dead, KafkaTriggerDispatcher.H_ERROR)).isEqualTo("HTTP 422: no");
    assertThat(header(dead, KafkaTriggerDispatcher.H_STATUS)).isEqualTo("422");
    assertThat(header(dead, KafkaTriggerDispatcher.H_ATTEMPTS)).isEqualTo("1");
    assertThat(header(dead, KafkaTriggerDispatcher.H_OFFSET)).isEqualTo("0");
  }

  @Test
  void recordHeaderThatHttpCannotCarry_isAPermanentError_deadLetteredAtOnce() {
    ScriptedFunction fn = ScriptedFunction.echo();
    MockTriggerClients c = clients();
    KafkaTriggerDispatcher d = start(spec(b -> b), fn, c);
    RecordHeaders bad = new RecordHeaders();
    bad.add("x-trace", "abc\u0001def".getBytes(StandardCharsets.UTF_8));

    c.produce(0, null, "with-bad-header".getBytes(StandardCharsets.UTF_8), bad);
    c.produce(0, null, "after");

    assertThat(await(Duration.ofSeconds(5), () -> committed(c, 0, 2)))
        .as("the partition moves on at once: %s", d.describe())
        .isTrue();
    assertThat(fn.attemptsOf("with-bad-header")).as("never invoked").isZero();
    ProducerRecord<byte[], byte[]> dead = c.written(DLQ).get(0);
    assertThat(header(dead, KafkaTriggerDispatcher.H_ERROR))
        .contains("'x-trace'")
        .contains("control character 0x01");
    assertThat(header(dead, KafkaTriggerDispatcher.H_ATTEMPTS)).isEqualTo("1");
    assertThat(header(dead, "x-trace")).as("the record's own headers are kept").isNotNull();
  }

  @Test
  void invalidHeader_namesTheHeaderAndTheCharacter() {
    assertThat(DeliveryAttempts.invalidHeader(Map.of("ok", "a\tb é"))).isEmpty();
    assertThat(DeliveryAttempts.invalidHeader(Map.of("x", "a\nb")))
        .hasValueSatisfying(m -> assertThat(m).contains("'x'", "0x0a", "index 1"));
    assertThat(DeliveryAttempts.invalidHeader(Map.of("x", "\u007f"))).isPresent();
    assertThat(DeliveryAttempts.invalidHeader(Map.of("x", "\u20ac")))
        .hasValueSatisfying(m -> assertThat(m).contains("U+20AC"));
    assertThat(DeliveryAttempts.invalidHeader(Map.of("a b", "v")))
        .hasValueSatisfying(m -> assertThat(m).contains("not a valid HTTP header name"));
  }

  @Test
  void invalidHeader_acceptsExactlyTheTokenCharactersInANameOfEveryChar() {
    // RFC 9110 section 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
    // "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA, checked here against a regular expression
    java.util.regex.Pattern tchar = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]");
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String name = "x" + c;
      assertThat(DeliveryAttempts.invalidHeader(Map.of(name, "v")).isEmpty())
          .as("U+%04X", (int) c)
          .isEqualTo(tchar.matcher(String.valueOf(c)).matches());
    }
  }

  // ---- outcomes that do not fit ------------------------------------------------------------

  @Test
  void resultLargerThanTheProducerTakes_isDeadLetteredCut_andEveryOtherRecordIsDelivered() {
    String big = "x".repeat(1_100_000);
    ScriptedFunction fn = new ScriptedFunction(r -> text(r).equals("big") ? ok(big) : ok(text(r)));
    MockTriggerClients c = clients();
    KafkaTriggerDispatcher d = start(spec(b -> b.maxInFlight(8)), fn, c);

    for (int i = 0; i < 30; i++) {
      c.produce(i % 2, null, i == 7 ? "big" : "v" + i);
    }

    assertThat(await(WAIT, () -> committed(c, 0, 15) && committed(c, 1, 15)))
        .as("%s", d.describe())
        .isTrue();
    assertThat(fn.attemptsOf("big")).as("invoked once, not again and again").isOne();
    assertThat(c.written(OUT)).hasSize(29);
    assertThat(c.written(DLQ)).hasSize(1);
    ProducerRecord<byte[], byte[]> dead = c.written(DLQ).get(0);
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("big");
    assertThat(header(dead, KafkaTriggerDispatcher.H_CUT)).isEqualTo("result");
    assertThat(header(dead, KafkaTriggerDispatcher.H_ORIGINAL_SIZE)).isEqualTo("1100000");
    assertThat(header(dead, KafkaTriggerDispatcher.H_ORIGINAL_SHA256))
        .isEqualTo(OutcomeWriter.sha256(big.getBytes(StandardCharsets.UTF_8)));
    assertThat(header(dead, KafkaTriggerDispatcher.H_ERROR))
        .contains("result of", "larger than 1048576 bytes", "max.request.size");
    assertThat(header(dead, KafkaTriggerDispatcher.H_TOPIC)).isEqualTo(TOPIC);
    assertThat(header(dead, KafkaTriggerDispatcher.H_PARTITION)).isEqualTo("1");
    assertThat(header(dead, KafkaTriggerDispatcher.H_OFFSET)).isEqualTo("3");
    assertThat(await(WAIT, () -> String.valueOf(d.status().lastError()).contains("cut"))).isTrue();
    assertThat(d.status().lastError()).contains("partition 1 offset 3", "cut");
    assertThat(c.aborted.get()).as("no transaction was aborted").isZero();
  }

  @Test
  void deadLetterLargerThanTheProducerTakes_isWrittenCut_withSizeDigestAndPlace() {
    byte[] value = new byte[1_048_400];
    java.util.Arrays.fill(value, (byte) '<');
    ScriptedFunction fn =
        new ScriptedFunction(r -> r.body().length > 1000 ? answer(400, "not JSON") : ok(text(r)));
    MockTriggerClients c = clients();
    RecordHeaders headers = new RecordHeaders();
    headers.add("x-big", "h".repeat(200).getBytes(StandardCharsets.UTF_8));
    KafkaTriggerDispatcher d = start(spec(b -> b), fn, c);

    c.produce(0, "key", value, headers);
    c.produce(0, null, "after");

    assertThat(await(WAIT, () -> committed(c, 0, 2))).as("%s", d.describe()).isTrue();
    ProducerRecord<byte[], byte[]> dead = c.written(DLQ).get(0);
    assertThat(dead.value()).hasSize(OutcomeWriter.CUT_BYTES);
    assertThat(header(dead, KafkaTriggerDispatcher.H_CUT)).isEqualTo("dead-letter");
    assertThat(header(dead, KafkaTriggerDispatcher.H_ORIGINAL_SIZE)).isEqualTo("1048400");
    assertThat(header(dead, KafkaTriggerDispatcher.H_ORIGINAL_SHA256))
        .isEqualTo(OutcomeWriter.sha256(value));
    assertThat(header(dead, KafkaTriggerDispatcher.H_ERROR))
        .startsWith("HTTP 400: not JSON; dead letter of");
    assertThat(header(dead, "x-big")).as("the record's own headers are left out").isNull();
    assertThat(await(WAIT, () -> d.status().partitions().get(0).deadLettered() == 1)).isTrue();
  }

  @Test
  void resultLargerThanTheTopicTakes_isCutBeforeSending_whenTheClusterToldTheTopicsLimit() {
    ScriptedFunction fn =
        new ScriptedFunction(r -> text(r).equals("big") ? ok("b".repeat(60_000)) : ok(text(r)));
    MockTriggerClients c = clients();
    c.maxMessageBytes = Map.of(OUT, 50_000);
    KafkaTriggerDispatcher d = start(spec(b -> b), fn, c);

    c.produce(0, null, "big");
    c.produce(0, null, "small");

    assertThat(await(WAIT, () -> committed(c, 0, 2))).as("%s", d.describe()).isTrue();
    assertThat(c.written(OUT)).extracting(r -> new String(r.value())).containsExactly("small");
    assertThat(header(c.written(DLQ).get(0), KafkaTriggerDispatcher.H_ERROR))
        .contains("larger than 50000 bytes", "max.message.bytes of topic " + OUT);
    assertThat(c.aborted.get()).as("cut before sending, nothing aborted").isZero();
  }

  @Test
  void writeRefusedByTheBroker_fallsBackToTheCutForm_thenParks_andThePartitionMovesOn() {
    ScriptedFunction fn =
        new ScriptedFunction(
            r -> text(r).startsWith("huge") ? ok("y".repeat(200_000)) : ok(text(r)));
    MockTriggerClients c = clients();
    // The topics take less than the producer (their max.message.bytes is not known to the
    // trigger): the result is refused, then the cut form of "huge-2" too (its value is large).
    c.brokerRefuses = r -> r.value().length > 100_000 || new String(r.value()).startsWith("huge-2");
    KafkaTriggerDispatcher d = start(spec(b -> b), fn, c);

    c.produce(0, null, "huge-1");
    c.produce(0, null, "huge-2");
    c.produce(0, null, "after");

    assertThat(await(WAIT, () -> committed(c, 0, 3))).as("%s", d.describe()).isTrue();
    assertThat(c.written(DLQ))
        .extracting(r -> new String(r.value()))
        .as("huge-1 cut, huge-2 parked")
        .containsExactly("huge-1");
    assertThat(c.written(OUT)).extracting(r -> new String(r.value())).containsExactly("after");
    // Outcomes are counted on the consumer thread once their transaction is done.
    assertThat(await(WAIT, () -> d.parked().size() == 1)).isTrue();
    assertThat(d.parked().get(0).offset()).isEqualTo(1);
    assertThat(d.parked().get(0).reason()).contains("RecordTooLargeException");
    assertThat(await(WAIT, () -> d.status().partitions().get(0).parked() == 1)).isTrue();
    TriggerStatus status = d.status();
    assertThat(status.lastError()).contains("parked partition 0 offset 1");
    assertThat(status.state()).isEqualTo("RUNNING");
    assertThat(fn.attemptsOf("huge-2")).as("never invoked again").isOne();
  }

  @Test
  void resultTooLarge_withoutADeadLetterTopic_isParked() {
    ScriptedFunction fn =
        new ScriptedFunction(r -> text(r).equals("big") ? ok("z".repeat(2_000_000)) : ok("ok"));
    MockTriggerClients c = clients();
    KafkaTriggerDispatcher d = start(spec(b -> b.deadLetterTopic(null).allowDrop(true)), fn, c);

    c.produce(1, null, "big");
    c.produce(1, null, "next");

    assertThat(await(WAIT, () -> committed(c, 1, 2))).isTrue();
    assertThat(await(WAIT, () -> d.parked().size() == 1)).isTrue();
    assertThat(d.parked()).singleElement().satisfies(p -> assertThat(p.partition()).isOne());
    assertThat(await(WAIT, () -> d.status().partitions().get(1).parked() == 1)).isTrue();
    assertThat(new TriggerEngineMetricsProbe(d).parkedLine()).isNotNull();
  }

  // ---- Kafka's own errors ------------------------------------------------------------------

  @Test
  void fencedProducerAgainAndAgain_isFatal_theTriggerFailsWithReasonAndWhatToDo() {
    MockTriggerClients c = clients();
    c.initFailure = new ProducerFencedException("There is a newer producer with the same id");
    KafkaTriggerDispatcher d = startFailing(c);

    assertThat(await(WAIT, d::failed)).as("%s", d.describe()).isTrue();
    assertThat(d.status().state()).isEqualTo("FAILED");
    assertThat(d.status().lastError())
        .contains("ProducerFencedException")
        .contains("another runtime with the same instance id");
    int sessions = c.sessions.size();
    assertThat(sessions).as("fenced once may pass (a timed-out transaction)").isEqualTo(3);
    await(Duration.ofMillis(1500), () -> false);
    assertThat(c.sessions).as("no more attempts after FAILED").hasSize(sessions);
    StringBuilder metrics = new StringBuilder();
    TriggerEngine.renderMetrics(metrics, List.of(d));
    assertThat(metrics.toString().lines())
        .anyMatch(l -> l.startsWith("fc_trigger_failed{") && l.endsWith(" 1"));
  }

  @Test
  void authorizationAndUnsupportedVersion_areFatal() {
    MockTriggerClients c = clients();
    c.adminFailure =
        new org.apache.kafka.common.KafkaException(
            "cannot reach Kafka at mock:9092", new TopicAuthorizationException("denied"));
    KafkaTriggerDispatcher d = startFailing(c);
    assertThat(await(WAIT, d::failed)).isTrue();
    assertThat(d.status().lastError()).contains("TopicAuthorizationException", "grant");

    MockTriggerClients c2 = clients();
    c2.initFailure = new UnsupportedVersionException("no transactions");
    KafkaTriggerDispatcher d2 = startFailing(c2);
    assertThat(await(WAIT, d2::failed)).isTrue();
    assertThat(d2.status().lastError()).contains("upgrade the brokers");
  }

  @Test
  void transientErrors_keepRetryingWithBackoff_andRecover() {
    MockTriggerClients c = clients();
    c.adminFailure =
        new org.apache.kafka.common.KafkaException(
            "cannot reach Kafka at mock:9092",
            new org.apache.kafka.common.errors.TimeoutException("no answer"));
    KafkaTriggerDispatcher d = startFailing(c);
    assertThat(await(WAIT, () -> d.connectFailures() >= 2)).isTrue();
    assertThat(await(WAIT, () -> "BROKER_UNREACHABLE".equals(d.status().state()))).isTrue();
    assertThat(d.status().lastError()).contains("cannot reach Kafka at mock:9092");

    c.adminFailure = null;
    assertThat(await(Duration.ofSeconds(20), () -> "RUNNING".equals(d.status().state())))
        .as("%s", d.describe())
        .isTrue();
  }

  private KafkaTriggerDispatcher startFailing(MockTriggerClients c) {
    KafkaTriggerDispatcher d =
        new KafkaTriggerDispatcher(
            spec(b -> b),
            ScriptedFunction.echo(),
            TriggerEngineConfig.builder("mock:9092").build(),
            c,
            "mock:9092");
    dispatchers.add(d);
    d.start();
    return d;
  }

  /** Renders one dispatcher's metrics as the runtime's engine does. */
  private static final class TriggerEngineMetricsProbe {
    private final KafkaTriggerDispatcher d;

    TriggerEngineMetricsProbe(KafkaTriggerDispatcher d) {
      this.d = d;
    }

    String parkedLine() {
      StringBuilder out = new StringBuilder();
      TriggerEngine.renderMetrics(out, List.of(d));
      return out.toString()
          .lines()
          .filter(l -> l.startsWith("fc_trigger_parked_total{") && l.endsWith(" 1"))
          .findFirst()
          .orElse(null);
    }
  }
}
