package io.fctoolkit.grader.internal;

import boofcv.struct.image.GrayU8;
import java.util.Arrays;

/**
 * Straight lines in a box's patch that are not writing: fold creases and shadow edges crossing the
 * whole sheet, and remnants of the printed outline. Found with a Hough accumulator (fragments of a
 * faint crease still vote for one line) and told from pen strokes by where they end. Keeps its
 * accumulator between boxes; not thread-safe (one per {@link BoxReader}).
 */
final class StraightLines {

  private BoxOutline outline;
  private float[] dark;
  private float outsideThreshold;
  private int w;
  private int h;

  /**
   * Starts a box: its found {@code outline}, the {@code dark} stroke-darkness samples of its {@code
   * w} x {@code h} patch, and the darkness above which a sample outside the box counts as dark.
   */
  void begin(BoxOutline outline, float[] dark, float outsideThreshold, int w, int h) {
    this.outline = outline;
    this.dark = dark;
    this.outsideThreshold = outsideThreshold;
    this.w = w;
    this.h = h;
  }

  /**
   * Finds straight lines crossing the region in {@code binary} even when broken into fragments (a
   * faint crease, the fringe of a shadow edge): a Hough accumulator over the binary samples; a line
   * covering at least {@link BoxReader#LINE_COVERAGE} of its chord through the region and at least
   * {@link BoxReader#LINE_MIN_LENGTH_MM} long has its samples (within 2 samples) added to {@code
   * masked}. Returns whether any line was masked.
   */
  boolean mask(GrayU8 binary, GrayU8 masked) {
    // The binary samples and the masked ones that are read lie in the region's rectangle.
    int fromU = outline.fromU;
    int toU = outline.toU;
    int fromV = outline.fromV;
    int toV = outline.toV;
    int n = 0;
    for (int v = fromV; v <= toV; v++) {
      for (int i = v * w + fromU; i <= v * w + toU; i++) {
        if (binary.data[i] != 0) {
          n++;
        }
      }
    }
    int minCount =
        (int) (BoxReader.LINE_MIN_LENGTH_MM * BoxReader.SAMPLES_PER_MM * BoxReader.LINE_COVERAGE);
    if (n < minCount) {
      return false;
    }
    boolean any = false;
    int diag = (int) Math.ceil(Math.hypot(w, h));
    int bins = diag + 1; // rho in steps of 2 samples over [-diag, diag]
    if (accumulator.length < ANGLES * bins) {
      accumulator = new int[ANGLES * bins];
    }
    Arrays.fill(accumulator, 0, ANGLES * bins, 0);
    for (int v = fromV; v <= toV; v++) {
      for (int u = fromU; u <= toU; u++) {
        if (binary.data[v * w + u] == 0) {
          continue;
        }
        for (int a = 0; a < ANGLES; a++) {
          double rho = u * COS[a] + v * SIN[a];
          accumulator[a * bins + (int) ((rho + diag) / 2)]++;
        }
      }
    }
    for (int a = 0; a < ANGLES; a++) {
      for (int r = 0; r < bins; r++) {
        int votes = accumulator[a * bins + r];
        if (votes < minCount || r < 4 || r >= bins - 4) {
          continue;
        }
        // An isolated line: little on either side 6-8 samples away (writing is dense around).
        int row = a * bins;
        int left = accumulator[row + r - 3] + accumulator[row + r - 4];
        int right = accumulator[row + r + 3] + accumulator[row + r + 4];
        if (Math.max(left, right) > LINE_ISOLATION * votes
            || votes < accumulator[row + r - 1]
            || votes < accumulator[row + r + 1]) {
          continue;
        }
        double rho = r * 2 - diag + 1;
        // The chord: positions along the line inside the region; covered: those with a binary
        // sample within 2 samples across the line. A stroke, however thick, covers little of
        // the chord; a crease crossing the box covers most of it even when broken.
        int chord = 0;
        int covered = 0;
        double chordSum = 0;
        double cx = rho * COS[a];
        double cy = rho * SIN[a];
        for (int t = -diag; t <= diag; t++) {
          double pu = cx - t * SIN[a];
          double pv = cy + t * COS[a];
          int u0 = (int) Math.round(pu);
          int v0 = (int) Math.round(pv);
          if (u0 < 0 || v0 < 0 || u0 >= w || v0 >= h || !outline.inside(u0, v0)) {
            continue;
          }
          chord++;
          chordSum += t;
          for (int k = -2; k <= 2; k++) {
            int u = (int) Math.round(pu + k * COS[a]);
            int v = (int) Math.round(pv + k * SIN[a]);
            if (u >= 0 && v >= 0 && u < w && v < h && binary.data[v * w + u] != 0) {
              covered++;
              break;
            }
          }
        }
        if (chord < BoxReader.LINE_MIN_LENGTH_MM * BoxReader.SAMPLES_PER_MM
            || covered < BoxReader.LINE_COVERAGE * chord
            || !(alongSide(a, rho)
                || continuesOutside(
                    cx - chordSum / chord * SIN[a],
                    cy + chordSum / chord * COS[a],
                    -SIN[a],
                    COS[a]))) {
          continue;
        }
        any = true;
        maskLine(a, rho, masked);
      }
    }
    return any;
  }

  /**
   * Masks the line at normal angle index {@code a} and offset {@code rho}: the samples within 2.5
   * samples of it, and beyond that, up to {@link #MAX_LINE_HALF_WIDTH}, those reached from the line
   * over samples all darker than the loose threshold. A crease or a shadow edge is often wider than
   * 5 samples, or slightly bent; its fringe left unmasked is long thin ink along it.
   */
  private void maskLine(int a, double rho, GrayU8 masked) {
    for (int v = outline.fromV; v <= outline.toV; v++) {
      for (int u = outline.fromU; u <= outline.toU; u++) {
        double d = u * COS[a] + v * SIN[a] - rho;
        double off = Math.abs(d);
        if (off <= 2.5) {
          masked.data[v * w + u] = 1;
        } else if (off <= MAX_LINE_HALF_WIDTH && reachedOverDark(u, v, a, d)) {
          masked.data[v * w + u] = 1;
        }
      }
    }
  }

  /**
   * Whether sample (u, v), {@code d} samples off the line at angle index {@code a}, and every
   * sample between it and the 2.5-sample band around the line are darker than the loose threshold.
   */
  private boolean reachedOverDark(int u, int v, int a, double d) {
    double su = -Math.signum(d) * COS[a];
    double sv = -Math.signum(d) * SIN[a];
    for (int k = 0; k <= (int) Math.ceil(Math.abs(d) - 2.5); k++) {
      int qu = (int) Math.round(u + k * su);
      int qv = (int) Math.round(v + k * sv);
      if (qu < 0 || qv < 0 || qu >= w || qv >= h || !(dark[qv * w + qu] > outsideThreshold)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a thin component reaching two sides of the region, with centroid ({@code mu}, {@code
   * mv}) and main axis at {@code angle} (radians), is a crease or an edge rather than a pen stroke:
   * its line continues on the paper outside the box at both ends, or, unless it is a short one
   * cutting a corner ({@code cutsCorner}), it runs along a side of the region (an outline remnant).
   */
  boolean creaseOrEdge(double mu, double mv, double angle, boolean cutsCorner) {
    double du = Math.cos(angle);
    double dv = Math.sin(angle);
    // Normal direction index and offset for the along-side test.
    double na = angle + Math.PI / 2;
    na = ((na % Math.PI) + Math.PI) % Math.PI;
    int a = (int) Math.round(na / Math.PI * ANGLES) % ANGLES;
    double rho = mu * COS[a] + mv * SIN[a];
    return (!cutsCorner && alongSide(a, rho)) || continuesOutside(mu, mv, du, dv);
  }

  /**
   * Whether the line at normal angle index {@code a} and offset {@code rho} runs along a side of
   * the region, nearly parallel: a remnant of the printed outline, which ends at the box's corners
   * like a stroke would. It lies within {@link #SIDE_BAND} samples of the region's edge; where that
   * side's printed line was found (both halves agree), at most {@link #FOUND_SIDE_BAND} samples
   * inside the edge, since a line further in is not the printed one but writing drawn along the
   * side (a "1" just inside it).
   */
  private boolean alongSide(int a, double rho) {
    int tilt = Math.min(a, ANGLES - a); // angle index away from a vertical line (normal along u)
    int fromHorizontal = Math.abs(a - ANGLES / 2); // away from a horizontal line (normal along v)
    double mid = h / 2.0;
    double midU = w / 2.0;
    if (tilt <= 2) {
      // Near-vertical line: u = rho / cos at the middle row.
      double u = (rho - mid * SIN[a]) / COS[a];
      int v = (int) mid;
      return nearEdge(u - outline.minU[v], BoxOutline.LEFT)
          || nearEdge(outline.maxU[v] - u, BoxOutline.RIGHT);
    }
    if (fromHorizontal <= 2) {
      double v = (rho - midU * COS[a]) / SIN[a];
      int u = (int) midU;
      return nearEdge(v - outline.minV[u], BoxOutline.TOP)
          || nearEdge(outline.maxV[u] - v, BoxOutline.BOTTOM);
    }
    return false;
  }

  /**
   * Whether a line {@code inward} samples inside the region's edge on {@code side} is a remnant.
   */
  private boolean nearEdge(double inward, int side) {
    return inward >= -SIDE_BAND && inward <= (outline.found[side] ? FOUND_SIDE_BAND : SIDE_BAND);
  }

  /**
   * Whether the straight line through ({@code pu}, {@code pv}) with direction ({@code du}, {@code
   * dv}) is dark on the paper outside the box, beyond the printed outline, at both ends. A fold
   * crease or a shadow edge crosses the whole sheet; a pen or pencil stroke ends inside the box (a
   * stroke written over the outline is thinner than the search and still rarely reaches the paper
   * {@link #OUTSIDE_CLEARANCE} samples beyond it on both sides). An end that leaves the patch
   * before reaching that paper cannot be checked and counts as continuing.
   */
  private boolean continuesOutside(double pu, double pv, double du, double dv) {
    double norm = Math.hypot(du, dv);
    du /= norm;
    dv /= norm;
    for (int sign = -1; sign <= 1; sign += 2) {
      int outer = 0;
      int darkHits = 0;
      for (int t = 0; ; t++) {
        double qu = pu + sign * t * du;
        double qv = pv + sign * t * dv;
        int u0 = (int) Math.round(qu);
        int v0 = (int) Math.round(qv);
        if (u0 < 0 || v0 < 0 || u0 >= w || v0 >= h) {
          break;
        }
        int g = OUTSIDE_CLEARANCE;
        if (u0 >= outline.minU[v0] - g
            && u0 <= outline.maxU[v0] + g
            && v0 >= outline.minV[u0] - g
            && v0 <= outline.maxV[u0] + g) {
          continue; // inside the box or on its printed outline
        }
        outer++;
        for (int k = -2; k <= 2; k++) {
          int u = (int) Math.round(qu - k * dv);
          int v = (int) Math.round(qv + k * du);
          if (u >= 0 && v >= 0 && u < w && v < h && dark[v * w + u] > outsideThreshold) {
            darkHits++;
            break;
          }
        }
      }
      if (outer >= OUTSIDE_MIN_SAMPLES && darkHits < OUTSIDE_COVERAGE * outer) {
        return false;
      }
    }
    return true;
  }

  /** Farthest a masked line's dark fringe is followed from its centre, in samples (1.7 mm). */
  static final double MAX_LINE_HALF_WIDTH = 5;

  /** Samples beyond the region's edge where the paper outside the box starts (past the outline). */
  static final int OUTSIDE_CLEARANCE = 10;

  /** Fewest outside samples along a line for its end to be checked. */
  static final int OUTSIDE_MIN_SAMPLES = 6;

  /** Fraction of a line's outside samples that must be dark for it to continue there. */
  static final double OUTSIDE_COVERAGE = 0.5;

  /** Distance (samples) from a side within which a parallel line is an outline remnant. */
  static final double SIDE_BAND = 4;

  /** How far inside the region (samples) a remnant lies where its side's line was found. */
  static final double FOUND_SIDE_BAND = 1;

  /** Most votes 6-8 samples beside a line, relative to its own, for it to count as isolated. */
  static final double LINE_ISOLATION = 0.25;

  private static final int ANGLES = 60;
  private static final double[] COS = new double[ANGLES];
  private static final double[] SIN = new double[ANGLES];

  static {
    for (int a = 0; a < ANGLES; a++) {
      COS[a] = Math.cos(Math.PI * a / ANGLES);
      SIN[a] = Math.sin(Math.PI * a / ANGLES);
    }
  }

  private int[] accumulator = new int[1];
}
