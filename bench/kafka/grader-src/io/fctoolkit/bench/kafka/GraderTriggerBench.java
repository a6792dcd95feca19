package io.fctoolkit.bench.kafka;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.Ordering;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.core.TriggerSpec;
import io.fctoolkit.core.image.BuiltImage;
import io.fctoolkit.core.image.FunctionImageBuilder;
import io.fctoolkit.core.image.ImageBuildRequest;
import io.fctoolkit.core.image.ImageTarget;
import io.fctoolkit.grader.GraderFunction;
import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.sim.PhotoSimulator;
import io.fctoolkit.grader.testing.FakeHttp;
import io.fctoolkit.runtime.LocalPlatform;
import io.fctoolkit.runtime.RuntimeOptions;
import io.fctoolkit.runtime.RuntimeServer;
import io.fctoolkit.runtime.kafka.KafkaTriggerHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The grader in-process on two threads against the grader behind a Kafka trigger of the real local
 * runtime (embedded broker, fc-host instances over HTTP), side by side in one run on the same
 * photos. See {@code bench/kafka/README.md}.
 *
 * <p>Arguments (all {@code --name value}): {@code --work} (required: a folder for photos, image and
 * state), {@code --host-jar}, {@code --grader-classes}, {@code --grader-deps} (the image's inputs,
 * required), {@code --photos} (measured submissions, 600), {@code --distinct} (distinct photos on
 * disk, 120), {@code --warmup} (200), {@code --concurrency} (2), {@code --instances} (1), {@code
 * --max-in-flight} (6), {@code --partitions} (4), {@code --instance-java-home} (this JVM's home).
 */
public final class GraderTriggerBench {

  private static final int WIDTH = 1600;
  private static final int HEIGHT = 1200;
  private static final long TICKS = 100; // USER_HZ on Linux

  private GraderTriggerBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    // Whatever happens (an exception, SIGTERM from the script's timeout), no child outlives us.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () ->
                    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
    Path work = Path.of(a.get("work")).toAbsolutePath();
    int photos = Integer.parseInt(a.getOrDefault("photos", "1800"));
    int distinct = Integer.parseInt(a.getOrDefault("distinct", "120"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "600"));
    int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "2"));
    int instances = Integer.parseInt(a.getOrDefault("instances", "1"));
    int maxInFlight = Integer.parseInt(a.getOrDefault("max-in-flight", "6"));
    int partitions = Integer.parseInt(a.getOrDefault("partitions", "4"));

    System.out.printf(
        "# %s %s, %d cores visible; load before: %s%n",
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        Runtime.getRuntime().availableProcessors(),
        loadavg());
    Path photoDir = work.resolve("photos");
    List<String> uris = simulate(photoDir, distinct);
    Map<String, String> env = Map.of("GRADER_FILE_ROOTS", photoDir.toString());

    // (a) in-process, 2 threads, no Kafka, no HTTP (before the broker exists)
    Baseline before = baseline(env, uris, photos, warmup);
    System.out.printf(
        "in-process (before): %d photos in %.2f s = %.1f photos/s, process CPU %.1f s%n",
        photos, before.seconds, photos / before.seconds, before.cpuSeconds);

    // (b) the trigger through the real runtime
    TriggerResult trigger =
        trigger(
            work, a, env, uris, photos, warmup, concurrency, instances, maxInFlight, partitions);

    // (a) again, after the runtime stopped, to see how much the shared machine drifted
    Baseline after = baseline(env, uris, photos, warmup / 2);
    System.out.printf(
        "in-process (after): %d photos in %.2f s = %.1f photos/s, process CPU %.1f s%n",
        photos, after.seconds, photos / after.seconds, after.cpuSeconds);

    double inProcess = (photos / before.seconds + photos / after.seconds) / 2;
    double triggered = photos / trigger.seconds;
    System.out.println();
    System.out.println("| path | photos | time | photos/s | vs in-process |");
    System.out.println("|---|---:|---:|---:|---:|");
    System.out.printf(
        "| in-process, 2 threads (before) | %d | %.2f s | %.1f | |%n",
        photos, before.seconds, photos / before.seconds);
    System.out.printf(
        "| in-process, 2 threads (after) | %d | %.2f s | %.1f | |%n",
        photos, after.seconds, photos / after.seconds);
    System.out.printf(
        "| trigger `none`, maxInFlight %d, %d instance(s) x concurrency %d | %d | %.2f s | %.1f |"
            + " **%.2f** |%n",
        maxInFlight,
        instances,
        concurrency,
        photos,
        trigger.seconds,
        triggered,
        triggered / inProcess);
    System.out.printf(
        "CPU during the measured trigger phase (%.2f s wall, %.2f core-s available on %d cores):"
            + " instances %.1f s, broker %.1f s, runtime + bench JVM %.1f s%n",
        trigger.seconds,
        trigger.seconds * Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().availableProcessors(),
        trigger.cpuInstances,
        trigger.cpuBroker,
        trigger.cpuSelf);
    System.out.printf(
        "in-process CPU per photo %.1f ms (before), instance CPU per photo %.1f ms%n",
        before.cpuSeconds * 1000 / photos, trigger.cpuInstances * 1000 / photos);
    double triggerCpu = trigger.cpuInstances + trigger.cpuBroker + trigger.cpuSelf;
    System.out.printf(
        "CPU per photo: in-process %.1f ms, trigger path %.1f ms (instances %.1f, broker %.1f,"
            + " runtime + bench %.1f); in-process / trigger = %.2f, the ratio's ceiling when"
            + " both have two otherwise idle cores%n",
        before.cpuSeconds * 1000 / photos,
        triggerCpu * 1000 / photos,
        trigger.cpuInstances * 1000 / photos,
        trigger.cpuBroker * 1000 / photos,
        trigger.cpuSelf * 1000 / photos,
        before.cpuSeconds / triggerCpu);
    System.out.printf(
        "cores used: in-process (before) %.2f, trigger path %.2f%n",
        before.cpuSeconds / before.seconds, triggerCpu / trigger.seconds);
    System.out.printf("# load after: %s%n", loadavg());
  }

  private static final Duration IDLE_WINDOW = Duration.ofSeconds(5);

  private record Baseline(double seconds, double cpuSeconds) {}

  private record TriggerResult(
      double seconds, double cpuInstances, double cpuBroker, double cpuSelf) {}

  /** Writes {@code distinct} simulated 1600x1200 JPEGs; returns their {@code file:} URIs. */
  private static List<String> simulate(Path dir, int distinct) throws Exception {
    Files.createDirectories(dir);
    var layouts = LayoutRegistry.builtIn();
    var simulator =
        new PhotoSimulator(layouts.all(), PhotoSimulator.Ranges.DEFAULT.withoutOtherPhotos());
    List<String> uris = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < distinct; i++) {
      Path file = dir.resolve("photo-" + i + ".jpg");
      if (!Files.exists(file)) {
        Files.write(file, simulator.photo(5_000_000L + i, WIDTH, HEIGHT).jpeg());
      }
      uris.add(file.toUri().toString());
    }
    System.out.printf(
        "# %d distinct %dx%d photos in %s (%.1f s)%n",
        distinct, WIDTH, HEIGHT, dir, (System.nanoTime() - started) / 1e9);
    return uris;
  }

  private static String submission(int i, List<String> uris, String prefix) {
    return "{\"submissionId\":\""
        + prefix
        + i
        + "\",\"studentId\":\"st-"
        + (i % 50)
        + "\",\"imageUri\":\""
        + uris.get(i % uris.size())
        + "\"}";
  }

  /** GraderFunction.service on two threads, the file read, JSON in and out included. */
  private static Baseline baseline(Map<String, String> env, List<String> uris, int n, int warmup)
      throws Exception {
    GraderFunction function =
        new GraderFunction(
            Map.of("GRADER_FILE_ROOTS", env.get("GRADER_FILE_ROOTS"), "GRADER_WARMUP", "0"));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      run(pool, function, uris, warmup, "w-");
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      run(pool, function, uris, n, "m-");
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Baseline(seconds, (os.getProcessCpuTime() - cpu0) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void run(
      ExecutorService pool, GraderFunction function, List<String> uris, int n, String prefix)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      workers.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                  FakeHttp.Response response = new FakeHttp.Response();
                  function.service(FakeHttp.postJson(submission(i, uris, prefix)), response);
                  if (response.status() != 200) {
                    throw new IllegalStateException(response.status() + " " + response.body());
                  }
                }
                return null;
              }));
    }
    for (Future<?> w : workers) {
      w.get();
    }
  }

  private static TriggerResult trigger(
      Path work,
      Map<String, String> a,
      Map<String, String> env,
      List<String> uris,
      int photos,
      int warmup,
      int concurrency,
      int instances,
      int maxInFlight,
      int partitions)
      throws Exception {
    BuiltImage image =
        new FunctionImageBuilder(e -> {})
            .build(
                ImageBuildRequest.builder("grader", GraderFunction.class.getName())
                    .classes(Path.of(a.get("grader-classes")))
                    .dependencies(imageDependencies(a.get("grader-deps")))
                    .hostJar(Path.of(a.get("host-jar")))
                    .baseImage(FunctionImageBuilder.SCRATCH)
                    .target(
                        new ImageTarget.Archive(
                            work.resolve("grader-image.tar"), ImageRef.parse("local/grader:bench")))
                    .outputDirectory(work.resolve("image-build"))
                    .offline(true)
                    .build());
    AtomicReference<KafkaTriggerHost> host = new AtomicReference<>();
    RuntimeOptions options =
        RuntimeOptions.forTest(work.resolve("state"))
            // The instances run on this JDK, as the in-process baseline does (the runtime would
            // otherwise pick the newest JDK it finds, which would compare two JDKs).
            .withInstanceJavaHome(
                a.getOrDefault("instance-java-home", System.getProperty("java.home")))
            .withTriggers(
                (invoker, stateDir, events) -> {
                  KafkaTriggerHost h =
                      (KafkaTriggerHost)
                          KafkaTriggerHost.factory(Map.of()).create(invoker, stateDir, events);
                  host.set(h);
                  return h;
                });
    try (RuntimeServer server = RuntimeServer.start(options)) {
      LocalPlatform platform = server.client();
      FunctionConfig config =
          FunctionConfig.builder("grader", GraderFunction.class.getName())
              .resources(new Resources(512, concurrency, Duration.ofSeconds(60)))
              .scaling(new Scaling(instances, instances, Duration.ofMinutes(10)))
              .env(env)
              .build();
      platform.publish(new PublishRequest(config, image.toImageSource(), null));
      platform.putAlias(new AliasUpdate("grader", "live", AliasTarget.of(1), 0L));
      platform.putTrigger(
          TriggerSpec.builder("submissions", "grader", "live", "submissions")
              .ordering(Ordering.NONE)
              .maxInFlight(maxInFlight)
              .deadLetterTopic("submissions-dlq")
              .onSuccessTopic("grades")
              .partitions(partitions)
              .build());
      String bootstrap = host.get().bootstrapServers().orElseThrow();
      try (KafkaProducer<String, String> producer = producer(bootstrap);
          KafkaConsumer<String, String> results = consumer(bootstrap, "grades")) {
        // Warm-up batch: instances start, JIT compiles, the group joins.
        long w0 = System.nanoTime();
        produce(producer, uris, 0, warmup, "w-");
        await(results, "w-", warmup, Duration.ofMinutes(5));
        System.out.printf(
            "trigger warm-up: %d photos in %.2f s%n", warmup, (System.nanoTime() - w0) / 1e9);
        ProcessHandle broker = broker();
        List<ProcessHandle> idleHosts = fcHosts();
        // Idle window: what the broker, the runtime JVM and the instances burn with no record
        // flowing (heartbeats, fetch long-polls, the dispatcher's idle poll, timers), so that the
        // measured phase's CPU can be split into a fixed background and a per-photo part.
        long idleSelf0 = cpuTicks(ProcessHandle.current().pid());
        long idleBroker0 = cpuTicks(broker.pid());
        long idleInst0 = idleHosts.stream().mapToLong(p -> cpuTicks(p.pid())).sum();
        long idle0 = System.nanoTime();
        Thread.sleep(IDLE_WINDOW.toMillis());
        double idleSeconds = (System.nanoTime() - idle0) / 1e9;
        System.out.printf(
            "idle (no records, %.1f s): broker %.3f cores, runtime + bench JVM %.3f cores,"
                + " instances %.3f cores%n",
            idleSeconds,
            (cpuTicks(broker.pid()) - idleBroker0) / (double) TICKS / idleSeconds,
            (cpuTicks(ProcessHandle.current().pid()) - idleSelf0) / (double) TICKS / idleSeconds,
            (idleHosts.stream().mapToLong(p -> cpuTicks(p.pid())).sum() - idleInst0)
                / (double) TICKS
                / idleSeconds);
        Map<String, Long> selfThreads0 = threadTicks(ProcessHandle.current().pid());
        Map<String, Long> brokerThreads0 = threadTicks(broker.pid());
        Map<String, Long> instThreads0 = threadTicks(idleHosts);
        long self0 = cpuTicks(ProcessHandle.current().pid());
        long broker0 = cpuTicks(broker.pid());
        List<ProcessHandle> fcHosts = fcHosts();
        long inst0 = fcHosts.stream().mapToLong(p -> cpuTicks(p.pid())).sum();
        long t0 = System.nanoTime();
        produce(producer, uris, 0, photos, "m-");
        await(results, "m-", photos, Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long self1 = cpuTicks(ProcessHandle.current().pid());
        long broker1 = cpuTicks(broker.pid());
        List<ProcessHandle> fcHostsAfter = fcHosts();
        if (!fcHostsAfter.stream()
            .map(ProcessHandle::pid)
            .toList()
            .equals(fcHosts.stream().map(ProcessHandle::pid).toList())) {
          System.out.println("# note: the set of instances changed during the measured phase");
        }
        long inst1 = fcHostsAfter.stream().mapToLong(p -> cpuTicks(p.pid())).sum();
        printThreads("broker", brokerThreads0, threadTicks(broker.pid()));
        printThreads(
            "runtime + bench JVM", selfThreads0, threadTicks(ProcessHandle.current().pid()));
        printThreads("instances", instThreads0, threadTicks(fcHostsAfter));
        System.out.printf(
            "trigger: %d photos in %.2f s = %.1f photos/s (%d instance JVMs: %s)%n",
            photos,
            seconds,
            photos / seconds,
            fcHostsAfter.size(),
            fcHostsAfter.stream().map(p -> cmdline(p).split(" ")[0]).distinct().toList());
        return new TriggerResult(
            seconds,
            (inst1 - inst0) / (double) TICKS,
            (broker1 - broker0) / (double) TICKS,
            (self1 - self0) / (double) TICKS);
      }
    }
  }

  /** The grader's runtime jars plus functions-framework-api (provided, as the plugin adds it). */
  private static List<Path> imageDependencies(String classpath) throws Exception {
    List<Path> deps = new ArrayList<>();
    for (String s : classpath.split(":")) {
      if (!s.isBlank() && s.endsWith(".jar")) {
        deps.add(Path.of(s));
      }
    }
    deps.add(
        Path.of(
            com.google.cloud.functions.HttpFunction.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI()));
    return deps;
  }

  private static void produce(
      KafkaProducer<String, String> producer, List<String> uris, int from, int to, String prefix) {
    for (int i = from; i < to; i++) {
      producer.send(new ProducerRecord<>("submissions", prefix + i, submission(i, uris, prefix)));
    }
    producer.flush();
  }

  /** Reads results until {@code n} distinct ones with {@code prefix}; fails on any non-200. */
  private static void await(
      KafkaConsumer<String, String> results, String prefix, int n, Duration timeout) {
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (seen.size() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + seen.size() + " of " + n + " results within " + timeout);
      }
      for (ConsumerRecord<String, String> r : results.poll(Duration.ofMillis(20))) {
        if (r.key() != null && r.key().startsWith(prefix)) {
          if (!r.value().contains("\"graderVersion\"")) {
            throw new IllegalStateException("not a grade: " + r.value());
          }
          seen.add(r.key());
        }
      }
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    KafkaConsumer<String, String> c = new KafkaConsumer<>(p);
    c.subscribe(List.of(topic));
    return c;
  }

  private static ProcessHandle broker() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> cmdline(p).contains(" kafka.Kafka "))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no broker child process found"));
  }

  private static List<ProcessHandle> fcHosts() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> cmdline(p).contains("io.fctoolkit.host.FcHost"))
        .sorted(java.util.Comparator.comparingLong(ProcessHandle::pid))
        .toList();
  }

  /** The full command line from /proc (ProcessHandle.Info may truncate or omit it). */
  private static String cmdline(ProcessHandle p) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")))
          .replace('\0', ' ');
    } catch (Exception e) {
      return "";
    }
  }

  /**
   * utime + stime per thread group of a process, from /proc/PID/task/TID/stat, in clock ticks.
   * Threads are grouped by name (the kernel keeps 15 characters) with digits folded ({@code C#
   * CompilerThre}, {@code GC Thread##}, {@code kafka-producer-}), so the JIT, the collector and
   * each Kafka client show up separately. Threads that exit during the window are not counted.
   */
  private static Map<String, Long> threadTicks(long pid) {
    Map<String, Long> byGroup = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          String group = task.getFileName() + "\t" + name.replaceAll("[0-9]", "#");
          byGroup.merge(group, ticks, Long::sum);
        } catch (Exception e) {
          // the thread exited meanwhile
        }
      }
    } catch (Exception e) {
      // the process exited
    }
    return byGroup;
  }

  private static Map<String, Long> threadTicks(List<ProcessHandle> processes) {
    Map<String, Long> all = new java.util.TreeMap<>();
    for (ProcessHandle p : processes) {
      threadTicks(p.pid()).forEach((k, v) -> all.merge(p.pid() + "/" + k, v, Long::sum));
    }
    return all;
  }

  /** The measured phase's CPU of one process by thread group, largest first (>= 0.1 s). */
  private static void printThreads(String what, Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> byName = new java.util.HashMap<>();
    after.forEach(
        (tidAndName, ticks) -> {
          String name = tidAndName.substring(tidAndName.indexOf('\t') + 1);
          byName.merge(name, ticks - before.getOrDefault(tidAndName, 0L), Long::sum);
        });
    StringBuilder out = new StringBuilder("CPU by thread, " + what + ":");
    byName.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .filter(e -> e.getValue() >= TICKS / 10)
        .forEach(
            e ->
                out.append(
                    String.format(" [%s] %.1f s;", e.getKey(), e.getValue() / (double) TICKS)));
    System.out.println(out);
  }

  /** utime + stime of a process from /proc, in clock ticks (children not included). */
  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (Exception e) {
      return 0;
    }
  }

  private static String loadavg() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "?";
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      m.put(args[i].substring(2), args[i + 1]);
    }
    for (String required : List.of("work", "host-jar", "grader-classes", "grader-deps")) {
      if (!m.containsKey(required)) {
        throw new IllegalArgumentException("missing --" + required);
      }
    }
    return m;
  }
}
