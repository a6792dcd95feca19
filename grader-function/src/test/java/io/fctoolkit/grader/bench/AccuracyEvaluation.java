package io.fctoolkit.grader.bench;

import io.fctoolkit.grader.BoxResult;
import io.fctoolkit.grader.BoxState;
import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.SheetGrade;
import io.fctoolkit.grader.SheetStatus;
import io.fctoolkit.grader.WorksheetGrader;
import io.fctoolkit.grader.sim.MarkPainter;
import io.fctoolkit.grader.sim.PhotoSimulator;
import io.fctoolkit.grader.sim.SimulatedPhoto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy of the grader on a fixed-seed set of simulated photos, generated at run time.
 *
 * <p>Usage: {@code AccuracyEvaluation [count] [firstSeed] [dumpDir]}. The held-out evaluation set
 * is {@value #EVAL_SEED}..{@value #EVAL_SEED}+499; tuning used other seeds only (unit tests use
 * 1..1000).
 */
public final class AccuracyEvaluation {

  /** First seed of the held-out evaluation set. */
  public static final long EVAL_SEED = 7_000_000L;

  /** Counts gathered over a set. */
  public static final class Tally {
    final Map<SheetStatus, Map<SheetStatus, Integer>> confusion = new EnumMap<>(SheetStatus.class);
    int sheets;
    int statusCorrect;
    int wrongStatus;
    int boxes;
    int boxesCorrect;
    int boxesDecided;
    int boxesDecidedCorrect;
    final Map<MarkPainter.Kind, List<Double>> inkByKind = new EnumMap<>(MarkPainter.Kind.class);

    /** Adds one graded photo. */
    public void add(SimulatedPhoto photo, SheetGrade grade) {
      sheets++;
      confusion
          .computeIfAbsent(photo.expected(), k -> new EnumMap<>(SheetStatus.class))
          .merge(grade.status(), 1, Integer::sum);
      if (grade.status() == photo.expected()) {
        statusCorrect++;
      } else if (grade.status() != SheetStatus.UNREADABLE) {
        wrongStatus++;
      }
      if (photo.layout() == null) {
        return;
      }
      for (int i = 0; i < photo.answered().size(); i++) {
        boxes++;
        if (grade.boxes().size() != photo.answered().size()) {
          continue;
        }
        BoxResult box = grade.boxes().get(i);
        inkByKind.computeIfAbsent(photo.kinds().get(i), k -> new ArrayList<>()).add(box.inkMm2());
        BoxState truth = photo.answered().get(i) ? BoxState.ANSWERED : BoxState.BLANK;
        if (box.state() != BoxState.UNCERTAIN) {
          boxesDecided++;
          if (box.state() == truth) {
            boxesDecidedCorrect++;
          }
        }
        if (box.state() == truth) {
          boxesCorrect++;
        }
      }
    }

    /** A Markdown report. */
    public String report() {
      var sb = new StringBuilder();
      sb.append(
          String.format(
              "| sheets | status accuracy | wrong status (not UNREADABLE) | per-box accuracy |"
                  + " per-box accuracy of decided boxes |%n|---|---|---|---|---|%n"
                  + "| %d | %.2f%% (%d) | %.2f%% (%d) | %.2f%% (%d/%d) | %.2f%% (%d/%d) |%n%n",
              sheets,
              100.0 * statusCorrect / sheets,
              statusCorrect,
              100.0 * wrongStatus / sheets,
              wrongStatus,
              100.0 * boxesCorrect / Math.max(1, boxes),
              boxesCorrect,
              boxes,
              100.0 * boxesDecidedCorrect / Math.max(1, boxesDecided),
              boxesDecidedCorrect,
              boxesDecided));
      sb.append("| expected \\ graded |");
      for (SheetStatus s : SheetStatus.values()) {
        sb.append(' ').append(s).append(" |");
      }
      sb.append("\n|---|---|---|---|---|\n");
      for (SheetStatus e : SheetStatus.values()) {
        sb.append("| ").append(e).append(" |");
        for (SheetStatus g : SheetStatus.values()) {
          sb.append(' ')
              .append(confusion.getOrDefault(e, Map.of()).getOrDefault(g, 0))
              .append(" |");
        }
        sb.append('\n');
      }
      sb.append("\n| mark kind | boxes | ink mm2 min | 5th pct | median | 95th pct | max |\n");
      sb.append("|---|---|---|---|---|---|---|\n");
      for (var e : inkByKind.entrySet()) {
        double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        sb.append(
            String.format(
                "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                e.getKey(),
                v.length,
                v[0],
                v[(int) (v.length * 0.05)],
                v[v.length / 2],
                v[(int) (v.length * 0.95)],
                v[v.length - 1]));
      }
      return sb.toString();
    }
  }

  private AccuracyEvaluation() {}

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** Tuning speed-up only: -Dsim.cache=DIR keeps simulated photos between runs. */
  static SimulatedPhoto cached(PhotoSimulator simulator, long seed) throws IOException {
    String dir = System.getProperty("sim.cache");
    if (dir == null) {
      return simulator.photo(seed);
    }
    Path jpeg = Path.of(dir, seed + ".jpg");
    Path meta = Path.of(dir, seed + ".json");
    if (Files.exists(meta)) {
      var node = JSON.readTree(meta.toFile());
      List<Boolean> answered = new ArrayList<>();
      node.get("answered").forEach(n -> answered.add(n.asBoolean()));
      List<MarkPainter.Kind> kinds = new ArrayList<>();
      node.get("kinds").forEach(n -> kinds.add(MarkPainter.Kind.valueOf(n.asText())));
      return new SimulatedPhoto(
          seed,
          Files.readAllBytes(jpeg),
          node.get("layout").isNull() ? null : node.get("layout").asText(),
          answered,
          kinds,
          SheetStatus.valueOf(node.get("expected").asText()),
          node.get("params").asText());
    }
    SimulatedPhoto photo = simulator.photo(seed);
    Files.createDirectories(jpeg.getParent());
    Files.write(jpeg, photo.jpeg());
    var node = JSON.createObjectNode();
    node.put("layout", photo.layout());
    node.putPOJO("answered", photo.answered());
    node.putPOJO("kinds", photo.kinds());
    node.put("expected", photo.expected().name());
    node.put("params", photo.params());
    JSON.writeValue(meta.toFile(), node);
    return photo;
  }

  /** Runs the evaluation; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    long first = args.length > 1 ? Long.parseLong(args[1]) : EVAL_SEED;
    Path dump = args.length > 2 ? Path.of(args[2]) : null;
    var layouts = LayoutRegistry.builtIn();
    var grader = new WorksheetGrader(layouts, 50_000_000L);
    var simulator = new PhotoSimulator(layouts.all(), PhotoSimulator.Ranges.DEFAULT);
    var tally = new Tally();
    long started = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long seed = first + i;
      SimulatedPhoto photo = cached(simulator, seed);
      SheetGrade grade = grader.grade(photo.jpeg(), null);
      tally.add(photo, grade);
      boolean statusOk = grade.status() == photo.expected();
      boolean boxesOk = true;
      if (photo.layout() != null && grade.boxes().size() == photo.answered().size()) {
        for (int b = 0; b < grade.boxes().size(); b++) {
          BoxState truth = photo.answered().get(b) ? BoxState.ANSWERED : BoxState.BLANK;
          if (grade.boxes().get(b).state() != truth) {
            boxesOk = false;
            System.out.printf(
                "  seed %d box %s: truth %s (%s) graded %s ink=%.1f%n",
                seed,
                grade.boxes().get(b).id(),
                truth,
                photo.kinds().get(b),
                grade.boxes().get(b).state(),
                grade.boxes().get(b).inkMm2());
          }
        }
      }
      if (!statusOk || !boxesOk) {
        System.out.printf(
            "seed %d: expected %s graded %s %s [%s] q=%s%n",
            seed,
            photo.expected(),
            grade.status(),
            grade.reason() == null ? "" : grade.reason(),
            photo.params(),
            grade.quality());
        if (dump != null) {
          Files.createDirectories(dump);
          Files.write(dump.resolve("seed-" + seed + ".jpg"), photo.jpeg());
        }
      }
    }
    System.out.printf(
        "%n%d photos in %.1f s (simulation + grading)%n%n",
        count, (System.nanoTime() - started) / 1e9);
    System.out.println(tally.report());
  }
}
