package io.fctoolkit.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Cold start of a hello {@code HttpFunction}: from launching the host process to the first
 * successful HTTP response, for fc-host and Google's java-function-invoker on JDK 17 and 25, plain
 * and with a class-data archive. Variants run interleaved, run by run, so that load from other
 * processes on a shared machine hits all of them alike.
 */
public final class ColdStart {
  private static final String TARGET = "functions.HelloWorld";
  private static final String INVOKER_MAIN = "com.google.cloud.functions.invoker.runner.Invoker";

  /** One row of the table. */
  record Variant(
      String host,
      String jdk,
      String mode,
      Path java,
      List<String> flags,
      List<String> args,
      String classpath,
      Map<String, String> env) {
    String name() {
      return host + " | " + jdk + " | " + mode;
    }
  }

  private static String nice;

  public static void main(String[] argv) throws Exception {
    Map<String, String> opts = options(argv);
    nice = opts.get("nice");
    int runs = Integer.parseInt(opts.getOrDefault("runs", "20"));
    Path work = Paths.get(opts.getOrDefault("work", "bench/coldstart/target/work"));
    Path out = Paths.get(opts.getOrDefault("out", "bench/coldstart/results.md"));
    Pattern only = Pattern.compile(opts.getOrDefault("only", ".*"));
    Path java17 =
        Paths.get(opts.getOrDefault("java17", "/usr/lib/jvm/java-17-openjdk-amd64"), "bin", "java");
    Path java25 =
        Paths.get(opts.getOrDefault("java25", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
    Path lib = Paths.get(opts.getOrDefault("lib", "bench/coldstart/target/lib"));
    String app =
        Paths.get(opts.getOrDefault("app", "bench/coldstart/target/coldstart.jar"))
            .toAbsolutePath()
            .toString();
    String fcHost =
        Paths.get(opts.getOrDefault("fc-host", "fc-host/target/fc-host-0.1.0-SNAPSHOT.jar"))
            .toAbsolutePath()
            .toString();
    String api = lib.resolve("functions-framework-api.jar").toAbsolutePath().toString();
    String cloudevents = lib.resolve("cloudevents-api.jar").toAbsolutePath().toString();
    String invoker = lib.resolve("java-function-invoker.jar").toAbsolutePath().toString();
    Files.createDirectories(work);

    // The classpath layout of docs/architecture.md section 3; the invoker gets the function on
    // its class path too (not --classpath), so that its archive can hold the function's classes.
    String fcCp = String.join(File.pathSeparator, fcHost, api, cloudevents, app);
    String invCp = String.join(File.pathSeparator, invoker, app);
    List<String> tuned = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");

    List<Variant> all = new ArrayList<>();
    for (String jdk : List.of("17", "25")) {
      Path java = jdk.equals("17") ? java17 : java25;
      Path fcArchive =
          work.resolve("fc-host-" + jdk + (jdk.equals("17") ? ".jsa" : ".aot")).toAbsolutePath();
      Path invArchive =
          work.resolve("invoker-" + jdk + (jdk.equals("17") ? ".jsa" : ".aot")).toAbsolutePath();
      String archiveMode = jdk.equals("17") ? "AppCDS" : "AOT cache";
      List<String> useFc = useArchive(jdk, fcArchive);
      List<String> useInv = useArchive(jdk, invArchive);
      Map<String, String> fcEnv = Map.of("FUNCTION_TARGET", TARGET, "FC_BIND", "127.0.0.1");
      List<String> invArgs = List.of(INVOKER_MAIN, "--target", TARGET, "--port", "{port}");
      List<String> fcArgs = List.of("io.fctoolkit.host.FcHost");
      all.add(new Variant("fc-host", jdk, "plain", java, List.of(), fcArgs, fcCp, fcEnv));
      all.add(new Variant("fc-host", jdk, archiveMode, java, useFc, fcArgs, fcCp, fcEnv));
      all.add(
          new Variant(
              "fc-host",
              jdk,
              archiveMode + " + tuned",
              java,
              concat(useFc, tuned),
              fcArgs,
              fcCp,
              fcEnv));
      // Exploration: --extra-flags "label=-XX:Foo -XX:Bar;label2=..." adds fc-host rows with the
      // archive plus those flags.
      String extra = opts.get("extra-flags");
      if (extra != null) {
        for (String spec : extra.split(";")) {
          int eq = spec.indexOf('=');
          all.add(
              new Variant(
                  "fc-host",
                  jdk,
                  archiveMode + " + " + spec.substring(0, eq),
                  java,
                  concat(useFc, List.of(spec.substring(eq + 1).trim().split("\\s+"))),
                  fcArgs,
                  fcCp,
                  fcEnv));
        }
      }
      all.add(new Variant("invoker", jdk, "plain", java, List.of(), invArgs, invCp, Map.of()));
      all.add(new Variant("invoker", jdk, archiveMode, java, useInv, invArgs, invCp, Map.of()));
      all.add(
          new Variant(
              "invoker",
              jdk,
              archiveMode + " + tuned",
              java,
              concat(useInv, tuned),
              invArgs,
              invCp,
              Map.of()));
      // Baselines: other mains on the same class path (e.g. io.fctoolkit.bench.baseline.*).
      String custom = opts.get("custom-main");
      if (custom != null) {
        for (String main : custom.split(",")) {
          String simple = main.substring(main.lastIndexOf('.') + 1);
          all.add(new Variant(simple, jdk, "plain", java, List.of(), List.of(main), fcCp, fcEnv));
        }
      }
      // --reuse-archives true: measure archives already in --work (made some other way).
      boolean reuse = Boolean.parseBoolean(opts.getOrDefault("reuse-archives", "false"));
      if (!reuse && only.matcher("fc-host | " + jdk + " | " + archiveMode).find()) {
        trainFcHost(java, jdk, fcArchive, fcCp, work);
      }
      if (only.matcher("invoker | " + jdk + " | " + archiveMode).find()) {
        trainInvoker(java, jdk, invArchive, invCp, invArgs, work);
      }
    }
    List<Variant> variants = new ArrayList<>();
    for (Variant v : all) {
      if (only.matcher(v.name()).find()) {
        variants.add(v);
      }
    }
    Map<Variant, List<Double>> results = new LinkedHashMap<>();
    Map<Variant, List<Double>> cpu = new LinkedHashMap<>();
    for (Variant v : variants) {
      results.put(v, new ArrayList<>());
      cpu.put(v, new ArrayList<>());
      measure(v); // warm the OS page cache; not counted
    }
    for (int run = 0; run < runs; run++) {
      // Rotate the order each run so that no variant always follows the same neighbour.
      for (int i = 0; i < variants.size(); i++) {
        Variant v = variants.get((i + run) % variants.size());
        double[] m = measure(v);
        results.get(v).add(m[0]);
        cpu.get(v).add(m[1]);
      }
      System.err.printf(Locale.ROOT, "run %d/%d done%n", run + 1, runs);
    }
    String report = report(results, cpu, runs, java17, java25, String.join(" ", argv));
    System.out.println(report);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report);
    StringBuilder csv = new StringBuilder("variant,run,wall_ms,cpu_ms\n");
    for (Map.Entry<Variant, List<Double>> e : results.entrySet()) {
      for (int i = 0; i < e.getValue().size(); i++) {
        csv.append('"')
            .append(e.getKey().name())
            .append("\",")
            .append(i + 1)
            .append(',')
            .append(String.format(Locale.ROOT, "%.1f", e.getValue().get(i)))
            .append(',')
            .append(String.format(Locale.ROOT, "%.0f", cpu.get(e.getKey()).get(i)))
            .append('\n');
      }
    }
    Files.writeString(Paths.get(out.toString().replaceAll("\\.md$", "") + ".csv"), csv);
  }

  private static List<String> useArchive(String jdk, Path archive) {
    return jdk.equals("17")
        ? List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto")
        : List.of("-XX:AOTCache=" + archive);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> r = new ArrayList<>(a);
    r.addAll(b);
    return r;
  }

  /** fc-host's own training run: FC_TRAIN=1, the JVM writes the archive when it exits 0. */
  private static void trainFcHost(Path java, String jdk, Path archive, String cp, Path work)
      throws Exception {
    Files.deleteIfExists(archive);
    List<String> cmd = new ArrayList<>(List.of(java.toString()));
    cmd.add(
        jdk.equals("17") ? "-XX:ArchiveClassesAtExit=" + archive : "-XX:AOTCacheOutput=" + archive);
    cmd.addAll(List.of("-cp", cp, "io.fctoolkit.host.FcHost"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("train-fc-host-" + jdk + ".log").toFile());
    pb.environment().put("FUNCTION_TARGET", TARGET);
    pb.environment().put("FC_TRAIN", "1");
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(archive)) {
      p.destroyForcibly();
      throw new IllegalStateException("fc-host training on JDK " + jdk + " failed; see " + work);
    }
  }

  /** The invoker has no training mode: serve a few requests, then SIGTERM so the JVM dumps. */
  private static void trainInvoker(
      Path java, String jdk, Path archive, String cp, List<String> args, Path work)
      throws Exception {
    Files.deleteIfExists(archive);
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of(java.toString()));
    cmd.add(
        jdk.equals("17") ? "-XX:ArchiveClassesAtExit=" + archive : "-XX:AOTCacheOutput=" + archive);
    cmd.addAll(List.of("-cp", cp));
    for (String a : args) {
      cmd.add(a.replace("{port}", Integer.toString(port)));
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("train-invoker-" + jdk + ".log").toFile())
            .start();
    try {
      for (int i = 0; i < 20; i++) {
        awaitResponse(port, p, 60_000);
      }
      p.destroy();
      if (!p.waitFor(120, TimeUnit.SECONDS) || !Files.exists(archive)) {
        throw new IllegalStateException(
            "invoker training on JDK " + jdk + " wrote no archive; see " + work);
      }
    } finally {
      p.destroyForcibly();
    }
  }

  /** One cold start: wall milliseconds, and the CPU milliseconds the host process used. */
  private static double[] measure(Variant v) throws Exception {
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    if (nice != null) {
      // Optional: run the hosts ahead of the other workloads of a shared machine (an
      // approximation of an idle machine; stated in the report's header).
      cmd.addAll(List.of("nice", "-n", nice));
    }
    cmd.add(v.java().toString());
    cmd.addAll(v.flags());
    cmd.addAll(List.of("-cp", v.classpath()));
    for (String a : v.args()) {
      cmd.add(a.replace("{port}", Integer.toString(port)));
    }
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(v.env());
    pb.environment().put("PORT", Integer.toString(port));
    long start = System.nanoTime();
    Process p = pb.start();
    try {
      awaitResponse(port, p, 60_000);
      double wall = (System.nanoTime() - start) / 1e6;
      return new double[] {wall, cpuMillis(p.pid())};
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Polls (every ~1 ms) until GET / answers 200 with the hello body. */
  private static void awaitResponse(int port, Process p, long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    byte[] request =
        ("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("host exited with " + p.exitValue() + " before answering");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        s.setSoTimeout(30_000);
        OutputStream o = s.getOutputStream();
        o.write(request);
        o.flush();
        InputStream in = s.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        if (response.startsWith("HTTP/1.1 200") && response.endsWith("Hello World!")) {
          return;
        }
      } catch (ConnectException notYet) {
        // not listening yet
      } catch (IOException reset) {
        // accepted but reset while starting; try again
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("no response within " + timeoutMs + " ms");
  }

  /**
   * CPU time (user + system, all threads) the process has used so far, from /proc: unlike wall time
   * it hardly depends on what else runs on the machine. Clock ticks are 10 ms, so only averages
   * over many runs mean something.
   */
  private static double cpuMillis(long pid) {
    try {
      String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields 14 and 15 of stat (utime, stime) are at index 11 and 12 after the command name
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static double percentile(List<Double> values, double p) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static String report(
      Map<Variant, List<Double>> results,
      Map<Variant, List<Double>> cpu,
      int runs,
      Path java17,
      Path java25,
      String args)
      throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append("Cold start: process launch to first HTTP 200 of a hello HttpFunction, ")
        .append(runs)
        .append(" interleaved runs per row (nearest-rank percentiles).\n\n");
    sb.append("- date: ").append(Instant.now()).append('\n');
    sb.append("- machine: nproc=")
        .append(Runtime.getRuntime().availableProcessors())
        .append(", load average at end: ")
        .append(Files.readString(Paths.get("/proc/loadavg")).trim())
        .append('\n');
    sb.append("- JDK 17: ").append(version(java17)).append('\n');
    sb.append("- JDK 25: ").append(version(java25)).append('\n');
    sb.append("- harness arguments: `").append(args).append("`\n");
    sb.append("- host process priority: ")
        .append(
            nice == null ? "normal (shares the CPUs with the other workloads)" : "nice -n " + nice)
        .append("\n\n");
    sb.append(
        "| host | JDK | mode | flags | p50 ms | p95 ms | min ms | p50 / invoker p50 (same JDK, same mode) | mean CPU ms |\n");
    sb.append("|---|---|---|---|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<Variant, List<Double>> e : results.entrySet()) {
      Variant v = e.getKey();
      double p50 = percentile(e.getValue(), 50);
      String ratio = "";
      if (v.host().equals("fc-host")) {
        for (Map.Entry<Variant, List<Double>> o : results.entrySet()) {
          Variant w = o.getKey();
          if (w.host().equals("invoker") && w.jdk().equals(v.jdk()) && w.mode().equals(v.mode())) {
            ratio = String.format(Locale.ROOT, "%.2f", p50 / percentile(o.getValue(), 50));
          }
        }
      }
      double meanCpu = cpu.get(v).stream().mapToDouble(Double::doubleValue).average().orElse(0);
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | `%s` | %.0f | %.0f | %.0f | %s | %.0f |%n",
              v.host(),
              v.jdk(),
              v.mode(),
              String.join(" ", v.flags()).replaceAll("=/\\S*/", "=…/"),
              p50,
              percentile(e.getValue(), 95),
              e.getValue().stream().mapToDouble(Double::doubleValue).min().orElse(0),
              ratio,
              meanCpu));
    }
    return sb.toString();
  }

  private static String version(Path java) throws Exception {
    Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    String[] lines = text.split("\n");
    return lines.length > 1 ? lines[1].trim() : text.trim();
  }

  private static Map<String, String> options(String[] argv) {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("Usage: --name value ...; got " + Arrays.toString(argv));
      }
      opts.put(argv[i].substring(2), argv[++i]);
    }
    return opts;
  }
}
