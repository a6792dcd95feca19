package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.struct.image.GrayU8;
import georegression.struct.shapes.Polygon2D_F64;
import io.fctoolkit.grader.Layout;
import io.fctoolkit.grader.LayoutRegistry;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PaperRunOffTest {

  private static final Layout LAYOUT = LayoutRegistry.builtIn().all().get(0);
  private static final double PX_PER_MM = 2;
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 750;
  private static final double PAGE_LEFT = 250;
  private static final double DESK = 90;
  private static final double PAPER = 200;
  private static final double INK = 30;

  @Test
  void pageRunningOffTheTopIntoACastShadow_runsOff() {
    // The bottom-left marker in the light, the page's top half under a cast shadow (half the light,
    // a 30 mm penumbra) and cut by the photo's top edge: the shaded paper (100) is darker than the
    // middle grey between the lit paper and the lit desk (145), and a fill over that one threshold
    // stopped in the penumbra, short of the edge.
    GrayU8 photo = photo(550);

    assertThat(PaperRunOff.test(photo, LAYOUT, marker(550), 3)).isTrue();
  }

  @Test
  void wholePageUnderTheSameShadow_doesNotRunOff() {
    // The same page and shadow, the whole page in the photo: the fill follows the penumbra but
    // stops at the page's edges, a step of the paper-to-desk ratio whatever the light.
    GrayU8 photo = photo(720);

    assertThat(PaperRunOff.test(photo, LAYOUT, marker(720), 3)).isFalse();
  }

  /** The photo of the page whose bottom edge is at photo row {@code bottom}, blurred and noisy. */
  private static GrayU8 photo(double bottom) {
    double top = bottom - LAYOUT.pageHeight() * PX_PER_MM;
    double[] m = LAYOUT.markerOrigin(3);
    double s = LAYOUT.markerSize();
    var gray = new GrayU8(WIDTH, HEIGHT);
    var noise = new Random(7);
    for (int y = 0; y < HEIGHT; y++) {
      // A cast shadow over the photo's upper part: half the light above row 270, a 60-pixel
      // (30 mm) smooth penumbra.
      double t = Math.max(0, Math.min(1, (y - 270) / 60.0));
      double shade = 0.5 + 0.5 * t * t * (3 - 2 * t);
      for (int x = 0; x < WIDTH; x++) {
        double sx = (x + 0.5 - PAGE_LEFT) / PX_PER_MM;
        double sy = (y + 0.5 - top) / PX_PER_MM;
        double v = DESK;
        if (sx >= 0 && sy >= 0 && sx < LAYOUT.pageWidth() && sy < LAYOUT.pageHeight()) {
          boolean ink = sx >= m[0] && sx < m[0] + s && sy >= m[1] && sy < m[1] + s;
          v = ink ? INK : PAPER;
        }
        gray.set(x, y, (int) Math.round(Math.max(0, Math.min(255, v * shade))));
      }
    }
    GrayU8 blurred = BlurImageOps.gaussian(gray, null, 3 * PX_PER_MM / 2, -1, null);
    for (int i = 0; i < blurred.data.length; i++) {
      int v = (blurred.data[i] & 0xFF) + (int) Math.round(3 * noise.nextGaussian());
      blurred.data[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return blurred;
  }

  /** The bottom-left marker's corners in the photo, in sheet order. */
  private static Polygon2D_F64 marker(double bottom) {
    double top = bottom - LAYOUT.pageHeight() * PX_PER_MM;
    double[] m = LAYOUT.markerOrigin(3);
    double s = LAYOUT.markerSize();
    double x0 = PAGE_LEFT + m[0] * PX_PER_MM;
    double y0 = top + m[1] * PX_PER_MM;
    double side = s * PX_PER_MM;
    return new Polygon2D_F64(x0, y0, x0 + side, y0, x0 + side, y0 + side, x0, y0 + side);
  }
}
