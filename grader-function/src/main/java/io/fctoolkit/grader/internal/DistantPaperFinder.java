package io.fctoolkit.grader.internal;

import boofcv.struct.image.GrayS32;
import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.Layout;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Recognises a whole worksheet so far from the camera that even its fiducials' squares are lost in
 * blur (under about 0.5 px/mm a fiducial is some 10 pixels wide): a region of paper brighter than
 * what surrounds it, wholly inside the photo, shaped like a layout's page (a filled rectangle of
 * its proportions) and dark where the layout's four fiducials sit. Used only to tell the student to
 * move closer instead of that there is no sheet; it never grades.
 */
public final class DistantPaperFinder {

  /** The working image's long side is at most this (a coarser copy of larger photos). */
  static final int WORK_LONG_SIDE = 2000;

  /** Smallest sheet looked for, photo pixels per mm: a page of about 50 x 75 pixels. */
  static final double MIN_PX_PER_MM = 0.25;

  /** Allowed relative difference between the region's proportions and the page's. */
  static final double ASPECT_TOLERANCE = 0.15;

  /**
   * Least share of the rectangle fitted to the region (by its second moments) that is paper: the
   * fiducials, print and writing leave holes, a blob of another shape fits worse.
   */
  static final double MIN_FILL = 0.7;

  /**
   * Most reach of the region along each axis of the fitted rectangle, over that rectangle's
   * half-side: a filled rectangle reaches 1.0 (a little more with blurred edges), an ellipse of the
   * same second moments 2 / sqrt(3) = 1.15, and so do other rounded shapes.
   */
  static final double MAX_REACH = 1.08;

  /**
   * Most reach along each axis, over the half-side, of a region that keeps four corners ({@link
   * #MIN_DIAGONAL_REACH}): a page seen in perspective (a trapezoid) or smeared by camera shake (a
   * parallelogram) reaches up to about 1.12 of the half-sides of its moments' rectangle on the
   * tuning photos (session 15, 1.13 before: an 11 mm streak at 2.35 px/mm 1.14, a page at 0.78
   * px/mm with its corners moved by perspective 1.18), yet still has its corners, where an
   * ellipse's reach along the diagonals is only about 0.86 of the rectangle's half-diagonal.
   */
  static final double MAX_REACH_CORNERED = 1.18;

  /** Least reach along both diagonals, over the moments' rectangle's half-diagonal. */
  static final double MIN_DIAGONAL_REACH = 0.92;

  /**
   * Threshold levels tried, each the Otsu threshold of the grey levels above the last. Three
   * (before session 15) all fell among a striped desk's greys under a far page at 0.41 px/mm.
   */
  static final int LEVELS = 5;

  /** Least darkening, relative to the paper's grey, at each fiducial's place. */
  static final double MIN_DARKENING = 0.2;

  /** Radius of the patch sampled at a fiducial's place, as a share of the fiducial's side. */
  static final double PATCH = 0.25;

  private final List<Layout> layouts;
  private final ComponentLabeler labeler = new ComponentLabeler();
  private final GrayU8 work = new GrayU8(1, 1);
  private final GrayU8 binary = new GrayU8(1, 1);
  private final GrayS32 labels = new GrayS32(1, 1);

  /** A finder for the pages of {@code layouts}. Not thread-safe: one per thread. */
  public DistantPaperFinder(Collection<Layout> layouts) {
    this.layouts = List.copyOf(layouts);
  }

  /**
   * A whole page found in a photo: its photo pixels per millimetre and its bounding box in the
   * photo's pixels (inclusive).
   */
  public record Page(double pxPerMm, int minX, int minY, int maxX, int maxY) {}

  /**
   * The sheet's photo pixels per millimetre if {@code gray} shows a whole distant worksheet at
   * under {@code limitPxPerMm}, else empty.
   */
  public OptionalDouble pxPerMmBelow(GrayU8 gray, double limitPxPerMm) {
    Optional<Page> page = page(gray, MIN_PX_PER_MM, limitPxPerMm);
    return page.isPresent() ? OptionalDouble.of(page.get().pxPerMm()) : OptionalDouble.empty();
  }

  /**
   * A whole worksheet's page in {@code gray}, wholly inside the photo, at {@code minPxPerMm} up to
   * (not including) {@code limitPxPerMm}, else empty.
   */
  public Optional<Page> page(GrayU8 gray, double minPxPerMm, double limitPxPerMm) {
    int factor =
        Math.max(1, (int) Math.ceil(Math.max(gray.width, gray.height) / (double) WORK_LONG_SIDE));
    shrink(gray, factor);
    long[] hist = new long[256];
    for (int i = 0; i < work.width * work.height; i++) {
      hist[work.data[i] & 0xFF]++;
    }
    // A distant sheet is a small share of the photo, so one Otsu threshold mostly splits the
    // background's light and dark parts: the paper is looked for above it and above the Otsu
    // thresholds of the brighter class, up to LEVELS in all (the paper is usually the brightest
    // thing in such a photo, but a desk with lit stripes can hold three levels below it).
    int threshold = -1;
    for (int level = 0; level < LEVELS; level++) {
      threshold = otsu(hist, threshold + 1);
      if (threshold < 0) {
        break;
      }
      Optional<Page> found = paperAbove(threshold, factor, minPxPerMm, limitPxPerMm);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private Optional<Page> paperAbove(
      int threshold, int factor, double minPxPerMm, double limitPxPerMm) {
    int w = work.width;
    int h = work.height;
    binary.reshape(w, h);
    for (int i = 0; i < w * h; i++) {
      binary.data[i] = (byte) ((work.data[i] & 0xFF) > threshold ? 1 : 0);
    }
    int n = labeler.label(binary, w, h, 0, w - 1, 0, h - 1, labels);
    long[] count = new long[n + 1];
    double[] sx = new double[n + 1];
    double[] sy = new double[n + 1];
    double[] sxx = new double[n + 1];
    double[] syy = new double[n + 1];
    double[] sxy = new double[n + 1];
    double[] grey = new double[n + 1];
    boolean[] edge = new boolean[n + 1];
    int[] minX = new int[n + 1];
    int[] maxX = new int[n + 1];
    int[] minY = new int[n + 1];
    int[] maxY = new int[n + 1];
    Arrays.fill(minX, Integer.MAX_VALUE);
    Arrays.fill(minY, Integer.MAX_VALUE);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int l = labels.data[y * w + x];
        if (l == 0) {
          continue;
        }
        count[l]++;
        sx[l] += x;
        sy[l] += y;
        sxx[l] += (double) x * x;
        syy[l] += (double) y * y;
        sxy[l] += (double) x * y;
        grey[l] += work.data[y * w + x] & 0xFF;
        edge[l] |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
        minX[l] = Math.min(minX[l], x);
        maxX[l] = Math.max(maxX[l], x);
        minY[l] = Math.min(minY[l], y);
        maxY[l] = Math.max(maxY[l], y);
      }
    }
    for (Layout layout : layouts) {
      double longMm = Math.max(layout.pageWidth(), layout.pageHeight());
      double shortMm = Math.min(layout.pageWidth(), layout.pageHeight());
      double pageArea = longMm * shortMm;
      double minPx = minPxPerMm / factor;
      double maxPx = limitPxPerMm / factor;
      for (int l = 1; l <= n; l++) {
        // Paper is at most the page's area and at least MIN_FILL of a page of the smallest size.
        if (edge[l]
            || count[l] < MIN_FILL * pageArea * minPx * minPx
            || count[l] > pageArea * maxPx * maxPx) {
          continue;
        }
        double c = count[l];
        double mx = sx[l] / c;
        double my = sy[l] / c;
        double vxx = sxx[l] / c - mx * mx;
        double vyy = syy[l] / c - my * my;
        double vxy = sxy[l] / c - mx * my;
        double mean = (vxx + vyy) / 2;
        double spread = Math.sqrt((vxx - vyy) * (vxx - vyy) / 4 + vxy * vxy);
        // A filled rectangle of sides a and b has variances a^2/12 and b^2/12 along its axes.
        double length = Math.sqrt(12 * (mean + spread));
        double width = Math.sqrt(12 * Math.max(0, mean - spread));
        if (width <= 0
            || Math.abs(length / width - longMm / shortMm) > ASPECT_TOLERANCE * longMm / shortMm
            || c < MIN_FILL * length * width) {
          continue;
        }
        double px = Math.sqrt(length * width / pageArea);
        if (px >= maxPx || px < minPx) {
          continue;
        }
        double angle = 0.5 * Math.atan2(2 * vxy, vxx - vyy);
        if (rectangular(
                l, new int[] {minX[l], maxX[l], minY[l], maxY[l]}, mx, my, angle, length, width)
            && fiducialsDark(layout, mx, my, angle, px, grey[l] / c)) {
          return Optional.of(
              new Page(
                  px * factor,
                  minX[l] * factor,
                  minY[l] * factor,
                  maxX[l] * factor + factor - 1,
                  maxY[l] * factor + factor - 1));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether region {@code label} (within {@code box}: min x, max x, min y, max y) is shaped like
   * the {@code length} x {@code width} rectangle of its moments, centred at ({@code cx}, {@code
   * cy}) with its long axis at {@code angle}: it reaches no further than {@link #MAX_REACH} of the
   * rectangle's half-sides along its axes, or no further than {@link #MAX_REACH_CORNERED} when it
   * also reaches {@link #MIN_DIAGONAL_REACH} of the half-diagonal along both diagonals.
   */
  private boolean rectangular(
      int label, int[] box, double cx, double cy, double angle, double length, double width) {
    double ux = Math.cos(angle);
    double uy = Math.sin(angle);
    // The diagonals' directions: (length * u +- width * v) / diagonal, v = (-uy, ux).
    double diagonal = Math.hypot(length, width);
    double ax = (length * ux - width * uy) / diagonal;
    double ay = (length * uy + width * ux) / diagonal;
    double bx = (length * ux + width * uy) / diagonal;
    double by = (length * uy - width * ux) / diagonal;
    double reachU = 0;
    double reachV = 0;
    double reachA = 0;
    double reachB = 0;
    for (int y = box[2]; y <= box[3]; y++) {
      for (int x = box[0]; x <= box[1]; x++) {
        if (labels.data[y * labels.width + x] != label) {
          continue;
        }
        double dx = x - cx;
        double dy = y - cy;
        reachU = Math.max(reachU, Math.abs(dx * ux + dy * uy));
        reachV = Math.max(reachV, Math.abs(-dx * uy + dy * ux));
        reachA = Math.max(reachA, Math.abs(dx * ax + dy * ay));
        reachB = Math.max(reachB, Math.abs(dx * bx + dy * by));
      }
    }
    // Half a pixel: the moments see pixel centres, the reach is measured to them too.
    if (reachU <= MAX_REACH * length / 2 + 0.5 && reachV <= MAX_REACH * width / 2 + 0.5) {
      return true;
    }
    boolean cornered =
        reachA >= MIN_DIAGONAL_REACH * diagonal / 2 && reachB >= MIN_DIAGONAL_REACH * diagonal / 2;
    return cornered
        && reachU <= MAX_REACH_CORNERED * length / 2 + 0.5
        && reachV <= MAX_REACH_CORNERED * width / 2 + 0.5;
  }

  /**
   * Whether the work image is dark at the four fiducials' places of {@code layout} (within {@link
   * #PATCH} of a fiducial's side of each), for a page centred at ({@code cx}, {@code cy}) with its
   * long axis at {@code angle} and {@code px} pixels per mm; the fiducials sit symmetrically, so a
   * page turned by half a turn puts them in the same places.
   */
  private boolean fiducialsDark(
      Layout layout, double cx, double cy, double angle, double px, double paper) {
    double longMm = Math.max(layout.pageWidth(), layout.pageHeight());
    double shortMm = Math.min(layout.pageWidth(), layout.pageHeight());
    double inset = layout.markerMargin() + layout.markerSize() / 2;
    double a = (longMm / 2 - inset) * px;
    double b = (shortMm / 2 - inset) * px;
    double ux = Math.cos(angle);
    double uy = Math.sin(angle);
    int r = Math.max(1, (int) Math.round(PATCH * layout.markerSize() * px));
    for (int k = 0; k < 4; k++) {
      double sa = (k & 1) == 0 ? a : -a;
      double sb = (k & 2) == 0 ? b : -b;
      int x = (int) Math.round(cx + sa * ux - sb * uy);
      int y = (int) Math.round(cy + sa * uy + sb * ux);
      // Perspective moves a fiducial off the corner place of the moments' rectangle (a trapezoid's
      // moments are not its corners'): the darkest patch centred within one patch radius of the
      // place counts, so that it still overlaps the place.
      double darkest = Double.MAX_VALUE;
      for (int oy = -r; oy <= r; oy++) {
        for (int ox = -r; ox <= r; ox++) {
          darkest = Math.min(darkest, patchMean(x + ox, y + oy, r));
        }
      }
      if (paper - darkest < MIN_DARKENING * paper) {
        return false;
      }
    }
    return true;
  }

  /**
   * The mean grey of the work image's pixels within {@code r} of ({@code x}, {@code y}) (a square),
   * or {@link Double#MAX_VALUE} when none is in the image.
   */
  private double patchMean(int x, int y, int r) {
    double sum = 0;
    int samples = 0;
    for (int dy = -r; dy <= r; dy++) {
      for (int dx = -r; dx <= r; dx++) {
        if (work.isInBounds(x + dx, y + dy)) {
          sum += work.data[(y + dy) * work.width + x + dx] & 0xFF;
          samples++;
        }
      }
    }
    return samples == 0 ? Double.MAX_VALUE : sum / samples;
  }

  /** {@code gray} averaged over {@code factor} x {@code factor} blocks into {@link #work}. */
  private void shrink(GrayU8 gray, int factor) {
    int w = gray.width / factor;
    int h = gray.height / factor;
    work.reshape(w, h);
    int area = factor * factor;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sum = 0;
        for (int j = 0; j < factor; j++) {
          int row = gray.startIndex + (y * factor + j) * gray.stride + x * factor;
          for (int i = 0; i < factor; i++) {
            sum += gray.data[row + i] & 0xFF;
          }
        }
        work.data[y * w + x] = (byte) (sum / area);
      }
    }
  }

  /**
   * Otsu's threshold of the grey levels {@code from}..255 of {@code hist} (levels above it are the
   * brighter class), or -1 when fewer than two levels are used there.
   */
  private static int otsu(long[] hist, int from) {
    long n = 0;
    double total = 0;
    for (int g = from; g < 256; g++) {
      n += hist[g];
      total += (double) g * hist[g];
    }
    double sumB = 0;
    long weightB = 0;
    double best = 0;
    int threshold = -1;
    for (int g = from; g < 256; g++) {
      weightB += hist[g];
      if (weightB == 0) {
        continue;
      }
      long weightF = n - weightB;
      if (weightF == 0) {
        break;
      }
      sumB += (double) g * hist[g];
      double meanB = sumB / weightB;
      double meanF = (total - sumB) / weightF;
      double between = (double) weightB * weightF * (meanB - meanF) * (meanB - meanF);
      if (between > best) {
        best = between;
        threshold = g;
      }
    }
    return threshold;
  }
}
