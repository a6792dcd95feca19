import io.fctoolkit.grader.BoxResult;
import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.SheetGrade;
import io.fctoolkit.grader.WorksheetGrader;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;

/**
 * Grades every hold-out photo through the grader's public API and writes one tab-separated line
 * per photo (file, status, reason, layout, wall ms, thread CPU ms, boxes as id=STATE:confidence;...). The
 * comparison with the truth is done by evaluate.py, so this program knows nothing of the
 * generator. Run with the Java source launcher: {@code java -cp CP GradeHoldout.java LIST OUT}.
 */
public final class GradeHoldout {

  private static final int WARMUP_PHOTOS = 30;
  private static final long MAX_PIXELS = 50_000_000L;

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: GradeHoldout.java <file listing one photo path a line> <out.tsv>");
      System.exit(2);
    }
    List<String> photos = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    WorksheetGrader grader = new WorksheetGrader(LayoutRegistry.builtIn(), MAX_PIXELS);
    // Warm-up so the latency figures are the JIT-compiled steady state, as in latency.sh.
    for (int i = 0; i < Math.min(WARMUP_PHOTOS, photos.size()); i++) {
      gradeQuietly(grader, Files.readAllBytes(Path.of(photos.get(i))));
    }
    try (PrintWriter out =
        new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
      for (String photo : photos) {
        byte[] bytes = Files.readAllBytes(Path.of(photo));
        long t0 = System.nanoTime();
        long c0 = threads.getCurrentThreadCpuTime();
        SheetGrade g;
        try {
          g = grader.grade(bytes, null);
        } catch (RuntimeException e) {
          double ms = (System.nanoTime() - t0) / 1e6;
          double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
          out.printf(
              "%s\tERROR\t%s\t\t%.2f\t%.2f\t%n", photo, e.getClass().getSimpleName(), ms, cpu);
          continue;
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        double cpu = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        StringJoiner boxes = new StringJoiner(";");
        for (BoxResult b : g.boxes()) {
          boxes.add(String.format("%s=%s:%.4f:%.2f", b.id(), b.state(), b.confidence(), b.inkMm2()));
        }
        out.printf(
            "%s\t%s\t%s\t%s\t%.2f\t%.2f\t%s%n",
            photo,
            g.status(),
            g.reason() == null ? "" : g.reason(),
            g.layout() == null ? "" : g.layout(),
            ms,
            cpu,
            boxes);
      }
    }
  }

  private static void gradeQuietly(WorksheetGrader grader, byte[] bytes) {
    try {
      grader.grade(bytes, null);
    } catch (RuntimeException e) {
      // warm-up only: a photo the grader throws on is reported in the measured pass
    }
  }
}
