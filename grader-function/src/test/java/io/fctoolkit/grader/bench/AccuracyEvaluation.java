package io.fctoolkit.grader.bench;

import io.fctoolkit.grader.BoxResult;
import io.fctoolkit.grader.BoxState;
import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.SheetGrade;
import io.fctoolkit.grader.SheetStatus;
import io.fctoolkit.grader.UnreadableReason;
import io.fctoolkit.grader.WorksheetGrader;
import io.fctoolkit.grader.sim.Condition;
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
 * Accuracy of the grader per simulator {@link Condition}, on fixed-seed simulated photos generated
 * at run time.
 *
 * <p>Usage: {@code AccuracyEvaluation [perCondition] [firstSeed] [CONDITION...]}. The evaluation
 * set is seeds {@value #EVAL_SEED}.. under every condition; tuning used other seeds only (unit
 * tests 1..1000, tuning runs {@value #TUNING_SEED}..).
 *
 * <p>It reads the grade only through names (the status {@code NEEDS_REVIEW} by name), so the same
 * class can grade with an older grader's classes on the class path for a side-by-side run.
 */
public final class AccuracyEvaluation {

  /** First seed of the evaluation set. */
  public static final long EVAL_SEED = 7_000_000L;

  /** First seed of the tuning runs. */
  public static final long TUNING_SEED = 100_000L;

  /** A box counts as graded with confidence at or above this. */
  public static final double CONFIDENT = 0.95;

  /** Counts gathered over the photos of one condition. */
  public static final class Tally {
    int photos;
    int gradeable;
    int gradeableRefused;
    int statusRight;
    int wrongStatus;
    int needsReview;
    int rejects;
    int rejectsRightReason;
    int rejectsWrongReason;
    int rejectsGraded;
    int boxes;
    int confident;
    int confidentWrong;
    int answeredCalledBlank;
    int blankCalledAnswered;
    int uncertain;
    final Map<UnreadableReason, Integer> refusals = new EnumMap<>(UnreadableReason.class);
    final Map<MarkPainter.Kind, List<Double>> inkByKind = new EnumMap<>(MarkPainter.Kind.class);

    /** Adds one graded photo. */
    public void add(SimulatedPhoto photo, SheetGrade grade) {
      photos++;
      boolean refused = grade.status() == SheetStatus.UNREADABLE;
      if (refused) {
        refusals.merge(grade.reason(), 1, Integer::sum);
      }
      if (photo.expected() == SheetStatus.UNREADABLE) {
        rejects++;
        if (!refused) {
          rejectsGraded++;
        } else if (grade.reason() == photo.expectedReason()) {
          rejectsRightReason++;
        } else {
          rejectsWrongReason++;
        }
        return;
      }
      gradeable++;
      if (refused) {
        gradeableRefused++;
        return;
      }
      if (grade.status() == photo.expected()) {
        statusRight++;
      } else if (grade.status().name().equals("NEEDS_REVIEW")) {
        needsReview++;
      } else {
        wrongStatus++;
      }
      for (int i = 0; i < photo.answered().size(); i++) {
        BoxResult box = grade.boxes().get(i);
        boxes++;
        inkByKind.computeIfAbsent(photo.kinds().get(i), k -> new ArrayList<>()).add(box.inkMm2());
        BoxState truth = photo.answered().get(i) ? BoxState.ANSWERED : BoxState.BLANK;
        if (box.state() == BoxState.UNCERTAIN || box.confidence() < CONFIDENT) {
          uncertain++;
          continue;
        }
        confident++;
        if (box.state() != truth) {
          confidentWrong++;
          if (truth == BoxState.ANSWERED) {
            answeredCalledBlank++;
          } else {
            blankCalledAnswered++;
          }
        }
      }
    }

    void addAll(Tally o) {
      photos += o.photos;
      gradeable += o.gradeable;
      gradeableRefused += o.gradeableRefused;
      statusRight += o.statusRight;
      wrongStatus += o.wrongStatus;
      needsReview += o.needsReview;
      rejects += o.rejects;
      rejectsRightReason += o.rejectsRightReason;
      rejectsWrongReason += o.rejectsWrongReason;
      rejectsGraded += o.rejectsGraded;
      boxes += o.boxes;
      confident += o.confident;
      confidentWrong += o.confidentWrong;
      answeredCalledBlank += o.answeredCalledBlank;
      blankCalledAnswered += o.blankCalledAnswered;
      uncertain += o.uncertain;
      o.refusals.forEach((k, v) -> refusals.merge(k, v, Integer::sum));
      o.inkByKind.forEach((k, v) -> inkByKind.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }

    String row(String name) {
      return String.format(
          "| %s | %d | %d | %s | %s | %d | %d | %s | %d | %s (%d A->B, %d B->A) | %s | %s | %s |%n",
          name,
          photos,
          gradeable,
          pct(gradeableRefused, gradeable),
          pct(statusRight, gradeable),
          wrongStatus,
          needsReview,
          rejects == 0
              ? "-"
              : rejectsRightReason
                  + " of "
                  + rejects
                  + (rejectsWrongReason > 0 ? " (" + rejectsWrongReason + " wrong reason)" : "")
                  + (rejectsGraded > 0 ? " (" + rejectsGraded + " GRADED)" : ""),
          boxes,
          pct(confidentWrong, boxes),
          answeredCalledBlank,
          blankCalledAnswered,
          pct(uncertain, boxes),
          pct(confident - confidentWrong, confident),
          refusals.isEmpty() ? "" : refusals.toString());
    }

    private static String pct(int part, int whole) {
      return whole == 0 ? "-" : String.format("%.2f%% (%d/%d)", 100.0 * part / whole, part, whole);
    }

    String kinds() {
      var sb = new StringBuilder();
      sb.append("| mark kind | boxes | ink mm2 min | 5th pct | median | 95th pct | max |\n");
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

  /** The table header matching {@link Tally#row}. */
  static final String HEADER =
      "| condition | photos | gradeable | gradeable refused | status right | wrong status"
          + " | needs review | rejects refused, right reason | boxes graded | wrong with confidence"
          + " | uncertain | right among confident | refusals |\n"
          + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

  private AccuracyEvaluation() {}

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** Tuning speed-up only: -Dsim.cache=DIR keeps simulated photos between runs. */
  static SimulatedPhoto cached(PhotoSimulator simulator, long seed, Condition condition)
      throws IOException {
    String dir = System.getProperty("sim.cache");
    if (dir == null) {
      return simulator.photo(seed, condition);
    }
    String name = condition + "-" + seed;
    Path jpeg = Path.of(dir, name + ".jpg");
    Path meta = Path.of(dir, name + ".json");
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
          node.get("params").asText(),
          condition,
          node.get("reason").isNull()
              ? null
              : UnreadableReason.valueOf(node.get("reason").asText()));
    }
    SimulatedPhoto photo = simulator.photo(seed, condition);
    Files.createDirectories(jpeg.getParent());
    Files.write(jpeg, photo.jpeg());
    var node = JSON.createObjectNode();
    node.put("layout", photo.layout());
    node.putPOJO("answered", photo.answered());
    node.putPOJO("kinds", photo.kinds());
    node.put("expected", photo.expected().name());
    node.put("params", photo.params());
    node.put("reason", photo.expectedReason() == null ? null : photo.expectedReason().name());
    JSON.writeValue(meta.toFile(), node);
    return photo;
  }

  /** Runs the evaluation; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    long first = args.length > 1 ? Long.parseLong(args[1]) : EVAL_SEED;
    List<Condition> conditions = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      conditions.add(Condition.valueOf(args[i]));
    }
    if (conditions.isEmpty()) {
      conditions.addAll(List.of(Condition.values()));
    }
    var layouts = LayoutRegistry.builtIn();
    var grader = new WorksheetGrader(layouts, 50_000_000L);
    var simulator = new PhotoSimulator(layouts.all(), PhotoSimulator.Ranges.DEFAULT);
    Map<Condition, Tally> tallies = new EnumMap<>(Condition.class);
    long started = System.nanoTime();
    for (Condition condition : conditions) {
      var tally = tallies.computeIfAbsent(condition, c -> new Tally());
      for (int i = 0; i < count; i++) {
        long seed = first + i;
        SimulatedPhoto photo = cached(simulator, seed, condition);
        SheetGrade grade = grader.grade(photo.jpeg(), null);
        tally.add(photo, grade);
        printMisses(photo, grade);
      }
    }
    System.out.printf(
        "%n%d photos in %.1f s (simulation + grading)%n%n",
        tallies.values().stream().mapToInt(t -> t.photos).sum(),
        (System.nanoTime() - started) / 1e9);
    var all = new Tally();
    var sb = new StringBuilder(HEADER);
    for (var e : tallies.entrySet()) {
      sb.append(e.getValue().row(e.getKey().name()));
      all.addAll(e.getValue());
    }
    sb.append(all.row("**all**"));
    System.out.println(sb);
    System.out.println(all.kinds());
  }

  private static void printMisses(SimulatedPhoto photo, SheetGrade grade) {
    boolean refused = grade.status() == SheetStatus.UNREADABLE;
    boolean statusOk =
        grade.status() == photo.expected()
            && (!refused || grade.reason() == photo.expectedReason());
    var lines = new StringBuilder();
    if (!refused && photo.layout() != null && photo.expected() != SheetStatus.UNREADABLE) {
      for (int b = 0; b < grade.boxes().size(); b++) {
        BoxResult box = grade.boxes().get(b);
        BoxState truth = photo.answered().get(b) ? BoxState.ANSWERED : BoxState.BLANK;
        if (box.state() != truth) {
          lines.append(
              String.format(
                  "  box %s: truth %s (%s) graded %s conf=%.3f ink=%.1f%n",
                  box.id(),
                  truth,
                  photo.kinds().get(b),
                  box.state(),
                  box.confidence(),
                  box.inkMm2()));
        }
      }
    }
    if (!statusOk || lines.length() > 0) {
      System.out.printf(
          "%s seed %d: expected %s%s graded %s %s [%s] q=%s%n%s",
          photo.condition(),
          photo.seed(),
          photo.expected(),
          photo.expectedReason() == null ? "" : "/" + photo.expectedReason(),
          grade.status(),
          grade.reason() == null ? "" : grade.reason(),
          photo.params(),
          grade.quality(),
          lines);
    }
  }
}
