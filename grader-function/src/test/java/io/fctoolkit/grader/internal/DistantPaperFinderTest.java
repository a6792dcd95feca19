package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.Layout;
import io.fctoolkit.grader.LayoutRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistantPaperFinderTest {

  private static final Layout LAYOUT = LayoutRegistry.builtIn().all().get(0);
  private static final double PX_PER_MM = 0.5;
  private static final int BACKGROUND = 90;
  private static final int PAPER = 215;
  private static final int INK = 40;

  @Test
  void pageOfPaperWithDarkFiducialPlaces_givesTheSheetsScale() {
    GrayU8 photo = desk(1600, 1200);
    paint(photo, 700, 500, 0.3, true);

    assertThat(new DistantPaperFinder(List.of(LAYOUT)).pxPerMmBelow(photo, 1.1))
        .hasValueCloseTo(PX_PER_MM, within(0.05));
  }

  @Test
  void ellipseOfThePagesProportions_isNoPage() {
    // An ellipse has the second moments of a rectangle 2/sqrt(3) narrower, and more than 70% of
    // that rectangle is inside it: only its reach beyond that rectangle tells it apart (a
    // shapes-and-text photo was "move closer" without the reach check).
    GrayU8 photo = desk(1600, 1200);
    paint(photo, 700, 500, 0.3, false);

    assertThat(new DistantPaperFinder(List.of(LAYOUT)).pxPerMmBelow(photo, 1.1)).isEmpty();
  }

  @Test
  void pageSeenInPerspective_givesTheSheetsScale() {
    // A trapezoid, one short side 20% wider than the other (the page tilted away from the camera):
    // it reaches about 1.1 of its moments' rectangle's half-sides, past the 1.08 allowed before
    // (TOO_SMALL photos in perspective were SHEET_NOT_FOUND), yet keeps its four corners.
    GrayU8 photo = desk(1600, 1200);
    paint(photo, 700, 500, 0.3, 0.1);

    assertThat(new DistantPaperFinder(List.of(LAYOUT)).pxPerMmBelow(photo, 1.1))
        .hasValueCloseTo(PX_PER_MM, within(0.05));
  }

  @Test
  void smallPageInPerspective_withItsFiducialsOffTheMomentsCorners_givesTheSheetsScale() {
    // Session 12: at 0.3 px/mm a fiducial is 7 pixels wide and its sampled patch 5; a page tapered
    // by 15% has its fiducials a few pixels off the corners of its moments' rectangle, and the
    // finder before missed one of them (TOO_SMALL photos at 0.42-0.43 px/mm in perspective were
    // SHEET_NOT_FOUND).
    GrayU8 photo = desk(1600, 1200);
    paint(photo, 700, 500, 0.3, true, 0.15, 0.3);

    assertThat(new DistantPaperFinder(List.of(LAYOUT)).pxPerMmBelow(photo, 1.1))
        .hasValueCloseTo(0.3, within(0.03));
  }

  @Test
  void pageWithoutDarkFiducialPlaces_isNoPage() {
    GrayU8 blank = desk(1600, 1200);
    paintPaper(blank, 700, 500, 0.3, true);

    assertThat(new DistantPaperFinder(List.of(LAYOUT)).pxPerMmBelow(blank, 1.1)).isEmpty();
  }

  @Test
  void pageCutByThePhotosEdge_isNoDistantPage() {
    GrayU8 photo = desk(1600, 1200);
    paint(photo, 30, 500, 0.3, true);

    assertThat(new DistantPaperFinder(List.of(LAYOUT)).pxPerMmBelow(photo, 1.1)).isEmpty();
  }

  private static GrayU8 desk(int w, int h) {
    GrayU8 g = new GrayU8(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // A desk with a gentle light gradient and a brighter patch, so that one Otsu threshold
        // splits the desk, not the paper from it.
        int v = BACKGROUND + (x * 30) / w + (x > w * 3 / 4 && y < h / 3 ? 60 : 0);
        g.set(x, y, v);
      }
    }
    return g;
  }

  /**
   * Paper (a rectangle or an ellipse) centred at (cx, cy), turned by {@code angle}, with dark
   * fiducials.
   */
  private static void paint(GrayU8 g, double cx, double cy, double angle, boolean rectangle) {
    paint(g, cx, cy, angle, rectangle, 0);
  }

  /** A page tapered by {@code taper} (see {@link #paintPaper}), with dark fiducials. */
  private static void paint(GrayU8 g, double cx, double cy, double angle, double taper) {
    paint(g, cx, cy, angle, true, taper, PX_PER_MM);
  }

  private static void paint(
      GrayU8 g, double cx, double cy, double angle, boolean rectangle, double taper) {
    paint(g, cx, cy, angle, rectangle, taper, PX_PER_MM);
  }

  /** A page at {@code pxPerMm} (see {@link #paintPaper}), with dark fiducials. */
  private static void paint(
      GrayU8 g,
      double cx,
      double cy,
      double angle,
      boolean rectangle,
      double taper,
      double pxPerMm) {
    paintPaper(g, cx, cy, angle, rectangle, taper, pxPerMm);
    double s = LAYOUT.markerSize();
    double inset = LAYOUT.markerMargin() + s / 2;
    double a = (LAYOUT.pageHeight() / 2 - inset) * pxPerMm;
    double b = (LAYOUT.pageWidth() / 2 - inset) * pxPerMm;
    if (!rectangle) {
      // The fiducials where a rectangle of the ellipse's moments would have them.
      a *= Math.sqrt(3) / 2;
      b *= Math.sqrt(3) / 2;
    }
    double half = s / 2 * pxPerMm;
    for (int k = 0; k < 4; k++) {
      double u = (k & 1) == 0 ? a : -a;
      double v = ((k & 2) == 0 ? b : -b) * (1 + taper * u / a);
      double x = cx + u * Math.cos(angle) - v * Math.sin(angle);
      double y = cy + u * Math.sin(angle) + v * Math.cos(angle);
      for (int dy = (int) -half; dy <= half; dy++) {
        for (int dx = (int) -half; dx <= half; dx++) {
          if (g.isInBounds((int) x + dx, (int) y + dy)) {
            g.set((int) x + dx, (int) y + dy, INK);
          }
        }
      }
    }
  }

  private static void paintPaper(GrayU8 g, double cx, double cy, double angle, boolean rectangle) {
    paintPaper(g, cx, cy, angle, rectangle, 0);
  }

  /**
   * Paper centred at (cx, cy), turned by {@code angle}; a rectangle's short half-side grows by
   * {@code taper} of itself from the centre to one end and shrinks as much to the other (a
   * trapezoid, as a page tilted away from the camera).
   */
  private static void paintPaper(
      GrayU8 g, double cx, double cy, double angle, boolean rectangle, double taper) {
    paintPaper(g, cx, cy, angle, rectangle, taper, PX_PER_MM);
  }

  private static void paintPaper(
      GrayU8 g,
      double cx,
      double cy,
      double angle,
      boolean rectangle,
      double taper,
      double pxPerMm) {
    double halfLong = LAYOUT.pageHeight() / 2 * pxPerMm;
    double halfShort = LAYOUT.pageWidth() / 2 * pxPerMm;
    for (int y = 0; y < g.height; y++) {
      for (int x = 0; x < g.width; x++) {
        double dx = x - cx;
        double dy = y - cy;
        double u = dx * Math.cos(angle) + dy * Math.sin(angle);
        double v = -dx * Math.sin(angle) + dy * Math.cos(angle);
        boolean inside =
            rectangle
                ? Math.abs(u) <= halfLong && Math.abs(v) <= halfShort * (1 + taper * u / halfLong)
                : (u * u) / (halfLong * halfLong) + (v * v) / (halfShort * halfShort) <= 1;
        if (inside) {
          g.set(x, y, PAPER);
        }
      }
    }
  }
}
