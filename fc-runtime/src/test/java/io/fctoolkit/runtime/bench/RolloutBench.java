package io.fctoolkit.runtime.bench;

import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.RetryPolicy;
import io.fctoolkit.core.RolloutGates;
import io.fctoolkit.core.RolloutRequest;
import io.fctoolkit.core.RolloutStatus;
import io.fctoolkit.core.RolloutStatus.Decision;
import io.fctoolkit.core.RolloutStrategy;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.VersionMetrics;
import io.fctoolkit.runtime.KafkaTriggersOf;
import io.fctoolkit.runtime.LocalPlatform;
import io.fctoolkit.runtime.RuntimeOptions;
import io.fctoolkit.runtime.RuntimeServer;
import io.fctoolkit.runtime.TestImages;
import io.fctoolkit.runtime.kafka.KafkaTriggerHost;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The rollout benchmark (issue 20): one local runtime with its embedded Kafka broker; per scenario
 * a function whose alias serves a good v1 to an open-loop HTTP load and a Kafka trigger, then a
 * rollout of v2 (good; 5% errors; 3x latency; 5% dead letters; good at 1 req/s). It reports what
 * the sample-based controller decided, when, on how many samples, and what users saw before the
 * decision, next to what a time-based schedule of the same steps (one check per fixed interval, as
 * CodeDeploy and Flagger run them) would have let through, estimated from the canary's measured
 * rates.
 *
 * <p>Usage: {@code RolloutBench [rps=200] [recordsPerSecond=50] [minSamples=200] [interval=10]
 * [fixedInterval=60] [lowRps=1] [maxStepTime=120]} (seconds). Prints Markdown on stdout.
 */
public final class RolloutBench {

  private static final String HELLO = "io.fctoolkit.runtime.testfn.Hello";
  private static final String FLAKY = "io.fctoolkit.runtime.testfn.Flaky";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final int WORK_MS = 5;

  private RolloutBench() {}

  /** One scenario: the canary's environment and the load it runs under. */
  private record Scenario(String name, Map<String, String> canaryEnv, int rps, int recordsPerSec) {}

  /**
   * One request: when it was sent (nanoTime), its status (-1: no answer), serving version and how
   * long the caller waited for the answer (ns).
   */
  private record Sent(long at, int status, String version, long nanos) {}

  /** What a scenario measured. */
  private record Result(
      Scenario scenario,
      RolloutStatus end,
      List<Sent> requests,
      long decidedNanos,
      long startNanos,
      int produced,
      int results,
      int deadLetters,
      int deadLettersBeforeDecision,
      int canaryRecordsBeforeDecision,
      List<VersionMetrics> latency,
      Map<Integer, List<RolloutStatus.Gate>> stepChecks) {}

  public static void main(String[] args) throws Exception {
    int rps = arg(args, 0, 200);
    int recordsPerSec = arg(args, 1, 50);
    int minSamples = arg(args, 2, 200);
    int interval = arg(args, 3, 10);
    int fixedInterval = arg(args, 4, 60);
    int lowRps = arg(args, 5, 1);
    int maxStepTime = arg(args, 6, 120);
    Path work = Files.createTempDirectory("fc-rollout-bench");
    TestImages.Built image = TestImages.build(work, "hello", "bench", true);
    ImageSource source = new ImageSource.Archive(image.tarball(), image.digest(), "local/hello");
    RolloutStrategy strategy =
        new RolloutStrategy(
            List.of(BigDecimal.TEN, BigDecimal.valueOf(50)),
            minSamples,
            Duration.ofSeconds(interval),
            Duration.ofSeconds(maxStepTime),
            RolloutStrategy.Inconclusive.ROLLBACK,
            RolloutGates.builder()
                .maxErrorRate(BigDecimal.ONE)
                // p95, not p99: a p99 needs 2,000 canary samples per step and on a busy machine
                // both versions' p99s are shared stalls (docs/gitops.md 3.1)
                .maxP95Ratio(new BigDecimal("1.5"))
                .maxDeadLetterRate(BigDecimal.ONE)
                .maxRetryRate(BigDecimal.valueOf(10))
                .build());
    // -Dfc.bench.only=3x,good runs the scenarios whose names contain one of these words
    String only = System.getProperty("fc.bench.only", "");
    List<Scenario> all =
        List.of(
            new Scenario("(a) good", Map.of(), rps, recordsPerSec),
            new Scenario("(b) 5% errors", Map.of("FAIL_PERCENT", "5"), rps, recordsPerSec),
            new Scenario(
                "(b) 3x latency",
                Map.of("DELAY_MS", String.valueOf(2 * WORK_MS)),
                rps,
                recordsPerSec),
            new Scenario(
                "(b) 5% dead letters",
                Map.of("FAIL_PERCENT", "5", "FAIL_STATUS", "400"), rps, recordsPerSec),
            new Scenario("(c) good at low traffic", Map.of(), lowRps, 0));
    List<Scenario> scenarios =
        only.isBlank()
            ? all
            : all.stream()
                .filter(x -> List.of(only.split(",")).stream().anyMatch(x.name()::contains))
                .toList();
    System.out.println("# Rollout benchmark");
    System.out.println();
    System.out.printf(
        "- machine: %d cores; load average at start: %s%n",
        Runtime.getRuntime().availableProcessors(),
        Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.printf(
        "- strategy: steps 10%%, 50%%, then 100%%; minSamples %d; interval %d s; maxStepTime %d s;"
            + " gates: %s%n",
        minSamples, interval, maxStepTime, strategy.gates().describe());
    System.out.printf(
        "- load: %d req/s open loop (%d ms of work each) and %d records/s to a Kafka trigger"
            + " (ordering key, 3 attempts, dead-letter topic); (c) at %d req/s and no records%n",
        rps, WORK_MS, recordsPerSec, lowRps);
    System.out.printf(
        "- time-based schedule compared: the same steps, one check at the end of each fixed"
            + " %d s interval; its figures are estimates from the canary's rates measured here%n%n",
        fixedInterval);
    List<Result> results = new ArrayList<>();
    KafkaTriggersOf triggers = new KafkaTriggersOf();
    RuntimeOptions options =
        triggers.install(
            RuntimeOptions.forTest(work.resolve("state"))
                .withQueue(10_000, Duration.ofSeconds(60)));
    try (RuntimeServer server = RuntimeServer.start(options)) {
      int n = 0;
      for (Scenario s : scenarios) {
        results.add(run(server, triggers.host(), source, "r" + n++, s, strategy));
      }
    }
    report(results, fixedInterval);
  }

  private static int arg(String[] args, int i, int otherwise) {
    return args.length > i ? Integer.parseInt(args[i]) : otherwise;
  }

  private static FunctionConfig config(String name, String handler, Map<String, String> env) {
    return FunctionConfig.builder(name, handler)
        .resources(new Resources(256, 16, Duration.ofSeconds(30)))
        .scaling(new Scaling(1, 4, Duration.ofMinutes(10)))
        .env(env)
        .build();
  }

  private static Result run(
      RuntimeServer server,
      KafkaTriggerHost host,
      ImageSource source,
      String fn,
      Scenario s,
      RolloutStrategy strategy)
      throws Exception {
    LocalPlatform platform = server.client();
    platform.publish(
        new PublishRequest(config(fn, HELLO, Map.of("GREETING", "one")), source, null));
    Map<String, String> env = new HashMap<>(s.canaryEnv());
    env.put("GREETING", "two");
    platform.publish(new PublishRequest(config(fn, FLAKY, env), source, null));
    Alias alias = platform.putAlias(new AliasUpdate(fn, "live", AliasTarget.of(1), 0L));
    String in = fn + "-in";
    platform.putTrigger(
        TriggerSpec.builder("records", fn, "live", in)
            .ordering(Ordering.KEY)
            .maxInFlight(32)
            .deadLetterTopic(fn + "-dlq")
            .onSuccessTopic(fn + "-out")
            .partitions(4)
            .retry(new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200)))
            .build());
    String bootstrap = host.bootstrapServers().orElseThrow();
    List<Sent> sent = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    int[] produced = {0};
    List<CompletableFuture<Void>> inFlight = new CopyOnWriteArrayList<>();
    Thread http = new Thread(() -> httpLoad(server, fn, s.rps(), running, sent, inFlight));
    Thread kafka = new Thread(() -> produce(bootstrap, in, s.recordsPerSec(), running, produced));
    http.start();
    kafka.start();
    Thread.sleep(3000); // v1 warm, the trigger consuming
    long start = System.nanoTime();
    Instant startedAt = Instant.now();
    platform.startRollout(new RolloutRequest(fn, "live", 2, null, strategy, alias.revision()));
    long limit = start + Duration.ofMinutes(10).toNanos();
    // the latest latency checks of each step, as the controller judged them just before it moved
    Map<Integer, List<RolloutStatus.Gate>> stepChecks = new java.util.TreeMap<>();
    RolloutStatus seen = platform.rollout(fn, "live").orElseThrow();
    while (!seen.state().finished() && System.nanoTime() < limit) {
      stepChecks.put(seen.step() + 1, seen.gates());
      Thread.sleep(100);
      seen = platform.rollout(fn, "live").orElseThrow();
    }
    RolloutStatus end = platform.rollout(fn, "live").orElseThrow();
    // the runtime's own latency per version (since it started: v2 served only in the rollout)
    List<VersionMetrics> latency = platform.metrics(fn).versions();
    Decision last = end.history().get(end.history().size() - 1);
    long decided = start + Duration.between(startedAt, last.at()).toNanos();
    Thread.sleep(3000); // traffic after the decision too: none of it may fail
    running.set(false);
    http.join();
    kafka.join();
    CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).join();
    Outcomes o = readOutcomes(bootstrap, fn, produced[0], last.at());
    System.err.printf(
        "%s: %s after %.1f s, %d requests, %d records%n",
        s.name(), end.state(), (decided - start) / 1e9, sent.size(), produced[0]);
    return new Result(
        s,
        end,
        List.copyOf(sent),
        decided,
        start,
        produced[0],
        o.results,
        o.deadLetters,
        o.deadLettersBefore,
        o.canaryBefore,
        latency,
        stepChecks);
  }

  private static void httpLoad(
      RuntimeServer server,
      String fn,
      int rps,
      AtomicBoolean running,
      List<Sent> sent,
      List<CompletableFuture<Void>> inFlight) {
    long period = 1_000_000_000L / rps;
    long next = System.nanoTime();
    int i = 0;
    while (running.get()) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      next += period;
      final long at = System.nanoTime();
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(server.uri() + "/invoke/" + fn + "/live?sleep=" + WORK_MS))
              .timeout(Duration.ofSeconds(60))
              .header("Authorization", "Bearer " + server.token())
              .header("fc-routing-key", "user-" + (i++ % 500))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      inFlight.add(
          HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .handle(
                  (r, e) -> {
                    sent.add(
                        new Sent(
                            at,
                            e != null ? -1 : r.statusCode(),
                            e != null ? "?" : r.headers().firstValue("fc-version").orElse("?"),
                            System.nanoTime() - at));
                    return null;
                  }));
    }
  }

  private static void produce(
      String bootstrap, String topic, int perSecond, AtomicBoolean running, int[] produced) {
    if (perSecond <= 0) {
      return;
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      int perTick = Math.max(1, perSecond / 10);
      while (running.get()) {
        for (int k = 0; k < perTick; k++) {
          int i = produced[0]++;
          producer.send(new ProducerRecord<>(topic, "key-" + (i % 100), "v" + i));
        }
        producer.flush();
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Outcomes(int results, int deadLetters, int deadLettersBefore, int canaryBefore) {}

  /** Reads every record's outcome (a result or a dead letter), waiting up to 60 s of no news. */
  private static Outcomes readOutcomes(String bootstrap, String fn, int expected, Instant decided) {
    Map<String, String> outcomes = new HashMap<>();
    int deadBefore = 0;
    int canaryBefore = 0;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(fn + "-out", fn + "-dlq"));
      long quietUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (outcomes.size() < expected && System.nanoTime() < quietUntil) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          quietUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          boolean before = r.timestamp() <= decided.toEpochMilli();
          if (r.topic().endsWith("-dlq")) {
            outcomes.put(r.value(), "dlq");
            deadBefore += before ? 1 : 0;
            canaryBefore += before ? 1 : 0;
          } else {
            int space = r.value().indexOf(' ');
            String greeting = r.value().substring(0, space);
            outcomes.put(r.value().substring(space + 1), greeting);
            canaryBefore += before && greeting.equals("two") ? 1 : 0;
          }
        }
      }
    }
    int dead = (int) outcomes.values().stream().filter("dlq"::equals).count();
    return new Outcomes(outcomes.size() - dead, dead, deadBefore, canaryBefore);
  }

  private static void report(List<Result> results, int fixedInterval) {
    System.out.println(
        "| scenario | outcome | seconds to decision | canary samples at decision | requests |"
            + " failed | failed before decision | failed after | records | lost | dead letters"
            + " before decision | time-based: decision at | time-based: failed requests /"
            + " dead letters users see |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      int failed = 0;
      int failedBefore = 0;
      int failedAfter = 0;
      int canary = 0;
      int canaryFailed = 0;
      for (Sent x : r.requests()) {
        boolean before = x.at() <= r.decidedNanos();
        boolean ok = x.status() == 200;
        if (!ok) {
          failed++;
          failedBefore += before ? 1 : 0;
          failedAfter += before ? 0 : 1;
        }
        if (before && x.at() >= r.startNanos() && "2".equals(x.version())) {
          canary++;
          canaryFailed += ok ? 0 : 1;
        }
      }
      double seconds = (r.decidedNanos() - r.startNanos()) / 1e9;
      Decision last = r.end().history().get(r.end().history().size() - 1);
      int rps = r.scenario().rps();
      int steps = r.end().strategy().steps().size();
      // A time-based schedule checks once per interval: a bad canary serves its first step for a
      // whole interval before anything looks at it; a good one is promoted after all steps,
      // however few samples it saw.
      String timeBased;
      String timeBasedSeen;
      boolean bad = !r.scenario().canaryEnv().isEmpty();
      double firstWeight = r.end().strategy().steps().get(0).doubleValue() / 100;
      if (bad) {
        double errorRate = canary == 0 ? 0 : (double) canaryFailed / canary;
        double deadRate =
            r.canaryRecordsBeforeDecision() == 0
                ? 0
                : (double) r.deadLettersBeforeDecision() / r.canaryRecordsBeforeDecision();
        timeBased = "rollback at " + fixedInterval + " s";
        timeBasedSeen =
            String.format(
                "~%.0f / ~%.0f",
                rps * firstWeight * fixedInterval * errorRate,
                r.scenario().recordsPerSec() * firstWeight * fixedInterval * deadRate);
      } else {
        timeBased = "promote at " + (steps * fixedInterval) + " s";
        timeBasedSeen =
            String.format(
                "0 / 0 (on ~%.0f canary requests at step 1)", rps * firstWeight * fixedInterval);
      }
      System.out.printf(
          "| %s | %s | %.1f | %d | %d | %d | %d | %d | %d | %d | %d | %s | %s |%n",
          r.scenario().name(),
          r.end().state() + (r.end().reason() == null ? "" : ": " + r.end().reason()),
          seconds,
          last.samples(),
          r.requests().size(),
          failed,
          failedBefore,
          failedAfter,
          r.produced(),
          r.produced() - r.results() - r.deadLetters(),
          r.deadLettersBeforeDecision(),
          timeBased,
          timeBasedSeen);
    }
    System.out.println();
    latencyTable(results);
    System.out.println();
    System.out.println(
        "failed: non-200 answers and calls with no answer (the dead-letter canary also answers 5%"
            + " of HTTP requests with 400, which the 5xx error check does not count); lost: records"
            + " produced with neither a result nor a dead letter; dead letters are counted by their"
            + " write time. Time-based figures: the canary's error and dead-letter rates measured"
            + " before the decision, times its traffic over one fixed interval at the first step.");
  }

  /**
   * Latency per version, p50 / p95 / p99 in ms: as the runtime measured it (forwarding and queueing
   * included, HTTP and trigger deliveries together, since it started) and as the HTTP callers saw
   * it between the rollout's start and its decision; and the latency checks at the decision.
   */
  private static void latencyTable(List<Result> results) {
    System.out.println(
        "| scenario | runtime v1 p50/p95/p99 ms | runtime v2 p50/p95/p99 ms | callers v1"
            + " p50/p95/p99 ms | callers v2 p50/p95/p99 ms | latency checks, last judged per step"
            + " |");
    System.out.println("|---|---|---|---|---|---|");
    for (Result r : results) {
      String[] runtime = {"-", "-"};
      for (VersionMetrics v : r.latency()) {
        if (v.version() == 1 || v.version() == 2) {
          runtime[v.version() - 1] =
              String.format("%.1f / %.1f / %.1f", v.p50Ms(), v.p95Ms(), v.p99Ms());
        }
      }
      Map<Integer, List<RolloutStatus.Gate>> byStep = new java.util.TreeMap<>(r.stepChecks());
      byStep.put(r.end().step() + 1, r.end().gates());
      String checks =
          byStep.entrySet().stream()
              .map(e -> "step " + e.getKey() + ": " + latencyChecks(e.getValue()))
              .reduce((a, b) -> a + "; " + b)
              .orElse("-");
      System.out.printf(
          "| %s | %s | %s | %s | %s | %s |%n",
          r.scenario().name(), runtime[0], runtime[1], callers(r, "1"), callers(r, "2"), checks);
    }
  }

  private static String latencyChecks(List<RolloutStatus.Gate> gates) {
    return gates.stream()
        .filter(g -> g.unit().equals("ms") || g.unit().equals("x"))
        .filter(g -> g.verdict() != RolloutStatus.Verdict.SKIPPED)
        .map(g -> g.name() + " " + g.verdict() + ": " + g.detail())
        .reduce((a, b) -> a + ", " + b)
        .orElse("-");
  }

  private static String callers(Result r, String version) {
    double[] ms =
        r.requests().stream()
            .filter(x -> x.at() >= r.startNanos() && x.at() <= r.decidedNanos())
            .filter(x -> version.equals(x.version()))
            .mapToDouble(x -> x.nanos() / 1e6)
            .sorted()
            .toArray();
    if (ms.length == 0) {
      return "-";
    }
    return String.format(
        "%.1f / %.1f / %.1f (%d)",
        ms[(int) Math.ceil(0.5 * ms.length) - 1],
        ms[(int) Math.ceil(0.95 * ms.length) - 1],
        ms[(int) Math.ceil(0.99 * ms.length) - 1],
        ms.length);
  }
}
