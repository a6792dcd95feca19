package io.fctoolkit.grader.bench;

import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.WorksheetGrader;
import io.fctoolkit.grader.sim.PhotoSimulator;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * This grader and a baseline grader (another build's {@code target/classes}) in one JVM, each in
 * its own class loader, grading the same photos in alternating order, photo by photo, on one
 * thread. Separate runs one after the other see the machine's load change between them (on a shared
 * 2-core machine, by 10% and more); here both see the same moments, so the per-photo ratio of their
 * thread CPU times is the figure to trust, and each grader's own p50 is read beside it.
 *
 * <p>Usage: {@code LatencyPair baselineClassesDir [width] [height] [photos] [warmupRounds]
 * [measuredRounds]}; the photos are those of {@link LatencyBenchmark} (seeds 5,000,000...).
 */
public final class LatencyPair {

  private LatencyPair() {}

  /** A grader loaded from {@code classes} plus the shared dependencies. */
  private record Loaded(String name, Object grader, Method grade) {

    static Loaded from(String name, Path classes, List<URL> dependencies) throws Exception {
      List<URL> urls = new ArrayList<>();
      urls.add(classes.toUri().toURL());
      urls.addAll(dependencies);
      // The platform loader as parent: the application class path (this grader) stays unseen.
      var loader =
          new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
      Class<?> registry = loader.loadClass(LayoutRegistry.class.getName());
      Class<?> graderClass = loader.loadClass(WorksheetGrader.class.getName());
      Object layouts = registry.getMethod("builtIn").invoke(null);
      Object grader =
          graderClass.getConstructor(registry, long.class).newInstance(layouts, 50_000_000L);
      return new Loaded(name, grader, graderClass.getMethod("grade", byte[].class, String.class));
    }

    Object grade(byte[] jpeg) throws Exception {
      return grade.invoke(grader, jpeg, null);
    }
  }

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    Path baseline = Path.of(args[0]);
    int width = args.length > 1 ? Integer.parseInt(args[1]) : 1600;
    int height = args.length > 2 ? Integer.parseInt(args[2]) : 1200;
    int photos = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 200;
    int measured = args.length > 5 ? Integer.parseInt(args[5]) : 400;
    Path own =
        Path.of(WorksheetGrader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path tests =
        Path.of(LatencyPair.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<URL> dependencies = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry).toAbsolutePath();
      if (!entry.isEmpty() && !path.equals(own) && !path.equals(tests)) {
        dependencies.add(url(path));
      }
    }
    Loaded[] graders = {
      Loaded.from("this grader (" + own + ")", own, dependencies),
      Loaded.from("baseline (" + baseline + ")", baseline, dependencies)
    };
    var simulator =
        new PhotoSimulator(
            LayoutRegistry.builtIn().all(), PhotoSimulator.Ranges.DEFAULT.withoutOtherPhotos());
    List<byte[]> jpegs = new ArrayList<>();
    for (int i = 0; i < photos; i++) {
      jpegs.add(simulator.photo(5_000_000L + i, width, height).jpeg());
    }
    var threads = ManagementFactory.getThreadMXBean();
    double[][] cpu = new double[2][measured];
    double[][] wall = new double[2][measured];
    int same = 0;
    for (int round = 0; round < warmup + measured; round++) {
      byte[] jpeg = jpegs.get(round % photos);
      String[] outputs = new String[2];
      for (int k = 0; k < 2; k++) {
        int g = round % 2 == 0 ? k : 1 - k; // who goes first alternates
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Object grade = graders[g].grade(jpeg);
        long t1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        outputs[g] = withoutTimings(grade.toString());
        if (round >= warmup) {
          cpu[g][round - warmup] = (c1 - c0) / 1e6;
          wall[g][round - warmup] = (t1 - t0) / 1e6;
        }
      }
      if (round < photos && outputs[0].equals(outputs[1])) {
        same++;
      }
    }
    System.out.printf(
        "%s %s; %dx%d JPEGs, %d photos, warm-up %d rounds, measured %d, alternating per photo;"
            + " the two graders' results (timings aside) equal on %d of %d photos%n",
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        width,
        height,
        photos,
        warmup,
        measured,
        same,
        photos);
    System.out.println("| grader | CPU p50 ms | CPU p95 ms | CPU mean ms | wall p50 ms |");
    System.out.println("|---|---|---|---|---|");
    for (int g = 0; g < 2; g++) {
      System.out.printf(
          "| %s | %.1f | %.1f | %.1f | %.1f |%n",
          graders[g].name(),
          quantile(cpu[g], 0.5),
          quantile(cpu[g], 0.95),
          Arrays.stream(cpu[g]).average().orElse(0),
          quantile(wall[g], 0.5));
    }
    ratios("CPU time", cpu);
    // A grader that hands work to other threads (BoofCV's concurrency, on in 0.1.0) spends CPU
    // time this thread's clock does not see; pinned to one core, wall-clock time sees it all.
    ratios("wall-clock time", wall);
  }

  private static void ratios(String what, double[][] times) {
    double[] ratio = new double[times[0].length];
    for (int i = 0; i < ratio.length; i++) {
      ratio[i] = times[0][i] / times[1][i];
    }
    System.out.printf(
        "per-photo %s, this / baseline: p25 %.3f, p50 %.3f, p75 %.3f%n",
        what, quantile(ratio, 0.25), quantile(ratio, 0.5), quantile(ratio, 0.75));
  }

  private static URL url(Path path) {
    try {
      return path.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(path.toString(), e);
    }
  }

  /** A grade's text without its timings, which differ run to run. */
  private static String withoutTimings(String grade) {
    return grade.replaceAll("(decodeMs|locateMs|boxesMs)=[-0-9.E]+", "");
  }

  private static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
  }
}
