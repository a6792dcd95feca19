package io.fctoolkit.grader;

import static org.assertj.core.api.Assertions.assertThat;

import io.fctoolkit.grader.sim.PhotoSimulator;
import io.fctoolkit.grader.sim.PhotoSimulator.Overrides;
import io.fctoolkit.grader.sim.SimulatedPhoto;
import io.fctoolkit.grader.tools.WorksheetRenderer;
import java.io.ByteArrayOutputStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Grading of simulated phone photos at the ends of the distortion ranges. The seeds here (1..99)
 * are tuning seeds; the held-out evaluation set starts at 7,000,000 and is only run by the accuracy
 * benchmark.
 */
class WorksheetGraderTest {

  private static final double N = Double.NaN;
  private static final LayoutRegistry LAYOUTS = LayoutRegistry.builtIn();
  private static final WorksheetGrader GRADER = new WorksheetGrader(LAYOUTS, 50_000_000L);
  private static final PhotoSimulator SIMULATOR =
      new PhotoSimulator(LAYOUTS.all(), PhotoSimulator.Ranges.DEFAULT.withoutOtherPhotos());

  static Stream<Arguments> rangeEnds() {
    return Stream.of(
        Arguments.of("rotation +15", 21, 1600, 1200, new Overrides(15, N, N, N, N, N, N, N, N)),
        Arguments.of("rotation -15", 22, 1600, 1200, new Overrides(-15, N, N, N, N, N, N, N, N)),
        Arguments.of(
            "max perspective", 23, 1600, 1200, new Overrides(N, 0.06, N, N, N, N, N, N, N)),
        Arguments.of("blur 1.2 px", 24, 1200, 900, new Overrides(N, N, 1.2, N, N, N, N, N, N)),
        Arguments.of("noise 8", 25, 1600, 1200, new Overrides(N, N, N, 8, N, N, N, N, N)),
        Arguments.of("JPEG q50", 26, 1600, 1200, new Overrides(N, N, N, N, 50, N, N, N, N)),
        Arguments.of(
            "uneven light and hard shadow",
            27,
            1600,
            1200,
            new Overrides(N, N, N, N, N, 0.45, 0.45, N, N)),
        Arguments.of("1200x900", 28, 1200, 900, Overrides.NONE),
        Arguments.of("4000x3000", 29, 4000, 3000, Overrides.NONE),
        Arguments.of(
            "everything at once",
            30,
            2048,
            1536,
            new Overrides(-14, 0.05, 2.0, 7, 55, 0.5, 0.6, N, N)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rangeEnds")
  void grade_atRangeEnds_isCorrect(
      String name, long seed, int width, int height, Overrides overrides) {
    SimulatedPhoto photo = SIMULATOR.photo(seed, width, height, overrides);
    SheetGrade grade = GRADER.grade(photo.jpeg(), null);
    // An uncertain box (an erased ghost as dark as faint pencil) may leave the status to a teacher.
    assertThat(grade.status())
        .as(photo.params() + " " + grade)
        .isIn(photo.expected(), SheetStatus.NEEDS_REVIEW);
    assertThat(grade.layout()).isEqualTo(photo.layout());
    int uncertain = 0;
    for (int i = 0; i < photo.answered().size(); i++) {
      BoxState truth = photo.answered().get(i) ? BoxState.ANSWERED : BoxState.BLANK;
      BoxState state = grade.boxes().get(i).state();
      if (state == BoxState.UNCERTAIN) {
        uncertain++;
        continue;
      }
      assertThat(state)
          .as("box %d (%s) of %s", i + 1, photo.kinds().get(i), photo.params())
          .isEqualTo(truth);
      assertThat(grade.boxes().get(i).confidence()).isGreaterThanOrEqualTo(0.95);
    }
    assertThat(uncertain).as(grade.toString()).isLessThanOrEqualTo(2);
  }

  @Test
  void randomPhotos_neverGetAWrongStatus() {
    var simulator = new PhotoSimulator(LAYOUTS.all(), PhotoSimulator.Ranges.DEFAULT);
    int correct = 0;
    int review = 0;
    for (long seed = 41; seed < 53; seed++) {
      SimulatedPhoto photo = simulator.photo(seed, 1600, 1200);
      SheetGrade grade = GRADER.grade(photo.jpeg(), null);
      if (grade.status() == photo.expected()) {
        correct++;
      } else if (grade.status() == SheetStatus.NEEDS_REVIEW) {
        review++;
      } else {
        // Refusing, or asking a teacher to look at uncertain boxes, is not a wrong status.
        assertThat(grade.status())
            .as("seed %d: %s", seed, photo.params())
            .isIn(SheetStatus.UNREADABLE, SheetStatus.NEEDS_REVIEW);
      }
    }
    // Since #18 a box the grader is not sure of (an erased ghost as dark as faint pencil) is
    // UNCERTAIN, which can leave the status to a teacher: 9 exact, 3 NEEDS_REVIEW on these seeds.
    assertThat(correct + review).isGreaterThanOrEqualTo(11);
    assertThat(correct).isGreaterThanOrEqualTo(9);
  }

  @Test
  void farSheetLook_decodesPhonePhotosWhole_butNeverMoreThan16Megapixels() {
    assertThat(WorksheetGrader.farLookSubsampling(4000, 3000)).isEqualTo(1);
    assertThat(WorksheetGrader.farLookSubsampling(4608, 3456)).isEqualTo(1);
    assertThat(WorksheetGrader.farLookSubsampling(8000, 6000)).isEqualTo(2);
    assertThat(WorksheetGrader.farLookSubsampling(7071, 7071)).isEqualTo(2);
  }

  @Test
  void photoOfSomethingElse_isUnreadableSheetNotFound() {
    SimulatedPhoto photo = SIMULATOR.otherPhoto(77, 1600, 1200);
    SheetGrade grade = GRADER.grade(photo.jpeg(), null);
    assertThat(grade.status()).isEqualTo(SheetStatus.UNREADABLE);
    assertThat(grade.reason()).isEqualTo(UnreadableReason.SHEET_NOT_FOUND);
    assertThat(grade.reasonMessage()).contains("corner markers");
    assertThat(grade.boxes()).isEmpty();
  }

  @Test
  void heavyBlur_isRefusedNotGuessed() {
    SimulatedPhoto photo =
        SIMULATOR.photo(31, 1600, 1200, new Overrides(N, N, 7, N, N, N, N, N, N));
    SheetGrade grade = GRADER.grade(photo.jpeg(), null);
    assertThat(grade.status()).isEqualTo(SheetStatus.UNREADABLE);
    assertThat(grade.reason()).isIn(UnreadableReason.TOO_BLURRY, UnreadableReason.SHEET_NOT_FOUND);
  }

  @Test
  void darkPhoto_isRefusedForLowContrast() {
    SimulatedPhoto photo =
        SIMULATOR.photo(32, 1600, 1200, new Overrides(N, N, N, 2, 90, 1, 1, N, 0.16));
    SheetGrade grade = GRADER.grade(photo.jpeg(), null);
    assertThat(grade.status()).as(grade.toString()).isEqualTo(SheetStatus.UNREADABLE);
    assertThat(grade.reason()).isEqualTo(UnreadableReason.LOW_CONTRAST);
  }

  @Test
  void tinySheetInPhoto_isRefusedForResolution() {
    SimulatedPhoto photo =
        SIMULATOR.photo(33, 1200, 900, new Overrides(0, 0, 0, 2, 90, 1, 1, 0.2, N));
    SheetGrade grade = GRADER.grade(photo.jpeg(), null);
    assertThat(grade.status()).as(grade.quality().toString()).isEqualTo(SheetStatus.UNREADABLE);
    assertThat(grade.reason())
        .isIn(UnreadableReason.RESOLUTION_TOO_LOW, UnreadableReason.SHEET_NOT_FOUND);
  }

  @Test
  void cleanPrintedSheet_isBlank() throws Exception {
    Layout layout = LAYOUTS.byName("words-6").orElseThrow();
    var out = new ByteArrayOutputStream();
    ImageIO.write(WorksheetRenderer.render(layout, 4), "png", out);
    SheetGrade grade = GRADER.grade(out.toByteArray(), "words-6");
    assertThat(grade.status()).isEqualTo(SheetStatus.BLANK);
    assertThat(grade.completion()).isZero();
    assertThat(grade.boxes()).hasSize(6).allMatch(b -> b.state() == BoxState.BLANK);
    assertThat(grade.quality().subsampling()).isEqualTo(1);
  }
}
