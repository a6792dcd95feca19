package io.fctoolkit.grader.internal;

import georegression.struct.point.Point2D_F64;
import georegression.struct.shapes.Polygon2D_F64;
import io.fctoolkit.grader.Layout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Recognises a worksheet too far from the camera to decode its fiducials: three or four dark
 * squares of one size whose centres sit where a layout's fiducials sit relative to each other (the
 * two sides and the diagonal of the fiducial rectangle, in units of the fiducial's side). Used only
 * to tell the student to move closer instead of that there is no sheet; it never grades.
 */
public final class FarSheetFinder {

  /** At most this many squares are compared (three nested loops), the largest first. */
  static final int MAX_SQUARES = 120;

  /** Allowed relative difference between the constellation's distance ratios and the layout's. */
  static final double SHAPE_TOLERANCE = 0.05;

  /** Allowed relative difference between two of the squares' sides (blur changes all alike). */
  static final double PAIR_TOLERANCE = 0.25;

  /** Allowed relative difference between squares' sides, and between a side and the model's. */
  static final double SIDE_TOLERANCE = 0.4;

  /** Squares smaller than this (mean side, pixels) carry too little shape to count. */
  static final double MIN_SIDE_PX = 5;

  private final Collection<Layout> layouts;

  /** A finder for the fiducial geometry of {@code layouts}. */
  public FarSheetFinder(Collection<Layout> layouts) {
    this.layouts = List.copyOf(layouts);
  }

  private record Square(Point2D_F64 centre, double side) {}

  /**
   * The sheet's pixels per millimetre if {@code squares} hold a fiducial constellation of a sheet
   * smaller than {@code limitPxPerMm}; larger ones are not looked for (fewer chance matches).
   */
  public OptionalDouble pxPerMmBelow(List<Polygon2D_F64> squares, double limitPxPerMm) {
    List<Square> found = new ArrayList<>();
    for (Polygon2D_F64 polygon : squares) {
      if (polygon.size() != 4) {
        continue;
      }
      double side = 0;
      var centre = new Point2D_F64();
      for (int i = 0; i < 4; i++) {
        side += polygon.get(i).distance(polygon.get((i + 1) % 4)) / 4;
        centre.x += polygon.get(i).x / 4;
        centre.y += polygon.get(i).y / 4;
      }
      if (side >= MIN_SIDE_PX && side <= maxSide(limitPxPerMm)) {
        found.add(new Square(centre, side));
      }
    }
    found.sort(Comparator.comparingDouble(Square::side).reversed());
    List<Square> top = found.subList(0, Math.min(found.size(), MAX_SQUARES));
    for (Layout layout : layouts) {
      // The fiducial centres' rectangle, in mm: its short side, long side and diagonal.
      double inset = layout.markerMargin() + layout.markerSize() / 2;
      double w = layout.pageWidth() - 2 * inset;
      double h = layout.pageHeight() - 2 * inset;
      double[] model = {Math.min(w, h), Math.max(w, h), Math.hypot(w, h)};
      for (int a = 0; a < top.size(); a++) {
        for (int b = a + 1; b < top.size(); b++) {
          if (!similar(top.get(a).side, top.get(b).side, PAIR_TOLERANCE)) {
            continue;
          }
          for (int c = b + 1; c < top.size(); c++) {
            Square[] t = {top.get(a), top.get(b), top.get(c)};
            if (!similar(t[0].side, t[2].side, PAIR_TOLERANCE)
                || !similar(t[1].side, t[2].side, PAIR_TOLERANCE)) {
              continue;
            }
            double[] d = {
              t[0].centre.distance(t[1].centre),
              t[1].centre.distance(t[2].centre),
              t[0].centre.distance(t[2].centre)
            };
            Arrays.sort(d);
            // The shape (ratios of the distances) must be the layout's; the size of the squares
            // only roughly so, since blur grows or shrinks a thresholded blob.
            double pxPerMm = (d[0] / model[0] + d[1] / model[1] + d[2] / model[2]) / 3;
            double side = (t[0].side + t[1].side + t[2].side) / 3;
            if (similar(d[1] / d[0], model[1] / model[0], SHAPE_TOLERANCE)
                && similar(d[2] / d[0], model[2] / model[0], SHAPE_TOLERANCE)
                && similar(side / pxPerMm, layout.markerSize(), SIDE_TOLERANCE)
                && pxPerMm < limitPxPerMm) {
              return OptionalDouble.of(pxPerMm);
            }
          }
        }
      }
    }
    return OptionalDouble.empty();
  }

  private double maxSide(double limitPxPerMm) {
    double largest = layouts.stream().mapToDouble(Layout::markerSize).max().orElse(0);
    return largest * limitPxPerMm * (1 + SIDE_TOLERANCE);
  }

  private static boolean similar(double a, double b, double tolerance) {
    return Math.abs(a - b) <= tolerance * Math.max(a, b);
  }
}
