package io.fctoolkit.grader.internal;

import boofcv.alg.filter.derivative.DerivativeLaplacian;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayU8;

/** Whole-photo exposure and sharpness figures. Not thread-safe (work buffer). */
public final class QualityMeter {

  private final GrayF32 laplacian = new GrayF32(1, 1);

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
    laplacian.reshape(gray.width, gray.height);
    DerivativeLaplacian.process(gray, laplacian);
    double s = 0;
    double s2 = 0;
    int count = 0;
    float[] l = laplacian.data;
    for (int y = 1; y < gray.height - 1; y++) {
      int row = y * gray.width;
      for (int x = 1; x < gray.width - 1; x++) {
        double v = l[row + x];
        s += v;
        s2 += v * v;
        count++;
      }
    }
    double variance = count == 0 ? 0 : s2 / count - (s / count) * (s / count);
    return new Figures(
        sum / (double) Math.max(1, n), dark / (double) n, bright / (double) n, variance);
  }
}
