package io.fctoolkit.runtime.bench;

import io.fctoolkit.core.Affinity;
import io.fctoolkit.core.Alias;
import io.fctoolkit.core.AliasTarget;
import io.fctoolkit.core.AliasUpdate;
import io.fctoolkit.core.FunctionConfig;
import io.fctoolkit.core.ImageRef;
import io.fctoolkit.core.ImageSource;
import io.fctoolkit.core.PublishRequest;
import io.fctoolkit.core.Resources;
import io.fctoolkit.core.Scaling;
import io.fctoolkit.core.image.BuiltImage;
import io.fctoolkit.core.image.FunctionImageBuilder;
import io.fctoolkit.core.image.ImageBuildRequest;
import io.fctoolkit.core.image.ImageTarget;
import io.fctoolkit.runtime.LocalPlatform;
import io.fctoolkit.runtime.RuntimeOptions;
import io.fctoolkit.runtime.RuntimeServer;
import io.fctoolkit.runtime.TestImages;
import io.fctoolkit.runtime.TriggerHost;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runtime benchmark (see bench/runtime/README.md): cold start through the runtime, a scale-out
 * burst, alias moves under steady load, and a rising load with and without standby ({@link
 * RisingLoad}). Prints a Markdown report on stdout.
 *
 * <p>Arguments: {@code [coldRuns=25] [burst=2000] [maxInstances=10] [switchSeconds=60] [rps=200]}.
 */
public final class RuntimeBench {

  static final String HELLO = "io.fctoolkit.runtime.testfn.Hello";
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(30))
          .build();

  public static void main(String[] args) throws Exception {
    int coldRuns = args.length > 0 ? Integer.parseInt(args[0]) : 25;
    int burst = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int maxInstances = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int switchSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
    int rps = args.length > 4 ? Integer.parseInt(args[4]) : 200;
    Path work = Files.createTempDirectory("fc-runtime-bench");
    TestImages.Built image = TestImages.build(work, "hello", "bench", true);
    ImageSource source = new ImageSource.Archive(image.tarball(), image.digest(), "local/hello");
    System.out.println("# fc-runtime benchmark");
    System.out.println();
    System.out.println(
        "- machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .findFirst()
                .orElse("?")
            + "; load average at start: "
            + Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.println("- runtime JVM: " + System.getProperty("java.version"));
    System.out.println();

    // -Dbench.sections=cold,overhead,burst,switch,rising (default: all)
    List<String> sections =
        List.of(
            System.getProperty("bench.sections", "cold,overhead,burst,switch,rising").split(","));
    // -Dbench.rising.function=hello,grader (default: both)
    List<String> risingFunctions =
        Arrays.stream(System.getProperty("bench.rising.function", "hello,grader").split(","))
            .map(String::trim)
            .toList();
    GraderImage grader =
        sections.contains("cold")
                || (sections.contains("rising") && risingFunctions.contains("grader"))
            ? graderSample(work)
            : null;
    if (sections.contains("cold")) {
      List<ColdTarget> targets = new ArrayList<>();
      targets.add(
          new ColdTarget(
              "hello",
              config("cold", 10, 1, Duration.ZERO, Map.of(), 0),
              source,
              "/invoke/cold/live",
              "",
              true));
      targets.addAll(graders(work, grader));
      // -Dbench.cold.jdks=HOME,HOME (default: Temurin 25 and the JDK running the benchmark)
      String jdks =
          System.getProperty(
              "bench.cold.jdks",
              "/usr/lib/jvm/temurin-25-jdk-amd64," + System.getProperty("java.home"));
      for (String jdk : jdks.split(",")) {
        coldStart(work, targets, jdk, coldRuns);
      }
    }
    if (sections.contains("overhead")) {
      overhead(work, source, 500);
    }
    if (sections.contains("burst")) {
      burst(work, source, burst, maxInstances);
    }
    if (sections.contains("switch")) {
      aliasSwitch(work, source, switchSeconds, rps);
    }
    if (sections.contains("rising")) {
      List<RisingLoad.Target> targets = new ArrayList<>();
      for (String f : risingFunctions) {
        switch (f) {
          case "hello" -> targets.add(RisingLoad.Target.hello(source));
          case "grader" -> {
            if (grader == null) {
              throw new IllegalStateException(
                  "-Dbench.rising.function includes grader, but -Dbench.grader.classes is not"
                      + " set: run bench/runtime/run.sh, or pass -Dbench.rising.function=hello");
            }
            targets.add(RisingLoad.Target.grader(grader));
          }
          default ->
              throw new IllegalArgumentException(
                  "-Dbench.rising.function: unknown function '"
                      + f
                      + "'; use hello, grader or hello,grader");
        }
      }
      RisingLoad.run(work, targets, "/usr/lib/jvm/temurin-25-jdk-amd64");
    }
  }

  static String get(RuntimeServer server, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(server.uri() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + server.token())
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static RuntimeServer start(Path work, String name, String jdk) throws Exception {
    return RuntimeServer.start(
        RuntimeOptions.forTest(work.resolve(name))
            .withInstanceJavaHome(jdk)
            .withQueue(10_000, Duration.ofSeconds(60))
            .withTriggers((i, d, e) -> TriggerHost.none()));
  }

  private static FunctionConfig config(
      String name, int concurrency, int max, Duration idle, Map<String, String> env) {
    return config(name, concurrency, max, idle, env, Scaling.DEFAULT_STANDBY);
  }

  /**
   * @param standby the headroom; 0 where a section measures starts from zero instances (a routed
   *     version otherwise keeps one ready)
   */
  private static FunctionConfig config(
      String name, int concurrency, int max, Duration idle, Map<String, String> env, int standby) {
    return FunctionConfig.builder(name, HELLO)
        .resources(new Resources(256, concurrency, Duration.ofSeconds(30)))
        .scaling(new Scaling(0, max, idle, standby))
        .env(env)
        .build();
  }

  private static HttpResponse<String> post(RuntimeServer server, String path) throws Exception {
    return HTTP.send(request(server, path), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(RuntimeServer server, String path, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .timeout(Duration.ofSeconds(120))
            .header("Authorization", "Bearer " + server.token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(RuntimeServer server, String path) {
    return HttpRequest.newBuilder(URI.create(server.uri() + path))
        .timeout(Duration.ofSeconds(120))
        .header("Authorization", "Bearer " + server.token())
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
  }

  /**
   * One function measured by the cold-start section.
   *
   * @param ownArchive whether its publish makes a class-data archive of its own (false: it shares
   *     the image and so the archive of a target before it)
   */
  private record ColdTarget(
      String label,
      FunctionConfig config,
      ImageSource source,
      String path,
      String body,
      boolean ownArchive) {}

  /**
   * The grader's image and one real grading request: the sample photo, served from a file root.
   *
   * @param source the image, made with fc-image's builder from the grader's classes and runtime
   *     dependencies
   * @param photos the folder holding the photo ({@code GRADER_FILE_ROOTS})
   * @param body a submission of the photo
   */
  record GraderImage(ImageSource source, Path photos, String body) {}

  /**
   * The grader (issue 4), when {@code bench/runtime/run.sh} passed its build ({@code
   * -Dbench.grader.*}); null otherwise.
   */
  private static GraderImage graderSample(Path work) throws Exception {
    String classes = System.getProperty("bench.grader.classes");
    if (classes == null || classes.isBlank()) {
      return null;
    }
    Path photos = Files.createDirectories(work.resolve("photos"));
    Path photo =
        Files.copy(Path.of(System.getProperty("bench.grader.photo")), photos.resolve("sample.jpg"));
    String body =
        "{\"submissionId\":\"bench-1\",\"studentId\":\"s-1\",\"imageUri\":\""
            + photo.toUri()
            + "\"}";
    return new GraderImage(graderImage(work, "grader", Path.of(classes), List.of()), photos, body);
  }

  /**
   * The grader's cold-start targets, none when {@code grader} is null: one real grading request as
   * the first request. With {@code -Dbench.grader.warmup=true} also the same image with {@code
   * GRADER_WARMUP=1} (a warm-up grading at every start); with {@code -Dbench.grader.baseline=DIR}
   * also an earlier grader's classes folder, measured side by side (issue 19).
   */
  private static List<ColdTarget> graders(Path work, GraderImage grader) throws Exception {
    if (grader == null) {
      return List.of();
    }
    Path photos = grader.photos();
    String body = grader.body();
    List<ColdTarget> out = new ArrayList<>();
    ImageSource image = grader.source();
    out.add(graderTarget("grader", "grader", image, photos, Map.of(), body, true));
    if (Boolean.getBoolean("bench.grader.warmup")) {
      out.add(
          graderTarget(
              "grader, GRADER_WARMUP=1",
              "graderwarm",
              image,
              photos,
              Map.of("GRADER_WARMUP", "1"),
              body,
              false));
    }
    String baseline = System.getProperty("bench.grader.baseline", "");
    if (!baseline.isBlank()) {
      // One more dependency jar gives the baseline's dependency layer, and so its class-data
      // archive, an identity of its own: otherwise both graders would share the first one trained.
      Path marker = work.resolve("baseline-marker.jar");
      try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(marker))) {
        jar.putNextEntry(new java.util.jar.JarEntry("baseline-marker.txt"));
        jar.write(baseline.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jar.closeEntry();
      }
      ImageSource base = graderImage(work, "grader-base", Path.of(baseline), List.of(marker));
      out.add(graderTarget("grader, baseline", "graderbase", base, photos, Map.of(), body, true));
    }
    return out;
  }

  private static ImageSource graderImage(Path work, String name, Path classes, List<Path> extra)
      throws Exception {
    List<Path> deps = new ArrayList<>();
    for (String s : System.getProperty("bench.grader.deps", "").split(":")) {
      if (s.endsWith(".jar")) {
        deps.add(Path.of(s));
      }
    }
    // provided scope in the grader's pom: the image carries it, as fc:build does
    deps.add(
        Path.of(
            com.google.cloud.functions.HttpFunction.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI()));
    deps.addAll(extra);
    BuiltImage image =
        new FunctionImageBuilder(e -> {})
            .build(
                ImageBuildRequest.builder("grader", "io.fctoolkit.grader.GraderFunction")
                    .classes(classes)
                    .dependencies(deps)
                    .hostJar(TestImages.hostJar(work))
                    .baseImage(FunctionImageBuilder.SCRATCH)
                    .target(
                        new ImageTarget.Archive(
                            work.resolve(name + "-image.tar"),
                            ImageRef.parse("local/" + name + ":bench")))
                    .outputDirectory(work.resolve(name + "-image-build"))
                    .offline(true)
                    .build());
    return image.toImageSource();
  }

  private static ColdTarget graderTarget(
      String label,
      String function,
      ImageSource image,
      Path photos,
      Map<String, String> env,
      String body,
      boolean ownArchive) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("GRADER_FILE_ROOTS", photos.toString());
    FunctionConfig config =
        FunctionConfig.builder(function, "io.fctoolkit.grader.GraderFunction")
            .resources(new Resources(512, 10, Duration.ofSeconds(60)))
            // standby 0: this section measures starts from zero instances
            .scaling(new Scaling(0, 1, Duration.ZERO, 0))
            .env(all)
            .build();
    return new ColdTarget(label, config, image, "/invoke/" + function + "/live", body, ownArchive);
  }

  /**
   * Cold starts of each target on one runtime whose instances run on {@code jdk}, interleaved run
   * by run so that all targets see the same machine load.
   */
  private static void coldStart(Path work, List<ColdTarget> targets, String jdk, int runs)
      throws Exception {
    try (RuntimeServer server = start(work, "cold-" + Path.of(jdk).getFileName(), jdk)) {
      LocalPlatform platform = server.client();
      String runtimeInfo =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create(server.uri() + "/v1/runtime"))
                      .header("Authorization", "Bearer " + server.token())
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      List<String> notes = new ArrayList<>();
      for (ColdTarget t : targets) {
        String fn = t.config().name();
        long archivesBefore = archiveCount(server.stateDir());
        long t0 = System.nanoTime();
        platform.publish(new PublishRequest(t.config(), t.source(), null));
        long publishMs = (System.nanoTime() - t0) / 1_000_000;
        platform.putAlias(new AliasUpdate(fn, "live", AliasTarget.of(1), 0L));
        // Publish answers once the first instance is ready; the class-data archive is made after,
        // in the background. Measure cold starts with it, as every start after that has it.
        if (t.ownArchive()) {
          waitFor(() -> archiveCount(server.stateDir()) > archivesBefore, 900_000);
        }
        // and for every training run of this runtime to end, so none competes with the runs.
        waitFor(() -> !trainingRunning(server.stateDir()), 900_000);
        long archiveMs = (System.nanoTime() - t0) / 1_000_000;
        notes.add(
            t.label()
                + ": publish (first instance ready) "
                + publishMs
                + " ms, class-data archive ready "
                + archiveMs
                + " ms after publish started");
      }
      double[][] total = new double[targets.size()][runs];
      double[][] launch = new double[targets.size()][runs];
      double[][] warm = new double[targets.size()][runs];
      double[][] cpu = new double[targets.size()][runs];
      for (int i = 0; i < runs; i++) {
        for (int k = 0; k < targets.size(); k++) {
          ColdTarget t = targets.get(k);
          String fn = t.config().name();
          waitFor(() -> platform.metrics(fn).versions().get(0).instances() == 0, 60_000);
          Thread.sleep(300);
          long start = System.nanoTime();
          HttpResponse<String> r = post(server, t.path(), t.body());
          total[k][i] = (System.nanoTime() - start) / 1e6;
          if (r.statusCode() != 200) {
            throw new IllegalStateException(
                t.label() + " cold start failed: " + r.statusCode() + " " + r.body());
          }
          cpu[k][i] = instanceCpuMs(server, fn);
          // The same request again on the now warm instance: what the cold start adds is the
          // difference.
          long w0 = System.nanoTime();
          post(server, t.path(), t.body());
          warm[k][i] = (System.nanoTime() - w0) / 1e6;
          String instances =
              HTTP.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  server.uri() + "/v1/functions/" + fn + "/versions/1/instances"))
                          .header("Authorization", "Bearer " + server.token())
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body();
          var node = io.fctoolkit.runtime.internal.RuntimeJson.MAPPER.readTree(instances);
          launch[k][i] = node.size() > 0 ? node.get(0).get("coldStartMs").asDouble() : Double.NaN;
        }
      }
      System.out.println("## Cold start (zero instances to first response), instances on " + jdk);
      System.out.println();
      System.out.println("- runtime: " + runtimeInfo);
      for (String n : notes) {
        System.out.println("- " + n);
      }
      System.out.println(
          "- "
              + runs
              + " runs, functions interleaved; each: wait for scale to zero, then one POST through"
              + " the runtime (hello: empty body; grader: a real grading of the sample photo from a"
              + " file root), then the same POST again on the warm instance; load average now: "
              + Files.readString(Path.of("/proc/loadavg")).trim());
      System.out.println();
      System.out.println("| function | figure | p50 ms | p95 ms | min ms | max ms |");
      System.out.println("|---|---|---|---|---|---|");
      for (int k = 0; k < targets.size(); k++) {
        String label = targets.get(k).label();
        row(label + " | first request through runtime (client-measured)", total[k]);
        row(label + " | instance launch to ready line", launch[k]);
        row(label + " | the same request again, warm", warm[k]);
        row(label + " | instance CPU time, launch to just after the first answer", cpu[k]);
      }
      System.out.println();
    }
  }

  /**
   * The CPU time the instance of {@code fn} has used so far, all its threads (JIT compilers and GC
   * included), from {@code /proc/PID/task/*}{@code /schedstat}; NaN where there is no such file.
   * Wall-clock figures on a shared machine include waiting for a core; this does not.
   */
  private static double instanceCpuMs(RuntimeServer server, String fn) throws Exception {
    String instances =
        HTTP.send(
                HttpRequest.newBuilder(
                        URI.create(server.uri() + "/v1/functions/" + fn + "/versions/1/instances"))
                    .header("Authorization", "Bearer " + server.token())
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    var node = io.fctoolkit.runtime.internal.RuntimeJson.MAPPER.readTree(instances);
    if (node.size() == 0) {
      return Double.NaN;
    }
    return processCpuMs(node.get(0).get("pid").asText());
  }

  /** The CPU time of all instances of version 1 of {@code fn} now alive (0 when none). */
  static double instancesCpuMs(RuntimeServer server, String fn) throws Exception {
    String instances =
        HTTP.send(
                HttpRequest.newBuilder(
                        URI.create(server.uri() + "/v1/functions/" + fn + "/versions/1/instances"))
                    .header("Authorization", "Bearer " + server.token())
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    for (var i : io.fctoolkit.runtime.internal.RuntimeJson.MAPPER.readTree(instances)) {
      double ms = processCpuMs(i.get("pid").asText());
      sum += Double.isNaN(ms) ? 0 : ms;
    }
    return sum;
  }

  private static double processCpuMs(String pid) {
    long ns = 0;
    try (var list = Files.list(Path.of("/proc", pid, "task"))) {
      for (Path task : list.toList()) {
        try {
          ns += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
        } catch (java.io.IOException e) {
          // a thread that ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return Double.NaN;
    }
    return ns / 1e6;
  }

  /** Whether a training run of the runtime at {@code stateDir} is still going on. */
  static boolean trainingRunning(Path stateDir) {
    String archives = stateDir.resolve("archives").toString();
    try (var procs = Files.list(Path.of("/proc"))) {
      return procs.anyMatch(
          p -> {
            try {
              String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
              return cmd.contains(archives)
                  && (cmd.contains("AOTCacheOutput")
                      || cmd.contains("AOTMode=create")
                      || cmd.contains("ArchiveClassesAtExit"));
            } catch (java.io.IOException | RuntimeException e) {
              return false; // not a process, or it ended meanwhile
            }
          });
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static long archiveCount(Path stateDir) {
    Path root = stateDir.resolve("archives");
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (var files = Files.walk(root)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".aot") || n.endsWith(".jsa"))
          .count();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /**
   * The runtime's own cost per request: the same warm instance called directly and through the
   * runtime, interleaved one by one so both see the same machine load.
   */
  private static void overhead(Path work, ImageSource source, int n) throws Exception {
    try (RuntimeServer server = start(work, "overhead", "/usr/lib/jvm/temurin-25-jdk-amd64")) {
      LocalPlatform platform = server.client();
      platform.publish(
          new PublishRequest(
              config("direct", 10, 1, Duration.ofMinutes(5), Map.of()), source, null));
      platform.putAlias(new AliasUpdate("direct", "live", AliasTarget.of(1), 0L));
      post(server, "/invoke/direct/live");
      String instances =
          HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create(server.uri() + "/v1/functions/direct/versions/1/instances"))
                      .header("Authorization", "Bearer " + server.token())
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      int port =
          io.fctoolkit.runtime.internal.RuntimeJson.MAPPER
              .readTree(instances)
              .get(0)
              .get("port")
              .asInt();
      HttpRequest direct =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      HttpRequest routed = request(server, "/invoke/direct/live");
      for (int i = 0; i < 100; i++) { // warm both paths (JIT) before measuring
        HTTP.send(direct, HttpResponse.BodyHandlers.ofString());
        HTTP.send(routed, HttpResponse.BodyHandlers.ofString());
      }
      double[] d = new double[n];
      double[] r = new double[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        HTTP.send(direct, HttpResponse.BodyHandlers.ofString());
        long t1 = System.nanoTime();
        HTTP.send(routed, HttpResponse.BodyHandlers.ofString());
        long t2 = System.nanoTime();
        d[i] = (t1 - t0) / 1e6;
        r[i] = (t2 - t1) / 1e6;
      }
      System.out.println("## Routing overhead (warm instance, sequential, interleaved)");
      System.out.println();
      System.out.println(
          "- "
              + n
              + " pairs: one request straight to the instance's port, one through /invoke"
              + " (token check, alias resolution, slot, proxy)");
      System.out.println();
      System.out.println("| path | p50 ms | p95 ms | min ms | max ms |");
      System.out.println("|---|---|---|---|---|");
      row("direct to the instance", d);
      row("through the runtime", r);
      System.out.printf(
          "%nMedian added by the runtime: %.2f ms (ratio %.2fx).%n%n",
          pct(r, 50) - pct(d, 50), pct(r, 50) / pct(d, 50));
    }
  }

  private static void burst(Path work, ImageSource source, int n, int max) throws Exception {
    try (RuntimeServer server = start(work, "burst", "/usr/lib/jvm/temurin-25-jdk-amd64")) {
      LocalPlatform platform = server.client();
      platform.publish(
          new PublishRequest(
              config("work", 10, max, Duration.ofMinutes(5), Map.of()), source, null));
      platform.putAlias(new AliasUpdate("work", "live", AliasTarget.of(1), 0L));
      AtomicInteger errors = new AtomicInteger();
      ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
      double[] latency = new double[n];
      List<CompletableFuture<Void>> all = new ArrayList<>();
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long benchCpu0 = os.getProcessCpuTime();
      double instancesCpu0 = instancesCpuMs(server, "work");
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        int k = i;
        long sent = System.nanoTime();
        all.add(
            HTTP.sendAsync(
                    request(server, "/invoke/work/live?sleep=50"),
                    HttpResponse.BodyHandlers.ofString())
                .handle(
                    (r, e) -> {
                      latency[k] = (System.nanoTime() - sent) / 1e6;
                      if (e != null || r.statusCode() != 200) {
                        errors.incrementAndGet();
                        if (errorSamples.size() < 5) {
                          errorSamples.add(
                              e != null ? e.toString() : r.statusCode() + " " + r.body());
                        }
                      }
                      return null;
                    }));
      }
      int peak = 0;
      while (!all.stream().allMatch(CompletableFuture::isDone)) {
        peak = Math.max(peak, platform.metrics("work").versions().get(0).instances());
        Thread.sleep(20);
      }
      double drainMs = (System.nanoTime() - start) / 1e6;
      double benchCpuMs = (os.getProcessCpuTime() - benchCpu0) / 1e6;
      double instancesCpuMs = instancesCpuMs(server, "work") - instancesCpu0;
      peak = Math.max(peak, platform.metrics("work").versions().get(0).instances());
      var m = platform.metrics("work").versions().get(0);
      double ideal = Math.ceil(n / (max * 10.0)) * 50;
      System.out.println("## Scale-out burst");
      System.out.println();
      System.out.println(
          "- "
              + n
              + " concurrent requests (all sent at once) of 50 ms work; concurrency 10 per instance; max "
              + max
              + " instances; starting from zero instances");
      System.out.println();
      System.out.println(
          "| peak instances | cold starts | p50 ms | p99 ms | max ms | errors | drain ms | ideal drain ms (work only, warm) |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      System.out.printf(
          "| %d | %d | %.0f | %.0f | %.0f | %d | %.0f | %.0f |%n",
          peak,
          m.coldStarts(),
          pct(latency, 50),
          pct(latency, 99),
          pct(latency, 100),
          errors.get(),
          drainMs,
          ideal);
      System.out.printf(
          "%nCPU time during the burst: %.0f ms in the benchmark's JVM (client and runtime, one"
              + " process), %.0f ms in the instances (their start included); %d cores x %.0f ms"
              + " drain = %.0f ms available; load average at the end: %s%n",
          benchCpuMs,
          instancesCpuMs,
          Runtime.getRuntime().availableProcessors(),
          drainMs,
          Runtime.getRuntime().availableProcessors() * drainMs,
          Files.readString(Path.of("/proc/loadavg")).trim());
      if (!errorSamples.isEmpty()) {
        System.out.println();
        System.out.println("Error samples: " + errorSamples);
      }
      System.out.println();
    }
  }

  private static void aliasSwitch(Path work, ImageSource source, int seconds, int rps)
      throws Exception {
    try (RuntimeServer server = start(work, "switch", "/usr/lib/jvm/temurin-25-jdk-amd64")) {
      LocalPlatform platform = server.client();
      for (String g : List.of("one", "two", "three")) {
        platform.publish(
            new PublishRequest(
                config("steady", 10, 10, Duration.ofMinutes(5), Map.of("GREETING", g)),
                source,
                null));
      }
      Alias alias = platform.putAlias(new AliasUpdate("steady", "live", AliasTarget.of(1), 0L));
      post(server, "/invoke/steady/live");
      long periodNanos = 1_000_000_000L / rps;
      int total = seconds * rps;
      double[] latency = new double[total];
      long[] sentAt = new long[total];
      int[] status = new int[total];
      List<CompletableFuture<Void>> all = new ArrayList<>();
      long start = System.nanoTime();
      long switchAt = start + seconds * 1_000_000_000L / 2;
      long canary10At = start + seconds * 1_000_000_000L * 2 / 3;
      long canary50At = start + seconds * 1_000_000_000L * 5 / 6;
      List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      // Moves run on their own thread: a move waits for warm-up, the open-loop sender must not.
      Alias initial = alias;
      Thread mover =
          new Thread(
              () -> {
                try {
                  Alias a = initial;
                  sleepUntil(switchAt);
                  a = move(platform, a, AliasTarget.of(2), events, start);
                  sleepUntil(canary10At);
                  a =
                      move(
                          platform,
                          a,
                          AliasTarget.canary(2, 3, new BigDecimal("10"), Affinity.NONE),
                          events,
                          start);
                  sleepUntil(canary50At);
                  move(
                      platform,
                      a,
                      AliasTarget.canary(2, 3, new BigDecimal("50"), Affinity.NONE),
                      events,
                      start);
                } catch (Exception e) {
                  events.add("move failed: " + e);
                }
              },
              "bench-mover");
      mover.start();
      for (int i = 0; i < total; i++) {
        long due = start + i * periodNanos;
        long now;
        while ((now = System.nanoTime()) < due) {
          long left = due - now;
          if (left > 2_000_000) {
            Thread.sleep(1);
          } else {
            Thread.onSpinWait();
          }
        }
        int k = i;
        sentAt[k] = System.nanoTime();
        all.add(
            HTTP.sendAsync(
                    request(server, "/invoke/steady/live?sleep=5"),
                    HttpResponse.BodyHandlers.ofString())
                .handle(
                    (r, e) -> {
                      latency[k] = (System.nanoTime() - sentAt[k]) / 1e6;
                      status[k] = e != null ? -1 : r.statusCode();
                      return null;
                    }));
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
      mover.join();
      double elapsed = (System.nanoTime() - start) / 1e9;
      int failed = 0;
      for (int s : status) {
        if (s != 200) {
          failed++;
        }
      }
      System.out.println("## Alias moves under steady load");
      System.out.println();
      System.out.printf(
          "- %d requests at %d req/s open loop (%.1f s actual), 5 ms work, concurrency 10, max 10%n",
          total, rps, elapsed);
      System.out.println("- moves: " + String.join("; ", events));
      System.out.println();
      System.out.println("| window | requests | failed | p50 ms | p99 ms |");
      System.out.println("|---|---|---|---|---|");
      window("before switch (0 to switch)", sentAt, latency, status, start, switchAt);
      window(
          "during (switch to +5 s)", sentAt, latency, status, switchAt, switchAt + 5_000_000_000L);
      window(
          "after switch, before canary",
          sentAt,
          latency,
          status,
          switchAt + 5_000_000_000L,
          canary10At);
      window("canary 10%", sentAt, latency, status, canary10At, canary50At);
      window("canary 50%", sentAt, latency, status, canary50At, Long.MAX_VALUE);
      System.out.printf(
          "| **all** | %d | %d | %.1f | %.1f |%n",
          total, failed, pct(latency, 50), pct(latency, 99));
      System.out.println();
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, left / 1_000_000));
    }
  }

  private static Alias move(
      LocalPlatform platform, Alias alias, AliasTarget target, List<String> events, long start) {
    long t = System.nanoTime();
    Alias moved = platform.putAlias(new AliasUpdate("steady", "live", target, alias.revision()));
    events.add(
        String.format(
            "%.1f s: -> %s (call took %d ms incl. warm-up)",
            (t - start) / 1e9, target, (System.nanoTime() - t) / 1_000_000));
    return moved;
  }

  private static void window(
      String name, long[] sentAt, double[] latency, int[] status, long from, long to) {
    List<Double> l = new ArrayList<>();
    int failed = 0;
    for (int i = 0; i < sentAt.length; i++) {
      if (sentAt[i] >= from && sentAt[i] < to) {
        l.add(latency[i]);
        if (status[i] != 200) {
          failed++;
        }
      }
    }
    double[] arr = l.stream().mapToDouble(Double::doubleValue).toArray();
    System.out.printf(
        "| %s | %d | %d | %.1f | %.1f |%n", name, arr.length, failed, pct(arr, 50), pct(arr, 99));
  }

  private static void row(String name, double[] values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
    System.out.printf(
        "| %s | %.1f | %.1f | %.1f | %.1f |%n",
        name, pct(v, 50), pct(v, 95), pct(v, 0), pct(v, 100));
  }

  static double pct(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int idx = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, idx))];
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitFor(Check check, long ms) throws Exception {
    long deadline = System.currentTimeMillis() + ms;
    while (!check.ok()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("timed out waiting");
      }
      Thread.sleep(50);
    }
  }
}
