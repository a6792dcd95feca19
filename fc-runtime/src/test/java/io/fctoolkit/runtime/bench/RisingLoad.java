package io.fctoolkit.runtime.bench;

import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.runtime.LocalPlatform;
import io.fctoolkit.runtime.RuntimeServer;
import io.fctoolkit.runtime.internal.RuntimeJson;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code rising} section of {@link RuntimeBench}: an open-loop load that rises linearly, on one
 * function, once per standby headroom (each on a runtime of its own, one after the other), printed
 * side by side: how many requests waited for a starting instance (the runtime's {@code
 * fc_start_waits_total}) and their latency, with and without standby.
 */
final class RisingLoad {

  private static final String GRADER = "io.fctoolkit.grader.GraderFunction";

  private RisingLoad() {}

  /**
   * A linear ramp and the scaling it runs against.
   *
   * @param from requests a second at the start
   * @param to requests a second at the end
   * @param seconds the ramp's length
   * @param concurrency requests one instance serves at once
   * @param maxInstances the most instances the version may have
   */
  record Ramp(int from, int to, int seconds, int concurrency, int maxInstances) {
    Ramp {
      if (from < 1 || to < from || seconds < 1 || concurrency < 1 || maxInstances < 1) {
        throw new IllegalArgumentException(
            "bench.rising.*: need 1 <= from <= to, seconds >= 1, concurrency >= 1, max >= 1; was "
                + from
                + " -> "
                + to
                + " over "
                + seconds
                + " s, concurrency "
                + concurrency
                + ", max "
                + maxInstances);
      }
    }

    /**
     * Hello (50 ms of sleep, almost no CPU): 10 -> 300 req/s over 30 s at concurrency 10 needs
     * about 300 x 0.05 / 10 = 1.5 instances at the end, so it shows little.
     */
    static final Ramp HELLO = new Ramp(10, 300, 30, 10, 10);

    /**
     * The grader: 2 -> 20 req/s over 30 s (330 gradings of the sample photo), concurrency 1, max 6.
     * A grading costs about 22 ms of CPU on a warm instance (issue 19) but more on a fresh one:
     * measured with this section on one instance at 5 req/s (CPU time, on the shared 2-core AMD
     * host), 62 ms on average over its first 100 gradings and 38 ms over the next 200; a start
     * costs about 1.1 s of CPU to its first answer, and the client and runtime a few ms per
     * request. A ramp scales out onto fresh instances, so 50 ms per grading is the figure to plan
     * with: 20 req/s then asks about one of the two cores, leaving the other to the starts and to
     * the client and runtime, where 40 req/s would saturate the machine and 300 req/s (the issue's
     * example) would need about 15 cores. Concurrency 1 (one grading at a time per instance, as a
     * CPU-bound function gets one vCPU per instance) makes the version scale by requests in flight,
     * rate x latency: about 0.5 at 20 req/s on warm instances and 1 to 2 while fresh ones grade at
     * 50 to 100 ms, so the ramp needs two to four instances and starts them during the ramp; max 6
     * leaves room for the standby.
     */
    static final Ramp GRADER = new Ramp(2, 20, 30, 1, 6);

    /** This ramp with each of {@code bench.rising.{from,to,seconds,concurrency,max}} set. */
    Ramp withOverrides() {
      return new Ramp(
          Integer.getInteger("bench.rising.from", from),
          Integer.getInteger("bench.rising.to", to),
          Integer.getInteger("bench.rising.seconds", seconds),
          Integer.getInteger("bench.rising.concurrency", concurrency),
          Integer.getInteger("bench.rising.max", maxInstances));
    }

    /** Requests of the ramp. */
    int total() {
      return (int) Math.floor((from + to) * seconds / 2.0);
    }

    /**
     * When the {@code i}-th request is due, in seconds from the ramp's start: the inverse of {@code
     * n(t) = from t + (to - from) t^2 / (2 T)}.
     */
    double due(int i) {
      double slope = (to - from) / (double) seconds;
      if (slope == 0) {
        return i / (double) from;
      }
      return (-from + Math.sqrt((double) from * from + 2 * slope * i)) / slope;
    }
  }

  /**
   * One function the section loads.
   *
   * @param name the function's name in the runtime, and the report's
   * @param work what one request does, for the report
   * @param source its image
   * @param handler its class
   * @param memoryMb its {@code resources.memoryMb}: what a standby instance is stated to hold
   * @param env its environment
   * @param query appended to its invoke path
   * @param body each request's JSON body
   * @param ramp its default ramp
   */
  record Target(
      String name,
      String work,
      ImageSource source,
      String handler,
      int memoryMb,
      Map<String, String> env,
      String query,
      String body,
      Ramp ramp) {
    Target {
      env = Map.copyOf(env);
    }

    static Target hello(ImageSource source) {
      return new Target(
          "hello",
          "50 ms of sleep each (`?sleep=50`)",
          source,
          RuntimeBench.HELLO,
          256,
          Map.of(),
          "?sleep=50",
          "",
          Ramp.HELLO);
    }

    static Target grader(RuntimeBench.GraderImage grader) {
      return new Target(
          "grader",
          "a real grading of the sample photo each (from a file root, as the cold section's)",
          grader.source(),
          GRADER,
          512,
          Map.of("GRADER_FILE_ROOTS", grader.photos().toString()),
          "",
          grader.body(),
          Ramp.GRADER);
    }

    FunctionConfig config(Ramp ramp, int standby) {
      return FunctionConfig.builder(name, handler)
          .resources(new Resources(memoryMb, ramp.concurrency(), Duration.ofSeconds(60)))
          // idle 5 min: no instance retires during the run, so every start is the ramp's doing
          .scaling(new Scaling(0, ramp.maxInstances(), Duration.ofMinutes(5), standby))
          .env(env)
          .build();
    }
  }

  /**
   * One run's figures.
   *
   * @param standby the headroom
   * @param standbyMemory the memory the headroom holds, as {@code fc:status} states it
   * @param sent requests sent
   * @param errors requests not answered 200 (client time-outs included)
   * @param startsInRamp instances started between the ramp's start and its last answer
   * @param readyAtStart instances ready when the ramp started
   * @param peakInstances the most instances seen (sampled every 100 ms)
   * @param counts the runtime's counts at the end
   * @param latencyMs every request's latency, client-measured
   * @param rssMb the instances' resident memory at the end, summed (NaN when unreadable)
   * @param instancesCpuMs the CPU time the instances used from the ramp's start to its last answer
   *     (their starts included)
   * @param benchCpuMs the CPU time the benchmark's JVM (client and runtime) used meanwhile
   */
  record Result(
      int standby,
      String standbyMemory,
      int sent,
      int errors,
      long startsInRamp,
      int readyAtStart,
      int peakInstances,
      ServedCounts counts,
      double[] latencyMs,
      double rssMb,
      double instancesCpuMs,
      double benchCpuMs) {

    String row() {
      return String.format(
          "| %d | %s | %d | %d | %d | %d -> %d | %d | %s | %s | %d | %s | %.0f | %.0f | %.0f | %s"
              + " | %.1f / %.1f |",
          standby,
          standbyMemory,
          sent,
          errors,
          startsInRamp,
          readyAtStart,
          peakInstances,
          counts.startWaits(),
          ms(counts.startWaitMeanMs()),
          counts.startWaitP99(),
          counts.queueWaits(),
          ms(counts.queueWaitMeanMs()),
          RuntimeBench.pct(latencyMs, 50),
          RuntimeBench.pct(latencyMs, 99),
          RuntimeBench.pct(latencyMs, 100),
          ms(rssMb),
          instancesCpuMs / sent,
          benchCpuMs / sent);
    }

    private static String ms(double v) {
      return Double.isNaN(v) ? "-" : String.format("%.0f", v);
    }
  }

  /**
   * The headroom's memory as {@code fc:status} (its STANDBY column) states it: {@code off}, {@code
   * 1 x 512 MiB}, or {@code 2 x 512 MiB = 1024 MiB}, from {@link Scaling#standbyMemoryMb}.
   */
  static String standbyMemory(FunctionConfig config) {
    int standby = Math.min(config.scaling().standby(), config.scaling().maxInstances());
    if (standby == 0) {
      return "off";
    }
    int memoryMb = config.resources().memoryMb();
    return standby
        + " x "
        + memoryMb
        + " MiB"
        + (standby > 1 ? " = " + config.scaling().standbyMemoryMb(memoryMb) + " MiB" : "");
  }

  /**
   * Runs the section: for each target, the ramp once per headroom of {@code bench.rising.standbys}
   * (default 0,1), and prints its table.
   */
  static void run(Path work, List<Target> targets, String jdk) throws Exception {
    List<Integer> standbys =
        Arrays.stream(System.getProperty("bench.rising.standbys", "0,1").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    for (Target target : targets) {
      Ramp ramp = target.ramp().withOverrides();
      List<Result> results = new ArrayList<>();
      for (int standby : standbys) {
        results.add(run(work, target, ramp, standby, jdk));
      }
      print(target, ramp, jdk, results);
    }
  }

  private static void print(Target target, Ramp ramp, String jdk, List<Result> results)
      throws Exception {
    System.out.println("## Rising load: " + target.name());
    System.out.println();
    System.out.printf(
        "- open loop, %d -> %d req/s over %d s (%d requests), %s; concurrency %d, max %d"
            + " instances, instances on %s%n",
        ramp.from(),
        ramp.to(),
        ramp.seconds(),
        ramp.total(),
        target.work(),
        ramp.concurrency(),
        ramp.maxInstances(),
        jdk);
    System.out.println(
        "- one runtime per standby headroom, one after the other; the version is routed and keeps"
            + " publish's first instance; each ramp starts once the class-data archive is made"
            + " and no training run is left");
    System.out.println(
        "- waited for a start: requests a starting instance took first (`fc_start_waits_total`),"
            + " their mean and the bucket holding their p99 from the runtime's histogram; queued:"
            + " requests that found no free slot (`fc_queue_waits_total`, the former included);"
            + " p50/p99/max: all requests, client-measured; standby memory: as `fc:status`"
            + " states it (standby x memoryMb); RSS: the instances' resident memory at the end;"
            + " CPU per request: the instances' CPU time (starts included) and the benchmark"
            + " JVM's (client and runtime) from the ramp's start to its last answer, divided by"
            + " the requests: unlike latency, hardly moved by the machine's load");
    System.out.println();
    System.out.println(
        "| standby | standby memory | requests | errors | starts in the ramp | instances: ready"
            + " at start -> peak | waited for a start | their mean ms | their p99 ms (bucket) |"
            + " queued | their mean ms | p50 ms | p99 ms | max ms | instances' RSS MiB | CPU ms per"
            + " request: instances / client and runtime |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    results.forEach(r -> System.out.println(r.row()));
    System.out.println();
    System.out.println(
        "Load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.println();
  }

  /** One ramp on a runtime of its own. */
  static Result run(Path work, Target target, Ramp ramp, int standby, String jdk) throws Exception {
    FunctionConfig config = target.config(ramp, standby);
    String fn = target.name();
    try (RuntimeServer server = RuntimeBench.start(work, "rising-" + fn + "-" + standby, jdk)) {
      LocalPlatform platform = server.client();
      platform.publish(new PublishRequest(config, target.source(), null));
      platform.putAlias(new AliasUpdate(fn, "live", AliasTarget.of(1), 0L));
      // Publish answers once the first instance is ready and makes the class-data archive after,
      // in a training run that would compete with the ramp for the cores: wait for both.
      RuntimeBench.waitFor(() -> RuntimeBench.archiveCount(server.stateDir()) > 0, 900_000);
      RuntimeBench.waitFor(() -> !RuntimeBench.trainingRunning(server.stateDir()), 900_000);
      // Settled: publish's instance, plus any standby the alias started.
      RuntimeBench.waitFor(
          () -> {
            var v = platform.metrics(fn).versions().get(0);
            return v.instances() >= Math.max(1, Math.min(standby, ramp.maxInstances()));
          },
          120_000);
      Thread.sleep(1000);
      ServedCounts before = ServedCounts.read(RuntimeBench.get(server, "/metrics"), fn);
      if (before.invocations() != 0 || before.startWaits() != 0) {
        throw new IllegalStateException(
            "version 1 of " + fn + " served requests before the ramp: " + before);
      }
      int readyAtStart = platform.metrics(fn).versions().get(0).instances();
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      double instancesCpu0 = RuntimeBench.instancesCpuMs(server, fn);
      long benchCpu0 = os.getProcessCpuTime();

      int total = ramp.total();
      double[] latency = new double[total];
      int[] status = new int[total];
      AtomicInteger peak = new AtomicInteger(readyAtStart);
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      try {
        sampler.scheduleWithFixedDelay(
            () -> {
              try {
                peak.accumulateAndGet(
                    platform.metrics(fn).versions().get(0).instances(), Math::max);
              } catch (RuntimeException e) {
                // one missed sample; the next one follows in 100 ms
              }
            },
            0,
            100,
            TimeUnit.MILLISECONDS);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        HttpRequest request =
            HttpRequest.newBuilder(
                    URI.create(server.uri() + "/invoke/" + fn + "/live" + target.query()))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + server.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(target.body()))
                .build();
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
          long due = start + (long) (ramp.due(i) * 1e9);
          long now;
          while ((now = System.nanoTime()) < due) {
            if (due - now > 2_000_000) {
              // sleep to about 1 ms before it (not 1 ms at a time: the wake-ups cost CPU that
              // the grader's ramp counts against the machine)
              Thread.sleep((due - now) / 1_000_000 - 1);
            } else {
              Thread.onSpinWait();
            }
          }
          int k = i;
          long sent = System.nanoTime();
          all.add(
              RuntimeBench.HTTP
                  .sendAsync(request, HttpResponse.BodyHandlers.ofString())
                  .handle(
                      (r, e) -> {
                        latency[k] = (System.nanoTime() - sent) / 1e6;
                        status[k] = e != null ? -1 : r.statusCode();
                        return null;
                      }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
      } finally {
        sampler.shutdownNow();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
      }
      double benchCpuMs = (os.getProcessCpuTime() - benchCpu0) / 1e6;
      double instancesCpuMs = RuntimeBench.instancesCpuMs(server, fn) - instancesCpu0;
      peak.accumulateAndGet(platform.metrics(fn).versions().get(0).instances(), Math::max);
      int errors = 0;
      int answered = 0;
      for (int s : status) {
        if (s != 200) {
          errors++;
        }
        if (s > 0) {
          answered++;
        }
      }
      ServedCounts after = ServedCounts.read(RuntimeBench.get(server, "/metrics"), fn);
      after.requireConsistent(total, answered);
      return new Result(
          standby,
          standbyMemory(config),
          total,
          errors,
          after.coldStarts() - before.coldStarts(),
          readyAtStart,
          peak.get(),
          after,
          latency,
          instancesRssMb(server, fn),
          instancesCpuMs,
          benchCpuMs);
    }
  }

  /** The resident memory of the instances of version 1 of {@code fn}, summed; NaN if unreadable. */
  private static double instancesRssMb(RuntimeServer server, String fn) throws Exception {
    String instances = RuntimeBench.get(server, "/v1/functions/" + fn + "/versions/1/instances");
    double kb = 0;
    for (var i : RuntimeJson.MAPPER.readTree(instances)) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", i.get("pid").asText(), "status"))) {
          if (line.startsWith("VmRSS:")) {
            kb += Double.parseDouble(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (java.io.IOException e) {
        return Double.NaN;
      }
    }
    return kb / 1024;
  }
}
