package io.fctoolkit.grader.bench;

import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.SheetGrade;
import io.fctoolkit.grader.WorksheetGrader;
import io.fctoolkit.grader.sim.PhotoSimulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Single-threaded latency of grading one photo, decode included, after warm-up.
 *
 * <p>Usage: {@code LatencyBenchmark [width] [height] [photos] [warmupRounds] [measuredRounds]}. The
 * photos are simulated once (seeds 5_000_000...), held in memory as JPEG bytes, then graded
 * round-robin. Run it pinned to one core: {@code taskset -c 1 java ...}.
 */
public final class LatencyBenchmark {

  private LatencyBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) {
    int width = args.length > 0 ? Integer.parseInt(args[0]) : 1600;
    int height = args.length > 1 ? Integer.parseInt(args[1]) : 1200;
    int photos = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 300;
    int measured = args.length > 4 ? Integer.parseInt(args[4]) : 400;
    var layouts = LayoutRegistry.builtIn();
    var simulator =
        new PhotoSimulator(layouts.all(), PhotoSimulator.Ranges.DEFAULT.withoutOtherPhotos());
    List<byte[]> jpegs = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < photos; i++) {
      byte[] jpeg = simulator.photo(5_000_000L + i, width, height).jpeg();
      jpegs.add(jpeg);
      bytes += jpeg.length;
    }
    var grader = new WorksheetGrader(layouts, 50_000_000L);
    int sink = 0;
    for (int i = 0; i < warmup; i++) {
      sink += grader.grade(jpegs.get(i % photos), null).boxes().size();
    }
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] cpu = new double[measured];
    double[] total = new double[measured];
    double[] decode = new double[measured];
    double[] locate = new double[measured];
    double[] boxes = new double[measured];
    long started = System.nanoTime();
    for (int i = 0; i < measured; i++) {
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      SheetGrade grade = grader.grade(jpegs.get(i % photos), null);
      total[i] = (System.nanoTime() - t0) / 1e6;
      cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
      decode[i] = grade.decodeMs();
      locate[i] = grade.locateMs();
      boxes[i] = grade.boxesMs();
      sink += grade.boxes().size();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "%s %s (%s), %d cores visible; %dx%d JPEGs, %d distinct photos, mean %d KB; warm-up %d,"
            + " measured %d%n",
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vendor"),
        Runtime.getRuntime().availableProcessors(),
        width,
        height,
        photos,
        bytes / photos / 1024,
        warmup,
        measured);
    System.out.println("| stage | p50 ms | p95 ms | p99 ms | mean ms |");
    System.out.println("|---|---|---|---|---|");
    row("decode (subsampled) + grey", decode);
    row("quality + fiducials + homography", locate);
    row("boxes", boxes);
    row("total per photo (wall clock)", total);
    row("total per photo (thread CPU time)", cpu);
    System.out.printf(
        "throughput: %.1f photos/s on this thread (checksum %d)%n", measured / seconds, sink);
  }

  private static void row(String name, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "| %s | %.1f | %.1f | %.1f | %.1f |%n",
        name,
        sorted[(int) (sorted.length * 0.50)],
        sorted[(int) (sorted.length * 0.95)],
        sorted[(int) (sorted.length * 0.99)],
        Arrays.stream(values).average().orElse(0));
  }
}
