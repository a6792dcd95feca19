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

  private int bestWhole;
  private int bestFirst;
  private int bestSecond;

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
    int[] l = side(dark, w, h, left, top, bottom, search, true);
    int[] r = side(dark, w, h, right, top, bottom, search, true);
    int[] t = side(dark, w, h, top, left, right, search, false);
    int[] b = side(dark, w, h, bottom, left, right, search, false);
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

  /** The line positions at the centres of the side's two halves. */
  private int[] side(
      float[] dark, int w, int h, int nominal, int from, int to, int search, boolean vertical) {
    int len = to - from;
    int a0 = from + (int) (len * 0.1);
    int a1 = from + len / 2;
    int a2 = to - (int) (len * 0.1);
    best(dark, w, h, nominal, a0, a1, a2, search, vertical);
    int whole = bestWhole;
    int first = bestFirst;
    int second = bestSecond;
    if (first == Integer.MIN_VALUE
        || second == Integer.MIN_VALUE
        || Math.abs(first - second) > MAX_HALF_DISAGREEMENT) {
      int p = whole == Integer.MIN_VALUE ? nominal : whole;
      first = p;
      second = p;
    }
    largestShift =
        Math.max(largestShift, Math.max(Math.abs(first - nominal), Math.abs(second - nominal)));
    return new int[] {first, second};
  }

  /**
   * The line positions (within {@code search} of {@code nominal}) with the darkest mean along
   * positions a0..a2 (into {@link #bestWhole}), a0..a1 ({@link #bestFirst}) and a1..a2 ({@link
   * #bestSecond}) of the other axis, or MIN_VALUE when no position is dark enough. One pass over
   * the samples serves the three; each mean is summed in the same order as on its own.
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
      boolean vertical) {
    int limit = vertical ? w : h;
    bestWhole = Integer.MIN_VALUE;
    bestFirst = Integer.MIN_VALUE;
    bestSecond = Integer.MIN_VALUE;
    double scoreWhole = MIN_LINE_DARKNESS;
    double scoreFirst = MIN_LINE_DARKNESS;
    double scoreSecond = MIN_LINE_DARKNESS;
    for (int p = Math.max(1, nominal - search); p <= Math.min(limit - 2, nominal + search); p++) {
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
      double whole = sumWhole / Math.max(1, a2 - a0);
      if (better(whole, scoreWhole, p, bestWhole, nominal)) {
        scoreWhole = whole;
        bestWhole = p;
      }
      double first = sumFirst / Math.max(1, a1 - a0);
      if (better(first, scoreFirst, p, bestFirst, nominal)) {
        scoreFirst = first;
        bestFirst = p;
      }
      double second = sumSecond / Math.max(1, a2 - a1);
      if (better(second, scoreSecond, p, bestSecond, nominal)) {
        scoreSecond = second;
        bestSecond = p;
      }
    }
  }

  /** Whether position p's score beats the best so far; ties prefer the nominal position. */
  private static boolean better(double score, double bestScore, int p, int bestPos, int nominal) {
    // A tie is noise, not displacement.
    return score > bestScore * 1.02
        || (score > bestScore && Math.abs(p - nominal) < Math.abs(bestPos - nominal));
  }

  private static double lerp(int[] ends, double at1, double at2, double x) {
    return ends[0] + (ends[1] - ends[0]) * (x - at1) / (at2 - at1);
  }

  private static int[] ensure(int[] a, int n) {
    return a.length >= n ? a : new int[n];
  }
}
