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
  private final GrayF32 steps = new GrayF32(1, 1);
  private final int[] gradients = new int[2048];

  /**
   * The directions {@link #streakSigma} measures the blur along, radians from x towards y: four, 45
   * degrees apart, so a streak in any direction lies within 22.5 degrees of one of them.
   */
  static final int DIRECTIONS = 4;

  /** The direction the last {@link #streakSigma} found most blurred, an index below 4. */
  private int streakDirection;

  /** Smoothing of the two scales compared by {@link #blurSigma}, in pixels. */
  static final double FINE_SIGMA = 2;

  static final double COARSE_SIGMA = 4;

  /** The finer of the two scales compared by {@link #sharpStepPixels}, in pixels. */
  static final double STEP_SIGMA = 1;

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

  /**
   * The blur along the photo's most blurred direction, as a Gaussian sigma in pixels: {@link
   * #blurSigma}'s ratio taken on the derivative along each of {@link #DIRECTIONS} directions
   * instead of the gradient's magnitude. Camera shake smears the photo along its streak only: edges
   * across the streak are smeared by its length, edges along it stay sharp, and those alone set the
   * strongest gradients {@link #blurSigma} measures, so a photo smeared past reading can look sharp
   * to it. The derivative along the streak is bounded by the contrast over the streak's length
   * everywhere. A defocused photo is blurred the same in every direction. Call after {@link
   * #blurSigma} on the same image (it reuses its smoothed copies).
   */
  public double streakSigma() {
    double worst = 0;
    double f2 = FINE_SIGMA * FINE_SIGMA;
    double c2 = COARSE_SIGMA * COARSE_SIGMA;
    for (int k = 0; k < DIRECTIONS; k++) {
      double a = Math.PI * k / DIRECTIONS;
      double ux = Math.cos(a);
      double uy = Math.sin(a);
      double r =
          strongestDerivative(coarse, ux, uy) / Math.max(1e-6, strongestDerivative(fine, ux, uy));
      double sigma =
          r >= 0.999 ? Double.MAX_VALUE : Math.sqrt(Math.max(0, (c2 * r * r - f2) / (1 - r * r)));
      if (k == 0 || sigma > worst) {
        worst = sigma;
        streakDirection = k;
      }
    }
    return worst;
  }

  /**
   * {@link #sharpStepPixels(double, double)} counting only steps whose gradient lies within 22.5
   * degrees of the direction the last {@link #streakSigma} found most blurred: a shaken photo keeps
   * sharp steps along its streak, none across it. Call after {@link #streakSigma}.
   */
  public int sharpStepPixelsAcrossStreak(double minGradient, double sharpSigma) {
    return sharpStepPixels(minGradient, sharpSigma, streakDirection);
  }

  /**
   * How many pixels of the photo lie on a sharp step: a pixel where the gradient after smoothing by
   * {@link #STEP_SIGMA} is at least {@code minGradient} grey levels per pixel and a maximum across
   * the edge, and where the ratio of the gradients after smoothing by {@link #FINE_SIGMA} and by
   * {@link #STEP_SIGMA}, taken at that pixel alone, gives a blur under {@code sharpSigma} for a
   * step edge. A photo of large flat shapes has few strong edges, and the whole-photo percentile of
   * {@link #blurSigma} then falls on their soft flanks and reads as blur; their own edges are still
   * sharp steps. The two scales are finer than the blur of a photo too blurred to grade, so a thin
   * blurred line (whose gradient drops faster with smoothing than a step's) does not pass for sharp
   * either. Call after {@link #blurSigma} on the same image (it reuses its smoothed copies).
   */
  public int sharpStepPixels(double minGradient, double sharpSigma) {
    return sharpStepPixels(minGradient, sharpSigma, -1);
  }

  /** The count of sharp steps, of gradients within 22.5 degrees of {@code direction} (-1: all). */
  private int sharpStepPixels(double minGradient, double sharpSigma, int direction) {
    // |cos| of the angle between gradient and direction at least cos(22.5 deg).
    double cosLimit = Math.cos(Math.PI / (2 * DIRECTIONS));
    double ux = direction < 0 ? 0 : Math.cos(Math.PI * direction / DIRECTIONS);
    double uy = direction < 0 ? 0 : Math.sin(Math.PI * direction / DIRECTIONS);
    steps.reshape(grey.width, grey.height);
    BlurImageOps.gaussian(grey, steps, STEP_SIGMA, -1, work);
    double s2 = STEP_SIGMA * STEP_SIGMA;
    double f2 = FINE_SIGMA * FINE_SIGMA;
    // sigma < b  <=>  r < sqrt((s2 + b^2) / (f2 + b^2)) for a step edge.
    double b2 = sharpSigma * sharpSigma;
    double maxRatio2 = (s2 + b2) / (f2 + b2);
    double min2 = minGradient * minGradient;
    int w = steps.width;
    float[] f = steps.data;
    float[] c = fine.data;
    int count = 0;
    for (int y = 2; y < steps.height - 2; y++) {
      for (int x = 2; x < w - 2; x++) {
        int i = y * w + x;
        float gx = (f[i + 1] - f[i - 1]) / 2;
        float gy = (f[i + w] - f[i - w]) / 2;
        double g2 = gx * gx + gy * gy;
        if (g2 < min2) {
          continue;
        }
        if (direction >= 0) {
          double along = gx * ux + gy * uy;
          if (along * along < cosLimit * cosLimit * g2) {
            continue;
          }
        }
        // A maximum across the edge: along the dominant gradient axis, the neighbours' gradients
        // along that axis are not larger.
        boolean peak;
        if (Math.abs(gx) >= Math.abs(gy)) {
          float left = Math.abs(f[i] - f[i - 2]) / 2;
          float right = Math.abs(f[i + 2] - f[i]) / 2;
          peak = Math.abs(gx) >= left && Math.abs(gx) >= right;
        } else {
          float up = Math.abs(f[i] - f[i - 2 * w]) / 2;
          float down = Math.abs(f[i + 2 * w] - f[i]) / 2;
          peak = Math.abs(gy) >= up && Math.abs(gy) >= down;
        }
        if (!peak) {
          continue;
        }
        float cx = (c[i + 1] - c[i - 1]) / 2;
        float cy = (c[i + w] - c[i - w]) / 2;
        if (cx * cx + cy * cy < maxRatio2 * g2) {
          count++;
        }
      }
    }
    return count;
  }

  /**
   * The 99.5th percentile of the absolute derivative along (ux, uy) (central differences), in grey
   * levels per pixel.
   */
  private double strongestDerivative(GrayF32 img, double ux, double uy) {
    java.util.Arrays.fill(gradients, 0);
    int n = 0;
    int w = img.width;
    for (int y = 1; y < img.height - 1; y += 2) {
      for (int x = 1; x < w - 1; x += 2) {
        int i = y * w + x;
        float gx = (img.data[i + 1] - img.data[i - 1]) / 2;
        float gy = (img.data[i + w] - img.data[i - w]) / 2;
        double g = Math.abs(gx * ux + gy * uy);
        gradients[Math.min(gradients.length - 1, (int) (g * 8))]++;
        n++;
      }
    }
    return percentile995(n);
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
    return percentile995(n);
  }

  /** The 99.5th percentile of the {@code n} values counted in {@link #gradients}, eighths. */
  private double percentile995(int n) {
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
