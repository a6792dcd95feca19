package io.fctoolkit.grader.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast closing equals the closing by definition (a maximum, then a minimum, over the square
 * window clipped at the edges) on every sample, for shapes around the block size and the edges.
 */
class SquareClosingTest {

  @Test
  void equalsTheClosingByDefinition_onRandomPlanesOfAwkwardSizes() {
    var random = new SplittableRandom(18);
    var closing = new SquareClosing();
    int[][] shapes = {{168, 108}, {330, 114}, {11, 11}, {12, 23}, {7, 40}, {1, 5}, {34, 3}};
    for (int[] shape : shapes) {
      for (int radius : new int[] {1, 5}) {
        int w = shape[0];
        int h = shape[1];
        float[] in = new float[w * h];
        for (int i = 0; i < in.length; i++) {
          // Few distinct values make ties, which must not matter.
          in[i] = random.nextInt(4) == 0 ? random.nextInt(8) : (float) random.nextDouble(255);
        }
        float[] out = new float[w * h];
        closing.close(in, out, w, h, radius);
        assertThat(out)
            .as("%dx%d radius %d", w, h, radius)
            .containsExactly(naive(in, w, h, radius));
      }
    }
  }

  @Test
  void fillsAThinDarkStrokeWithThePaperAround() {
    int w = 40;
    int h = 30;
    float[] in = new float[w * h];
    java.util.Arrays.fill(in, 200f);
    for (int v = 0; v < h; v++) {
      in[v * w + 20] = 90f; // a 1-sample dark vertical stroke
    }
    float[] out = new float[w * h];
    new SquareClosing().close(in, out, w, h, 5);
    for (float c : out) {
      assertThat(c).isEqualTo(200f);
    }
  }

  private static float[] naive(float[] in, int w, int h, int r) {
    float[] dilated = new float[w * h];
    for (int v = 0; v < h; v++) {
      for (int u = 0; u < w; u++) {
        float m = Float.NEGATIVE_INFINITY;
        for (int y = Math.max(0, v - r); y <= Math.min(h - 1, v + r); y++) {
          for (int x = Math.max(0, u - r); x <= Math.min(w - 1, u + r); x++) {
            m = Math.max(m, in[y * w + x]);
          }
        }
        dilated[v * w + u] = m;
      }
    }
    float[] closed = new float[w * h];
    for (int v = 0; v < h; v++) {
      for (int u = 0; u < w; u++) {
        float m = Float.POSITIVE_INFINITY;
        for (int y = Math.max(0, v - r); y <= Math.min(h - 1, v + r); y++) {
          for (int x = Math.max(0, u - r); x <= Math.min(w - 1, u + r); x++) {
            m = Math.min(m, dilated[y * w + x]);
          }
        }
        closed[v * w + u] = m;
      }
    }
    return closed;
  }
}
