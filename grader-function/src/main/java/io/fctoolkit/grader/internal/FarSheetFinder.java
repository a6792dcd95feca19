package io.fctoolkit.grader.internal;

import boofcv.struct.image.GrayU8;
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

  /** Where a square's inside is sampled: fractions of the way from its centre to its outline. */
  private static final double[] INSIDE_SCALES = {0.3, 0.6, 0.85};

  /** Where the paper around a square is sampled (beyond a fiducial's quiet zone is paper). */
  private static final double[] AROUND_SCALES = {1.5, 1.8};

  /** Least darkening of a square's inside relative to the paper around it. */
  static final double MIN_SOLIDITY = 0.25;

  /**
   * With at most this many candidate squares in the photo, three in a fiducial's pattern are taken
   * for a sheet (its fourth fiducial may be missed at the lowest resolutions); with more (the
   * letters of a printed page of text), three can fall into the pattern by chance, and the fourth
   * must be there too.
   */
  static final int FEW_SQUARES = 8;

  /**
   * Most squares of the constellation's size (within {@link #PAIR_TOLERANCE}) in the photo, the
   * constellation's own among them: a worksheet shows its four fiducials at that size and little
   * else (letters and writing are far smaller than a 24 mm square), a printed page of text a letter
   * of its font at every word, dozens of them, and with so many even four fall into a fiducial's
   * pattern by chance.
   */
  static final int MAX_SAME_SIZE = 2 * FEW_SQUARES;

  /** How far (in square sides) from where it completes the rectangle the fourth may lie. */
  static final double FOURTH_DISTANCE = 0.5;

  /** Longer over shorter mid-line of a quadrilateral that can be a fiducial. */
  static final double MAX_MIDLINE_RATIO = 1.5;

  /** Longer over shorter diagonal of a quadrilateral that can be a fiducial. */
  static final double MAX_DIAGONAL_RATIO = 1.35;

  /**
   * Within this many of its own sides, no square of a fiducial's size lies near a fiducial of a
   * worksheet (the nearest, another fiducial, is the fiducial rectangle's short side away: about
   * seven sides): on a printed page of text, groups of letters of one size repeat along every line,
   * and three of them can sit in a fiducial's pattern.
   */
  static final double CLEAR_SIDES = 5;

  /** Squares smaller than this (mean side, pixels) carry too little shape to count. */
  static final double MIN_SIDE_PX = 5;

  private final Collection<Layout> layouts;

  /** A finder for the fiducial geometry of {@code layouts}. */
  public FarSheetFinder(Collection<Layout> layouts) {
    this.layouts = List.copyOf(layouts);
  }

  private record Square(Point2D_F64 centre, double side) {}

  /**
   * The sheet's pixels per millimetre from fiducials that were decoded (but too few, or too
   * inconsistent, to locate the sheet), if below {@code limitPxPerMm}: the largest side over the
   * smallest fiducial size of the layouts, which errs towards a larger sheet. The largest, because
   * small patterns in writing sometimes decode as fiducials at full resolution; real ones are the
   * biggest squares on the sheet.
   */
  public OptionalDouble pxPerMmBelow(List<Double> fiducialSides, double limitPxPerMm) {
    if (fiducialSides.isEmpty()) {
      return OptionalDouble.empty();
    }
    double largest = fiducialSides.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double smallest = layouts.stream().mapToDouble(Layout::markerSize).min().orElse(1);
    double pxPerMm = largest / smallest;
    return pxPerMm < limitPxPerMm ? OptionalDouble.of(pxPerMm) : OptionalDouble.empty();
  }

  /**
   * The sheet's pixels per millimetre if {@code squares} hold a fiducial constellation of a sheet
   * smaller than {@code limitPxPerMm}; larger ones are not looked for (fewer chance matches).
   */
  public OptionalDouble pxPerMmBelow(
      List<Polygon2D_F64> squares, GrayU8 gray, double limitPxPerMm) {
    List<Square> found = new ArrayList<>();
    double maxSide = maxSide(limitPxPerMm);
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
      if (side >= MIN_SIDE_PX
          && side <= maxSide
          && squareShaped(polygon)
          && solid(polygon, centre, gray)) {
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
                && pxPerMm < limitPxPerMm
                && (found.size() <= FEW_SQUARES || fourthFound(t, d[2], side, found))
                && clear(t, found)
                && sameSize(side, found) <= MAX_SAME_SIZE) {
              return OptionalDouble.of(pxPerMm);
            }
          }
        }
      }
    }
    return OptionalDouble.empty();
  }

  /** How many squares of {@code all} are of about {@code side}. */
  private static int sameSize(double side, List<Square> all) {
    int n = 0;
    for (Square sq : all) {
      n += similar(sq.side, side, PAIR_TOLERANCE) ? 1 : 0;
    }
    return n;
  }

  /**
   * Whether no square of {@code all} but the three of {@code t} is of about their size and within
   * {@link #CLEAR_SIDES} of one of them.
   */
  private static boolean clear(Square[] t, List<Square> all) {
    for (Square sq : all) {
      if (sq == t[0] || sq == t[1] || sq == t[2]) {
        continue;
      }
      for (Square member : t) {
        if (similar(sq.side, member.side, PAIR_TOLERANCE)
            && sq.centre.distance(member.centre) < CLEAR_SIDES * member.side) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether a fourth square of about the constellation's size ({@code side}) sits where the fourth
   * fiducial completes the rectangle of the three centres {@code t} ({@code diagonal} is their
   * longest distance).
   */
  private static boolean fourthFound(Square[] t, double diagonal, double side, List<Square> all) {
    // The right-angle corner is the one not on the longest distance (the diagonal).
    int corner = 0;
    double off = Double.MAX_VALUE;
    for (int k = 0; k < 3; k++) {
      double miss = Math.abs(t[(k + 1) % 3].centre.distance(t[(k + 2) % 3].centre) - diagonal);
      if (miss < off) {
        off = miss;
        corner = k;
      }
    }
    var o = t[corner].centre;
    var a = t[(corner + 1) % 3].centre;
    var b = t[(corner + 2) % 3].centre;
    double x = a.x + b.x - o.x;
    double y = a.y + b.y - o.y;
    for (Square sq : all) {
      if (Math.hypot(sq.centre.x - x, sq.centre.y - y) <= FOURTH_DISTANCE * side
          && similar(sq.side, side, PAIR_TOLERANCE)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the quadrilateral is about square, as a fiducial seen from up to ~40 degrees off its
   * axis is: its two mid-lines (joining the midpoints of opposite sides) within {@link
   * #MAX_MIDLINE_RATIO} of each other, and its diagonals within {@link #MAX_DIAGONAL_RATIO}. On a
   * printed page of text the dark quadrilaterals are mostly words and runs of letters, long and
   * thin, and three of them can sit in a fiducial's pattern by chance. (Side lengths are not
   * compared: at 13 px a marker's fitted corner is often cut, making one side short.)
   */
  static boolean squareShaped(Polygon2D_F64 quad) {
    double m1 = mid(quad, 0).distance(mid(quad, 2));
    double m2 = mid(quad, 1).distance(mid(quad, 3));
    double d1 = quad.get(0).distance(quad.get(2));
    double d2 = quad.get(1).distance(quad.get(3));
    return Math.max(m1, m2) <= MAX_MIDLINE_RATIO * Math.min(m1, m2)
        && Math.max(d1, d2) <= MAX_DIAGONAL_RATIO * Math.min(d1, d2);
  }

  private static Point2D_F64 mid(Polygon2D_F64 quad, int side) {
    var p = quad.get(side);
    var q = quad.get((side + 1) % 4);
    return new Point2D_F64((p.x + q.x) / 2, (p.y + q.y) / 2);
  }

  /**
   * Whether the quadrilateral is mostly dark, as a fiducial is (its black border and about half of
   * its bits), against the paper around it: printed box outlines and written zeros are closed
   * contours too, but light inside.
   */
  static boolean solid(Polygon2D_F64 quad, Point2D_F64 centre, GrayU8 gray) {
    double inside = meanAt(quad, centre, gray, INSIDE_SCALES);
    double around = meanAt(quad, centre, gray, AROUND_SCALES);
    return around > 0 && (around - inside) / around >= MIN_SOLIDITY;
  }

  /** Mean grey at the quadrilateral's corners and edge midpoints scaled about its centre. */
  private static double meanAt(Polygon2D_F64 quad, Point2D_F64 c, GrayU8 gray, double[] scales) {
    double sum = 0;
    int n = 0;
    for (double scale : scales) {
      for (int i = 0; i < 4; i++) {
        var p = quad.get(i);
        var q = quad.get((i + 1) % 4);
        for (double t : new double[] {0, 0.5}) {
          double x = c.x + scale * (p.x + t * (q.x - p.x) - c.x);
          double y = c.y + scale * (p.y + t * (q.y - p.y) - c.y);
          int u = (int) Math.round(x);
          int v = (int) Math.round(y);
          if (gray.isInBounds(u, v)) {
            sum += gray.unsafe_get(u, v);
            n++;
          }
        }
      }
    }
    if (scales == INSIDE_SCALES) {
      int u = (int) Math.round(c.x);
      int v = (int) Math.round(c.y);
      if (gray.isInBounds(u, v)) {
        sum += gray.unsafe_get(u, v);
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  private double maxSide(double limitPxPerMm) {
    double largest = layouts.stream().mapToDouble(Layout::markerSize).max().orElse(0);
    return largest * limitPxPerMm * (1 + SIDE_TOLERANCE);
  }

  private static boolean similar(double a, double b, double tolerance) {
    return Math.abs(a - b) <= tolerance * Math.max(a, b);
  }
}
