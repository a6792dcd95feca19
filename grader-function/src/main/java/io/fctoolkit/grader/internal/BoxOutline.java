package io.fctoolkit.grader.internal;

import java.util.Arrays;

/**
 * Finds a box's printed outline in a rectified patch of stroke darkness, near where the marker
 * homography puts it, and gives the region inside it. Curled paper and an uncorrected lens move
 * outlines several millimetres away from the homography's prediction; searching locally keeps the
 * printed line out of the region read as ink.
 *
 * <p>Each side is searched in its two halves separately, so a side that is tilted against the
 * homography (bending within the box) is followed too.
 *
 * <p>Not thread-safe (work arrays): one per {@link BoxReader}.
 */
final class BoxOutline {

  /** Weakest mean stroke darkness along a side that counts as the printed line. */
  static final double MIN_LINE_DARKNESS = 0.05;

  /** Two halves of one side further apart than this (samples) are not trusted separately. */
  static final int MAX_HALF_DISAGREEMENT = 9;

  int[] minU = new int[1];
  int[] maxU = new int[1];
  int[] minV = new int[1];
  int[] maxV = new int[1];

  /**
   * A position at least this fraction as dark as the darkest one found along a side is a line; of
   * such lines the outermost is the printed side (see {@link #pick}).
   */
  static final double RUN_FRACTION = 0.5;

  private double[] scoreWhole = new double[1];
  private double[] scoreFirst = new double[1];
  private double[] scoreSecond = new double[1];

  private int bestWhole;
  private int bestFirst;
  private int bestSecond;

  /** Indices into {@link #found}. */
  static final int LEFT = 0;

  static final int RIGHT = 1;
  static final int TOP = 2;
  static final int BOTTOM = 3;

  /**
   * Whether each side's printed line was found along both its halves, as two positions that agree;
   * otherwise its place is a guess (the whole side's outermost line, or the nominal place).
   */
  final boolean[] found = new boolean[4];

  /** Largest displacement of a side found, in samples (for diagnostics and tests). */
  int largestShift;

  /**
   * The region's bounding rectangle within the patch, u in [fromU, toU] and v in [fromV, toV]
   * (empty when a from exceeds its to): the per-box passes scan only it, a third of the patch.
   */
  int fromU;

  int toU;
  int fromV;
  int toV;

  /** 1 where {@link #inside} holds, row-major over the patch; 0 elsewhere. */
  byte[] region = new byte[1];

  /**
   * Finds the outline whose nominal position in the {@code w} x {@code h} patch is the rectangle
   * [left, right] x [top, bottom], searching {@code search} samples either way, and sets the region
   * {@code inset} samples inside it.
   */
  void find(
      float[] dark, int w, int h, int left, int right, int top, int bottom, int search, int inset) {
    minU = ensure(minU, h);
    maxU = ensure(maxU, h);
    minV = ensure(minV, w);
    maxV = ensure(maxV, w);
    largestShift = 0;
    // Left and right sides: vertical lines, searched along u, following v.
    int[] l = side(dark, w, h, left, top, bottom, search, true, LEFT);
    int[] r = side(dark, w, h, right, top, bottom, search, true, RIGHT);
    int[] t = side(dark, w, h, top, left, right, search, false, TOP);
    int[] b = side(dark, w, h, bottom, left, right, search, false, BOTTOM);
    double midV1 = top + (bottom - top) * 0.25;
    double midV2 = top + (bottom - top) * 0.75;
    double midU1 = left + (right - left) * 0.25;
    double midU2 = left + (right - left) * 0.75;
    for (int v = 0; v < h; v++) {
      minU[v] = (int) Math.ceil(lerp(l, midV1, midV2, v)) + inset;
      maxU[v] = (int) Math.floor(lerp(r, midV1, midV2, v)) - inset;
    }
    for (int u = 0; u < w; u++) {
      minV[u] = (int) Math.ceil(lerp(t, midU1, midU2, u)) + inset;
      maxV[u] = (int) Math.floor(lerp(b, midU1, midU2, u)) - inset;
    }
    fromU = w;
    toU = -1;
    fromV = h;
    toV = -1;
    for (int v = 0; v < h; v++) {
      fromU = Math.min(fromU, minU[v]);
      toU = Math.max(toU, maxU[v]);
    }
    for (int u = 0; u < w; u++) {
      fromV = Math.min(fromV, minV[u]);
      toV = Math.max(toV, maxV[u]);
    }
    fromU = Math.max(0, fromU);
    toU = Math.min(w - 1, toU);
    fromV = Math.max(0, fromV);
    toV = Math.min(h - 1, toV);
    if (region.length < w * h) {
      region = new byte[w * h];
    }
    Arrays.fill(region, 0, w * h, (byte) 0);
    for (int v = fromV; v <= toV; v++) {
      for (int u = fromU; u <= toU; u++) {
        if (inside(u, v)) {
          region[v * w + u] = 1;
        }
      }
    }
  }

  /** Whether sample (u, v) lies inside the region. */
  boolean inside(int u, int v) {
    return u >= minU[v] && u <= maxU[v] && v >= minV[u] && v <= maxV[u];
  }

  /** The line positions at the centres of the side's two halves, for side {@code which}. */
  private int[] side(
      float[] dark,
      int w,
      int h,
      int nominal,
      int from,
      int to,
      int search,
      boolean vertical,
      int which) {
    int outward = which == LEFT || which == TOP ? -1 : +1;
    int len = to - from;
    int a0 = from + (int) (len * 0.1);
    int a1 = from + len / 2;
    int a2 = to - (int) (len * 0.1);
    best(dark, w, h, nominal, a0, a1, a2, search, vertical, outward);
    int whole = bestWhole;
    int first = bestFirst;
    int second = bestSecond;
    found[which] =
        first != Integer.MIN_VALUE
            && second != Integer.MIN_VALUE
            && Math.abs(first - second) <= MAX_HALF_DISAGREEMENT;
    if (!found[which]) {
      int p = whole == Integer.MIN_VALUE ? nominal : whole;
      first = p;
      second = p;
    }
    largestShift =
        Math.max(largestShift, Math.max(Math.abs(first - nominal), Math.abs(second - nominal)));
    return new int[] {first, second};
  }

  /**
   * The line positions (within {@code search} of {@code nominal}) of the printed side along
   * positions a0..a2 (into {@link #bestWhole}), a0..a1 ({@link #bestFirst}) and a1..a2 ({@link
   * #bestSecond}) of the other axis, or MIN_VALUE when no position is dark enough. One pass over
   * the samples scores every position for the three; {@link #pick} then chooses among them.
   */
  private void best(
      float[] dark,
      int w,
      int h,
      int nominal,
      int a0,
      int a1,
      int a2,
      int search,
      boolean vertical,
      int outward) {
    int limit = vertical ? w : h;
    int from = Math.max(1, nominal - search);
    int to = Math.min(limit - 2, nominal + search);
    int n = Math.max(0, to - from + 1);
    scoreWhole = ensure(scoreWhole, n);
    scoreFirst = ensure(scoreFirst, n);
    scoreSecond = ensure(scoreSecond, n);
    for (int p = from; p <= to; p++) {
      double sumWhole = 0;
      double sumFirst = 0;
      double sumSecond = 0;
      for (int a = a0; a < a2; a++) {
        // The darkest of three neighbours across the line: a slight tilt stays on the line.
        float d0;
        float d1;
        float d2;
        if (vertical) {
          int row = a * w;
          d0 = dark[row + p - 1];
          d1 = dark[row + p];
          d2 = dark[row + p + 1];
        } else {
          d0 = dark[(p - 1) * w + a];
          d1 = dark[p * w + a];
          d2 = dark[(p + 1) * w + a];
        }
        float d = Math.max(d0, Math.max(d1, d2));
        sumWhole += d;
        if (a < a1) {
          sumFirst += d;
        } else {
          sumSecond += d;
        }
      }
      scoreWhole[p - from] = sumWhole / Math.max(1, a2 - a0);
      scoreFirst[p - from] = sumFirst / Math.max(1, a1 - a0);
      scoreSecond[p - from] = sumSecond / Math.max(1, a2 - a1);
    }
    bestWhole = pick(scoreWhole, from, n, nominal, outward);
    bestFirst = pick(scoreFirst, from, n, nominal, outward);
    bestSecond = pick(scoreSecond, from, n, nominal, outward);
  }

  /**
   * The printed side's position among {@code n} scored positions starting at {@code from}, or
   * MIN_VALUE when none is dark enough. Positions at least {@link #RUN_FRACTION} as dark as the
   * darkest form runs, each a line; the outermost run ({@code outward} +1: towards larger
   * positions) is the printed side, because a student writes inside the box: a pen stroke drawn
   * parallel to a side just inside it can be darker than the printed line. Within the run, the
   * middle of its darkest positions is the line.
   */
  private static int pick(double[] score, int from, int n, int nominal, int outward) {
    double top = MIN_LINE_DARKNESS;
    for (int i = 0; i < n; i++) {
      top = Math.max(top, score[i]);
    }
    double enough = Math.max(MIN_LINE_DARKNESS, top * RUN_FRACTION);
    // The outermost run [lo, hi]: walk from the outer end inwards to its first position above
    // enough, then on to the run's end.
    int lo = outward > 0 ? n - 1 : 0;
    while (lo >= 0 && lo < n && !(score[lo] > enough)) {
      lo -= outward;
    }
    if (lo < 0 || lo >= n) {
      return Integer.MIN_VALUE;
    }
    int hi = lo;
    while (hi - outward >= 0 && hi - outward < n && score[hi - outward] > enough) {
      hi -= outward;
    }
    if (lo > hi) {
      int t = lo;
      lo = hi;
      hi = t;
    }
    // The line's centre: the middle of the positions within 2% of the run's darkest (a blurred
    // line is a plateau several samples wide; its first position would bias the side).
    double runTop = 0;
    for (int i = lo; i <= hi; i++) {
      runTop = Math.max(runTop, score[i]);
    }
    int first = -1;
    int last = -1;
    for (int i = lo; i <= hi; i++) {
      if (score[i] * 1.02 >= runTop) {
        first = first < 0 ? i : first;
        last = i;
      }
    }
    int bestPos = from + (first + last) / 2;
    return bestPos;
  }

  private static double lerp(int[] ends, double at1, double at2, double x) {
    return ends[0] + (ends[1] - ends[0]) * (x - at1) / (at2 - at1);
  }

  private static int[] ensure(int[] a, int n) {
    return a.length >= n ? a : new int[n];
  }

  private static double[] ensure(double[] a, int n) {
    return a.length >= n ? a : new double[n];
  }
}
