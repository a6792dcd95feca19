package io.fctoolkit.grader.internal;

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
 * then filled from the fiducial over pixels brighter than the middle grey (on a box- or
 * Gaussian-blurred edge that level stays at the page's edge); it runs off the photo when the fill
 * meets the photo's border along at least {@link #MIN_EDGE_MM} where the page can be and is no
 * larger than the page (larger, it has leaked into a bright background). Where the page can be is
 * the page's rectangle placed by the fiducial's own frame, widened by {@link #PAGE_SLACK}: a fill
 * that leaked from a shaded page into a lit band of the background meets the border far beyond the
 * page, while a page that runs off the photo meets it with its own paper.
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
    return fillMeetsBorder(
        gray,
        seedX,
        seedY,
        threshold,
        (long) maxArea,
        minEdgePx,
        new PageArea(layout, frame, corner));
  }

  /** The page's rectangle, widened by {@link #PAGE_SLACK}, as one fiducial's frame places it. */
  private record PageArea(Layout layout, MarkerFrame frame, double centreX, double centreY) {

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
   * Fills from ({@code x0}, {@code y0}) over 4-connected pixels brighter than {@code threshold};
   * true when the fill touches the border on at least {@code minEdgePx} pixels within {@code page}
   * and stays within {@code maxArea} pixels.
   */
  private static boolean fillMeetsBorder(
      GrayU8 gray, int x0, int y0, int threshold, long maxArea, double minEdgePx, PageArea page) {
    int w = gray.width;
    int h = gray.height;
    boolean[] seen = new boolean[w * h];
    int[] stack = new int[Math.max(16, w * h / 8)];
    int top = 0;
    stack[top++] = y0 * w + x0;
    seen[y0 * w + x0] = true;
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
      int[] next = {
        x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1
      };
      for (int j : next) {
        if (j >= 0 && !seen[j] && gray.get(j % w, j / w) > threshold) {
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
