package io.fctoolkit.grader.internal;

import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayU8;
import georegression.struct.shapes.Polygon2D_F64;
import io.fctoolkit.grader.Layout;

/**
 * Whether the paper around one decoded fiducial visibly runs off the photo's edge: what a person
 * sees when a sheet is partly out of frame, even when the photo is too blurred for the other
 * fiducials to be found or their places to be extrapolated from one.
 *
 * <p>The paper's grey is sampled just inside the fiducial's inner sides (its quiet zone, towards
 * the page), the background's just beyond the page edge on its outer sides (the fiducial sits
 * {@code markerMargin} from the page's corner). The paper must be clearly brighter: a fiducial
 * decoded as another corner's, as happens in a blurred photo, has those sides swapped. The paper is
 * then filled from beside the fiducial over the pixels where the log grey changes gently ({@link
 * #MAX_SHADE_SLOPE} per millimetre): a cast shadow or a light gradient multiplies paper and ground
 * alike and over many millimetres, while the page's edge is a step of their ratio, as narrow as the
 * blur, so the fill follows the page into its shade and stops at its edge. Until session 13 it was
 * filled over the pixels brighter than the middle grey between paper and ground: it stopped where a
 * shadow or a light gradient darkened the page below that level (a sheet running off the photo in
 * shade was TOO_BLURRY), and it leaked through a blurred edge of a shaded page into lit bands of
 * the desk (a whole sheet "ran off"). It runs off the photo when the fill meets the photo's border
 * along at least {@link #MIN_EDGE_MM} where the page can be and is no larger than the page (larger,
 * it has leaked into the background). Where the page can be is the page's rectangle placed by the
 * fiducial's own frame, widened by {@link #PAGE_SLACK}: a fill that leaked into the background
 * meets the border far beyond the page, while a page that runs off the photo meets it with its own
 * paper.
 */
public final class PaperRunOff {

  /** Least paper-minus-background grey, absolute and as a share of the paper's grey. */
  static final double MIN_CONTRAST = 20;

  static final double MIN_CONTRAST_SHARE = 0.2;

  /** Least length of paper along the photo's border, in sheet millimetres. */
  static final double MIN_EDGE_MM = 20;

  /** Largest fill as a share of the page's area in the photo, for the fiducial's scale error. */
  static final double MAX_AREA_SHARE = 1.15;

  /** Background samples beyond the page's edge, in millimetres. */
  static final double BEYOND_PAGE_MM = 6;

  /**
   * How far beyond the page's rectangle, as placed by the one fiducial's frame, the fill's border
   * pixels still count, as a share of the page's longer side: the frame of one blurred 24 mm square
   * is extrapolated across the sheet with no perspective, and a few degrees or a tenth of scale off
   * move the far corner by some 30 mm.
   */
  static final double PAGE_SLACK = 0.25;

  /** The natural log of 1 + each grey level. */
  private static final float[] LOG = new float[256];

  static {
    for (int v = 0; v < 256; v++) {
      LOG[v] = (float) Math.log(1 + v);
    }
  }

  private PaperRunOff() {}

  /**
   * Whether the paper around {@code fiducial}, decoded as corner {@code corner} of {@code layout}
   * in {@code gray}, runs off the photo's edge.
   */
  public static boolean test(GrayU8 gray, Layout layout, Polygon2D_F64 fiducial, int corner) {
    double s = layout.markerSize();
    MarkerFrame frame = MarkerFrame.of(fiducial, s);
    // Towards the page's inside, along sheet x and y.
    double ix = corner == 0 || corner == 3 ? 1 : -1;
    double iy = corner == 0 || corner == 1 ? 1 : -1;
    double inner = s / 2 + 2.5;
    double outer = s / 2 + layout.markerMargin() + BEYOND_PAGE_MM;
    double[] paper = new double[10];
    double[] ground = new double[10];
    int papers = 0;
    int grounds = 0;
    int seedX = -1;
    int seedY = -1;
    for (int i = 0; i < 5; i++) {
      double t = (i - 2) * s / 5;
      // Inner sides: along sheet x at offset `inner`, and along sheet y.
      double[][] in = {{ix * inner, t}, {t, iy * inner}};
      double[][] out = {{-ix * outer, t}, {t, -iy * outer}};
      for (double[] d : in) {
        int x = (int) Math.round(frame.x(d[0], d[1]));
        int y = (int) Math.round(frame.y(d[0], d[1]));
        if (gray.isInBounds(x, y)) {
          paper[papers++] = gray.get(x, y);
          if (seedX < 0 && i == 2) {
            seedX = x;
            seedY = y;
          }
        }
      }
      for (double[] d : out) {
        int x = (int) Math.round(frame.x(d[0], d[1]));
        int y = (int) Math.round(frame.y(d[0], d[1]));
        if (gray.isInBounds(x, y)) {
          ground[grounds++] = gray.get(x, y);
        }
      }
    }
    if (papers < 6 || grounds < 5 || seedX < 0) {
      return false;
    }
    double paperGrey = median(paper, papers);
    double groundGrey = median(ground, grounds);
    if (paperGrey - groundGrey < Math.max(MIN_CONTRAST, MIN_CONTRAST_SHARE * paperGrey)) {
      return false;
    }
    int threshold = (int) Math.round((paperGrey + groundGrey) / 2);
    if (gray.get(seedX, seedY) <= threshold) {
      return false;
    }
    double mm2 = frame.pixelsPerMm2();
    double maxArea = MAX_AREA_SHARE * layout.pageWidth() * layout.pageHeight() * mm2;
    double minEdgePx = MIN_EDGE_MM * Math.sqrt(mm2);
    PageArea page = new PageArea(layout, frame, corner);
    return fillMeetsBorder(gray, frame, s, ix, iy, threshold, (long) maxArea, minEdgePx, page);
  }

  /**
   * Largest slope of the log grey, per sheet millimetre, that the paper's fill crosses. A cast
   * shadow or a light gradient multiplies paper and ground alike, so in the log it adds a ramp as
   * wide as its penumbra (many millimetres); the page's edge is a step of the paper-to-ground ratio
   * (0.2 or more in the log, by {@link #MIN_CONTRAST_SHARE}) over the blur's width. On the nine
   * tuning photos of such run-offs the fill followed the shade from 0.03 per mm and crossed no page
   * edge up to 0.09 per mm (at 0.12 it leaked through some): 0.06 lies midway.
   */
  static final double MAX_SHADE_SLOPE = 0.06;

  /** Smoothing (Gaussian sigma, sheet millimetres) of the log grey before its slope is taken. */
  static final double SLOPE_SMOOTHING_MM = 0.5;

  /** How far inward of the fiducial's inner sides the fill's seed is looked for. */
  static final double SEED_SEARCH_MM = 15;

  /**
   * Whether the paper filled from beside the fiducial (the first pixel brighter than {@code
   * threshold} with a gentle slope, looked for up to {@link #SEED_SEARCH_MM} inward of its inner
   * sides, along the sheet's axes and its diagonal) over pixels where the log grey changes by less
   * than {@link #MAX_SHADE_SLOPE} per millimetre meets the border (see {@link #fill}).
   */
  static boolean fillMeetsBorder(
      GrayU8 gray,
      MarkerFrame frame,
      double s,
      double ix,
      double iy,
      int threshold,
      long maxArea,
      double minEdgePx,
      PageArea page) {
    int w = gray.width;
    int h = gray.height;
    double pxPerMm = Math.sqrt(frame.pixelsPerMm2());
    var log = new GrayF32(w, h);
    for (int i = 0; i < w * h; i++) {
      log.data[i] = LOG[gray.data[i] & 0xFF];
    }
    GrayF32 smooth =
        BlurImageOps.gaussian(log, null, Math.max(1, SLOPE_SMOOTHING_MM * pxPerMm), -1, null);
    double limit = MAX_SHADE_SLOPE / pxPerMm;
    double limit2 = 4 * limit * limit;
    boolean[] flat = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      int up = Math.max(0, y - 1) * w;
      int down = Math.min(h - 1, y + 1) * w;
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        float gx =
            smooth.data[y * w + Math.min(w - 1, x + 1)] - smooth.data[y * w + Math.max(0, x - 1)];
        float gy = smooth.data[down + x] - smooth.data[up + x];
        // Central differences span two pixels: compare with twice the limit.
        double scale = (x == 0 || x == w - 1 ? 2 : 1);
        double scaleY = (y == 0 || y == h - 1 ? 2 : 1);
        flat[i] = gx * scale * gx * scale + gy * scaleY * gy * scaleY < limit2;
      }
    }
    int seed = -1;
    for (double d = s / 2 + 2.5; d <= s / 2 + SEED_SEARCH_MM && seed < 0; d += 0.5) {
      double[][] at = {{ix * d, 0}, {0, iy * d}, {ix * d, iy * d}};
      for (double[] p : at) {
        int x = (int) Math.round(frame.x(p[0], p[1]));
        int y = (int) Math.round(frame.y(p[0], p[1]));
        if (gray.isInBounds(x, y) && flat[y * w + x] && gray.get(x, y) > threshold) {
          seed = y * w + x;
          break;
        }
      }
    }
    if (seed < 0) {
      return false;
    }
    return fill(w, h, seed, flat, maxArea, minEdgePx, page);
  }

  /** The page's rectangle, widened by {@link #PAGE_SLACK}, as one fiducial's frame places it. */
  record PageArea(Layout layout, MarkerFrame frame, double centreX, double centreY) {

    PageArea(Layout layout, MarkerFrame frame, int corner) {
      this(
          layout,
          frame,
          layout.markerOrigin(corner)[0] + layout.markerSize() / 2,
          layout.markerOrigin(corner)[1] + layout.markerSize() / 2);
    }

    /** Whether photo pixel ({@code x}, {@code y}) lies where the page can be. */
    boolean contains(int x, int y) {
      // The frame's affine map inverted: sheet millimetres from the fiducial's centre.
      double det = frame.xx() * frame.yy() - frame.yx() * frame.xy();
      double px = x - frame.cx();
      double py = y - frame.cy();
      double sheetX = centreX + (frame.yy() * px - frame.yx() * py) / det;
      double sheetY = centreY + (-frame.xy() * px + frame.xx() * py) / det;
      double slack = PAGE_SLACK * Math.max(layout.pageWidth(), layout.pageHeight());
      return sheetX >= -slack
          && sheetY >= -slack
          && sheetX <= layout.pageWidth() + slack
          && sheetY <= layout.pageHeight() + slack;
    }
  }

  /**
   * Fills from pixel {@code seed} over the 4-connected pixels where {@code passable}; true when the
   * fill touches the border on at least {@code minEdgePx} pixels within {@code page} and stays
   * within {@code maxArea} pixels.
   */
  static boolean fill(
      int w, int h, int seed, boolean[] passable, long maxArea, double minEdgePx, PageArea page) {
    boolean[] seen = new boolean[w * h];
    int[] stack = new int[Math.max(16, w * h / 8)];
    int top = 0;
    stack[top++] = seed;
    seen[seed] = true;
    long area = 0;
    int border = 0;
    while (top > 0) {
      int i = stack[--top];
      area++;
      if (area > maxArea) {
        return false;
      }
      int x = i % w;
      int y = i / w;
      if ((x == 0 || y == 0 || x == w - 1 || y == h - 1) && page.contains(x, y)) {
        border++;
      }
      for (int k = 0; k < 4; k++) {
        int j =
            switch (k) {
              case 0 -> x > 0 ? i - 1 : -1;
              case 1 -> x < w - 1 ? i + 1 : -1;
              case 2 -> y > 0 ? i - w : -1;
              default -> y < h - 1 ? i + w : -1;
            };
        if (j >= 0 && !seen[j] && passable[j]) {
          seen[j] = true;
          if (top == stack.length) {
            stack = java.util.Arrays.copyOf(stack, stack.length * 2);
          }
          stack[top++] = j;
        }
      }
    }
    return border >= minEdgePx;
  }

  private static double median(double[] values, int n) {
    double[] sorted = java.util.Arrays.copyOf(values, n);
    java.util.Arrays.sort(sorted);
    return sorted[n / 2];
  }
}
