package io.fctoolkit.grader.internal;

import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.core.image.ConvertImage;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayU8;

/** Whole-photo exposure and sharpness figures. Not thread-safe (work buffer). */
public final class QualityMeter {

  private final GrayF32 grey = new GrayF32(1, 1);
  private final GrayF32 fine = new GrayF32(1, 1);
  private final GrayF32 coarse = new GrayF32(1, 1);
  private final GrayF32 work = new GrayF32(1, 1);
  private final int[] gradients = new int[2048];

  /** Smoothing of the two scales compared by {@link #blurSigma}, in pixels. */
  static final double FINE_SIGMA = 2;

  static final double COARSE_SIGMA = 4;

  /**
   * Exposure and sharpness of a photo.
   *
   * @param brightness mean grey
   * @param darkFraction fraction at or below 16
   * @param brightFraction fraction at or above 250
   * @param laplacianVariance variance of the Laplacian
   */
  public record Figures(
      double brightness, double darkFraction, double brightFraction, double laplacianVariance) {}

  /** Measures {@code gray}. */
  public Figures measure(GrayU8 gray) {
    long sum = 0;
    int dark = 0;
    int bright = 0;
    int n = gray.width * gray.height;
    byte[] data = gray.data;
    for (int i = 0; i < n; i++) {
      int v = data[i] & 0xFF;
      sum += v;
      if (v <= 16) {
        dark++;
      } else if (v >= 250) {
        bright++;
      }
    }
    // The 4-neighbour Laplacian of the inner pixels, computed in the loop that sums it instead of
    // into a float image first (BoofCV's DerivativeLaplacian gives the same integers): one pass
    // over the photo less.
    double s = 0;
    double s2 = 0;
    int count = 0;
    int stride = gray.stride;
    for (int y = 1; y < gray.height - 1; y++) {
      int row = gray.startIndex + y * stride;
      for (int x = 1; x < gray.width - 1; x++) {
        int i = row + x;
        double v =
            (data[i - stride] & 0xFF)
                + (data[i - 1] & 0xFF)
                - 4 * (data[i] & 0xFF)
                + (data[i + 1] & 0xFF)
                + (data[i + stride] & 0xFF);
        s += v;
        s2 += v * v;
        count++;
      }
    }
    double variance = count == 0 ? 0 : s2 / count - (s / count) * (s / count);
    return new Figures(
        sum / (double) Math.max(1, n), dark / (double) n, bright / (double) n, variance);
  }

  /**
   * The photo's own blur as a Gaussian sigma in pixels, from its sharpest edges: a step edge
   * blurred by sigma and then by s has a peak gradient proportional to 1 / sqrt(sigma^2 + s^2), so
   * the ratio of the strongest gradients after smoothing by {@link #FINE_SIGMA} and by {@link
   * #COARSE_SIGMA} gives sigma whatever the edge's contrast. The pre-smoothing keeps sensor noise
   * from posing as sharp edges.
   */
  public double blurSigma(GrayU8 gray) {
    grey.reshape(gray.width, gray.height);
    fine.reshape(gray.width, gray.height);
    coarse.reshape(gray.width, gray.height);
    work.reshape(gray.width, gray.height);
    ConvertImage.convert(gray, grey);
    BlurImageOps.gaussian(grey, fine, FINE_SIGMA, -1, work);
    BlurImageOps.gaussian(grey, coarse, COARSE_SIGMA, -1, work);
    double r = strongestGradient(coarse) / Math.max(1e-6, strongestGradient(fine));
    double f2 = FINE_SIGMA * FINE_SIGMA;
    double c2 = COARSE_SIGMA * COARSE_SIGMA;
    if (r >= 0.999) {
      return Double.MAX_VALUE;
    }
    return Math.sqrt(Math.max(0, (c2 * r * r - f2) / (1 - r * r)));
  }

  /** The 99.5th percentile of the gradient magnitude (central differences), in grey levels. */
  private double strongestGradient(GrayF32 img) {
    java.util.Arrays.fill(gradients, 0);
    int n = 0;
    int w = img.width;
    for (int y = 1; y < img.height - 1; y += 2) {
      for (int x = 1; x < w - 1; x += 2) {
        int i = y * w + x;
        float gx = (img.data[i + 1] - img.data[i - 1]) / 2;
        float gy = (img.data[i + w] - img.data[i - w]) / 2;
        double g = Math.sqrt(gx * gx + gy * gy);
        gradients[Math.min(gradients.length - 1, (int) (g * 8))]++;
        n++;
      }
    }
    long target = Math.round(n * 0.995);
    long seen = 0;
    for (int i = 0; i < gradients.length; i++) {
      seen += gradients[i];
      if (seen >= target) {
        return (i + 0.5) / 8;
      }
    }
    return gradients.length / 8.0;
  }
}
