package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import boofcv.alg.misc.ImageMiscOps;
import boofcv.struct.image.GrayU8;
import georegression.struct.shapes.Polygon2D_F64;
import io.fctoolkit.grader.Layout;
import io.fctoolkit.grader.LayoutRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FarSheetFinderTest {

  private static final Layout LAYOUT = LayoutRegistry.builtIn().all().get(0);
  private static final FarSheetFinder FINDER = new FarSheetFinder(List.of(LAYOUT));

  @Test
  void threeFiducialSizedSquares_whereTheLayoutPutsThem_giveTheSheetsScale() {
    double pxPerMm = 0.7;
    List<Polygon2D_F64> squares = new ArrayList<>(fiducials(pxPerMm, 500, 300));
    squares.remove(2); // one marker hidden: three are enough
    squares.add(square(40, 40, 9)); // clutter of about the same size
    squares.add(square(900, 100, 30));

    assertThat(FINDER.pxPerMmBelow(squares, painted(squares), 1.1))
        .hasValueCloseTo(pxPerMm, within(0.02));
  }

  @Test
  void decodedFiducials_measureTheSheetByTheLargest() {
    double fiducial = LAYOUT.markerSize();
    // Two small patterns of writing decoded as fiducials and one real fiducial of a big sheet.
    assertThat(FINDER.pxPerMmBelow(List.of(0.8 * fiducial, fiducial * 6.0, 0.9 * fiducial), 1.1))
        .isEmpty();
    assertThat(FINDER.pxPerMmBelow(List.of(0.7 * fiducial, 0.8 * fiducial), 1.1))
        .hasValueCloseTo(0.8, within(0.01));
    assertThat(FINDER.pxPerMmBelow(List.<Double>of(), 1.1)).isEmpty();
  }

  @Test
  void squaresInAnotherArrangement_areNoSheet() {
    // Same sizes, but spaced as a square grid, not as the layout's rectangle.
    double side = LAYOUT.markerSize() * 0.7;
    List<Polygon2D_F64> squares =
        List.of(square(100, 100, side), square(200, 100, side), square(100, 200, side));
    assertThat(FINDER.pxPerMmBelow(squares, painted(squares), 1.1)).isEmpty();
  }

  @Test
  void squaresOfTheRightArrangementButWrongSize_areNoSheet() {
    // The layout's rectangle, but the squares are four times the fiducials' size for that scale.
    List<Polygon2D_F64> squares = new ArrayList<>();
    for (Polygon2D_F64 p : fiducials(0.7, 500, 300)) {
      double cx = 0;
      double cy = 0;
      for (int i = 0; i < 4; i++) {
        cx += p.get(i).x / 4;
        cy += p.get(i).y / 4;
      }
      squares.add(square(cx, cy, LAYOUT.markerSize() * 0.7 * 4));
    }
    assertThat(FINDER.pxPerMmBelow(squares, painted(squares), 1.1)).isEmpty();
  }

  @Test
  void aSheetLargerThanTheLimit_isNotLookedFor() {
    assertThat(
            FINDER.pxPerMmBelow(fiducials(1.5, 500, 300), painted(fiducials(1.5, 500, 300)), 1.1))
        .isEmpty();
    assertThat(FINDER.pxPerMmBelow(fiducials(1.5, 500, 300), painted(fiducials(1.5, 500, 300)), 2))
        .hasValueCloseTo(1.5, within(0.02));
  }

  @Test
  void fourSquaresInTheLayoutsPattern_amongDozensOfTheirSize_areNoSheet() {
    // A printed page of text: a letter of its font at every word makes a candidate square of one
    // size (tuning photos held 86-100, 82-96 of them of one size), and four of them fell where a
    // layout puts its fiducials, clear of the others: the grader before said "move closer".
    double pxPerMm = 0.7;
    List<Polygon2D_F64> squares = new ArrayList<>(fiducials(pxPerMm, 500, 300));
    double side = LAYOUT.markerSize() * pxPerMm;
    for (int i = 0; i < 30; i++) {
      squares.add(square(1200 + (i % 10) * 150, 1200 + (i / 10) * 200, side * (0.9 + 0.01 * i)));
    }
    assertThat(FINDER.pxPerMmBelow(squares, painted(squares), 1.1)).isEmpty();
    // The same sheet beside a few squares of its fiducials' size is still found.
    assertThat(FINDER.pxPerMmBelow(squares.subList(0, 10), painted(squares.subList(0, 10)), 1.1))
        .hasValueCloseTo(pxPerMm, within(0.02));
  }

  @Test
  void randomClutter_isNoSmallSheet() {
    var rnd = new SplittableRandom(7);
    List<Polygon2D_F64> squares = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      squares.add(square(rnd.nextDouble(4000), rnd.nextDouble(3000), 6 + rnd.nextDouble(60)));
    }
    assertThat(FINDER.pxPerMmBelow(squares, painted(squares), 1.1)).isEmpty();
  }

  @Test
  void hollowOutlinesWhereTheLayoutPutsFiducials_areNoSheet() {
    // Printed box outlines and written zeros are closed contours too, but light inside.
    List<Polygon2D_F64> squares = fiducials(0.7, 500, 300);
    GrayU8 gray = new GrayU8(1600, 1200);
    ImageMiscOps.fill(gray, 230);
    for (Polygon2D_F64 p : squares) {
      int x0 = (int) p.get(0).x;
      int y0 = (int) p.get(0).y;
      int x1 = (int) p.get(2).x;
      int y1 = (int) p.get(2).y;
      ImageMiscOps.fillRectangle(gray, 30, x0, y0, x1 - x0, 1);
      ImageMiscOps.fillRectangle(gray, 30, x0, y1, x1 - x0, 1);
      ImageMiscOps.fillRectangle(gray, 30, x0, y0, 1, y1 - y0);
      ImageMiscOps.fillRectangle(gray, 30, x1, y0, 1, y1 - y0 + 1);
    }
    assertThat(FINDER.pxPerMmBelow(squares, gray, 1.1)).isEmpty();
  }

  /** A paper-grey photo with {@code squares} filled dark, as fiducials are. */
  private static GrayU8 painted(List<Polygon2D_F64> squares) {
    GrayU8 gray = new GrayU8(4000, 3000);
    ImageMiscOps.fill(gray, 230);
    for (Polygon2D_F64 p : squares) {
      int x0 = (int) Math.round(p.get(0).x);
      int y0 = (int) Math.round(p.get(0).y);
      int x1 = (int) Math.round(p.get(2).x);
      int y1 = (int) Math.round(p.get(2).y);
      ImageMiscOps.fillRectangle(gray, 30, x0, y0, x1 - x0, y1 - y0);
    }
    return gray;
  }

  /** The four fiducials of {@link #LAYOUT} at {@code pxPerMm}, the page's corner at x, y. */
  private static List<Polygon2D_F64> fiducials(double pxPerMm, double x, double y) {
    double inset = LAYOUT.markerMargin() + LAYOUT.markerSize() / 2;
    double side = LAYOUT.markerSize() * pxPerMm;
    double[][] centres = {
      {inset, inset},
      {LAYOUT.pageWidth() - inset, inset},
      {LAYOUT.pageWidth() - inset, LAYOUT.pageHeight() - inset},
      {inset, LAYOUT.pageHeight() - inset}
    };
    List<Polygon2D_F64> squares = new ArrayList<>();
    for (double[] c : centres) {
      squares.add(square(x + c[0] * pxPerMm, y + c[1] * pxPerMm, side));
    }
    return squares;
  }

  private static Polygon2D_F64 square(double cx, double cy, double side) {
    double h = side / 2;
    return new Polygon2D_F64(cx - h, cy - h, cx + h, cy - h, cx + h, cy + h, cx - h, cy + h);
  }
}
