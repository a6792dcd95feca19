package io.fctoolkit.grader.sim;

/**
 * Camera-shake motion blur: every pixel becomes the mean of the scene along a straight segment of
 * {@code lengthPx} pixels centred on it, at angle {@code angle} (radians, from the image x axis
 * towards y). The segment is a box of that length along the streak and a point across it.
 *
 * <p>The segment is summed with a running sum over the photo sheared so that the streak's lines
 * become rows (one linear interpolation across the streak on the way in and one on the way out,
 * under a pixel of softening across it), so the cost does not grow with the streak's length: a 40
 * mm streak in a 5 MP photo is some 300 pixels long.
 */
final class MotionBlur {

  private MotionBlur() {}

  /**
   * The {@code width} x {@code height} image {@code in} (row-major grey levels) blurred along a
   * segment of {@code lengthPx} at {@code angle}; a new array. Pixels beyond the image repeat its
   * edge.
   */
  static float[] blur(float[] in, int width, int height, double lengthPx, double angle) {
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    if (Math.abs(c) >= Math.abs(s)) {
      return alongRows(in, width, height, lengthPx * Math.abs(c), s / c);
    }
    // Mostly vertical: transposing swaps x and y, so the streak's slope dx/dy becomes dy/dx.
    float[] t = transpose(in, width, height);
    float[] out = alongRows(t, height, width, lengthPx * Math.abs(s), c / s);
    return transpose(out, height, width);
  }

  /**
   * The blur of a streak whose extent along x is {@code extentX} pixels and that rises by {@code
   * slope} (|slope| <= 1) pixels in y per pixel in x.
   */
  private static float[] alongRows(
      float[] in, int width, int height, double extentX, double slope) {
    // Sheared rows: row j of the sheared image holds the line y = j + slope * x of the photo.
    double lowest = Math.min(0, -slope * (width - 1));
    int first = (int) Math.floor(lowest) - 1;
    int rows = (int) Math.ceil(height - 1 - Math.min(0, slope * (width - 1)) - first) + 2;
    float[] sheared = new float[rows * width];
    for (int j = 0; j < rows; j++) {
      for (int x = 0; x < width; x++) {
        sheared[j * width + x] = sampleColumn(in, width, height, x, first + j + slope * x);
      }
    }
    // The box along each sheared row: offsets -k..k at full weight and +-(k+1) at the fractional
    // rest, so a streak of any length (not only odd whole pixels) has its exact mean.
    double half = Math.max(0.5, extentX / 2);
    int k = (int) Math.floor(half - 0.5);
    double endWeight = half - (k + 0.5);
    double norm = 2 * k + 1 + 2 * endWeight;
    int pad = k + 1;
    double[] prefix = new double[width + 2 * pad + 1];
    float[] boxed = new float[rows * width];
    for (int j = 0; j < rows; j++) {
      int row = j * width;
      for (int i = 0; i < width + 2 * pad; i++) {
        int x = Math.max(0, Math.min(width - 1, i - pad));
        prefix[i + 1] = prefix[i] + sheared[row + x];
      }
      for (int x = 0; x < width; x++) {
        int centre = x + pad;
        double sum = prefix[centre + k + 1] - prefix[centre - k];
        if (endWeight > 0) {
          sum += endWeight * (prefix[centre - k] - prefix[centre - k - 1]);
          sum += endWeight * (prefix[centre + k + 2] - prefix[centre + k + 1]);
        }
        boxed[row + x] = (float) (sum / norm);
      }
    }
    // Back: pixel (x, y) lies on sheared row y - slope * x - first, between two whole rows.
    float[] out = new float[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double r = y - slope * x - first;
        int r0 = (int) Math.floor(r);
        double f = r - r0;
        out[y * width + x] =
            (float) ((1 - f) * boxed[r0 * width + x] + f * boxed[(r0 + 1) * width + x]);
      }
    }
    return out;
  }

  /** {@code in} at column {@code x} and fractional row {@code y}, linear in y, edges repeated. */
  private static float sampleColumn(float[] in, int width, int height, int x, double y) {
    if (y <= 0) {
      return in[x];
    }
    if (y >= height - 1) {
      return in[(height - 1) * width + x];
    }
    int y0 = (int) y;
    double f = y - y0;
    return (float) ((1 - f) * in[y0 * width + x] + f * in[(y0 + 1) * width + x]);
  }

  private static float[] transpose(float[] in, int width, int height) {
    float[] out = new float[in.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        out[x * height + y] = in[y * width + x];
      }
    }
    return out;
  }
}
