package io.fctoolkit.grader.internal;

import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.alg.interpolate.InterpolatePixelS;
import boofcv.factory.interpolate.FactoryInterpolation;
import boofcv.struct.border.BorderType;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.AnswerBox;
import io.fctoolkit.grader.BoxResult;
import io.fctoolkit.grader.BoxState;

/**
 * Reads one answer box: resamples it from the photo into a rectified patch at a fixed resolution,
 * thresholds ink against the local mean (so shadows, gradients and soft smudges are not ink), skips
 * an inset along the printed outline, and turns the ink area into a decision.
 *
 * <p>Not thread-safe (work buffers): use one per thread.
 */
public final class BoxReader {

  /** Patch resolution: samples per sheet millimetre. */
  static final double SAMPLES_PER_MM = 3.0;

  /** Paper around the outline included in the patch, so the local mean sees the paper. */
  static final double MARGIN_MM = 4.0;

  /** Band inside the outline that is ignored: the printed line plus registration error. */
  static final double INSET_MM = 2.5;

  /** Half width of the local-mean window in samples (about 5 mm across). */
  static final int MEAN_RADIUS = 7;

  /** Darkness below this fraction of the paper grey is never ink (paper texture, erased pencil). */
  static final double NOISE_FLOOR = 0.04;

  /** ... nor is darkness within this many noise standard deviations. */
  static final double NOISE_SIGMAS = 2.5;

  /** At most this much ink (mm^2) reads as blank. */
  static final double BLANK_MAX_MM2 = 2.0;

  /** At least this much ink (mm^2) reads as answered. */
  static final double ANSWERED_MIN_MM2 = 5.0;

  private final InterpolatePixelS<GrayU8> interpolate =
      FactoryInterpolation.bilinearPixelS(GrayU8.class, BorderType.EXTENDED);
  private GrayF32 patch = new GrayF32(1, 1);
  private GrayF32 mean = new GrayF32(1, 1);
  private GrayF32 work = new GrayF32(1, 1);
  private final int[] histogram = new int[256];

  /** The ink found in one box and the resulting decision. */
  public BoxResult read(GrayU8 gray, Homography sheetToImage, AnswerBox box) {
    interpolate.setImage(gray);
    double x0 = box.x() - MARGIN_MM;
    double y0 = box.y() - MARGIN_MM;
    int w = (int) Math.round((box.width() + 2 * MARGIN_MM) * SAMPLES_PER_MM);
    int h = (int) Math.round((box.height() + 2 * MARGIN_MM) * SAMPLES_PER_MM);
    patch.reshape(w, h);
    mean.reshape(w, h);
    work.reshape(w, h);
    double[] c = sheetToImage.coefficients();
    boolean outside = false;
    for (int v = 0; v < h; v++) {
      double sy = y0 + (v + 0.5) / SAMPLES_PER_MM;
      for (int u = 0; u < w; u++) {
        double sx = x0 + (u + 0.5) / SAMPLES_PER_MM;
        double z = c[6] * sx + c[7] * sy + c[8];
        float px = (float) ((c[0] * sx + c[1] * sy + c[2]) / z);
        float py = (float) ((c[3] * sx + c[4] * sy + c[5]) / z);
        if (px < 0 || py < 0 || px > gray.width - 1 || py > gray.height - 1) {
          outside = true;
        }
        patch.data[v * w + u] = interpolate.get(px, py);
      }
    }
    if (outside) {
      return new BoxResult(box.id(), BoxState.UNCERTAIN, 0.5, -1);
    }
    BlurImageOps.mean(patch, mean, MEAN_RADIUS, work, null);
    float paper = Math.max(1f, percentile(patch.data, w * h, 0.9));
    float noise = noiseSigma(w * h);
    // Ink is darkness below the local mean beyond the noise: summed, not counted, because blur
    // spreads a faint stroke's darkness but keeps its total, so the sum survives defocus.
    float floor = (float) Math.max(NOISE_FLOOR * paper, NOISE_SIGMAS * noise);
    int inset = (int) Math.round((MARGIN_MM + INSET_MM) * SAMPLES_PER_MM);
    double darkness = 0;
    for (int v = inset; v < h - inset; v++) {
      int row = v * w;
      for (int u = inset; u < w - inset; u++) {
        float d = mean.data[row + u] - patch.data[row + u] - floor;
        if (d > 0) {
          darkness += d;
        }
      }
    }
    double inkMm2 = darkness / paper / (SAMPLES_PER_MM * SAMPLES_PER_MM);
    return decide(box.id(), inkMm2);
  }

  static BoxResult decide(String id, double inkMm2) {
    double mid = Math.sqrt(BLANK_MAX_MM2 * ANSWERED_MIN_MM2);
    double z = Math.abs(Math.log((inkMm2 + 0.25) / mid)) / Math.log(ANSWERED_MIN_MM2 / mid);
    double confidence = 0.5 + 0.5 * (1 - Math.exp(-1.6 * z));
    BoxState state;
    if (inkMm2 >= ANSWERED_MIN_MM2) {
      state = BoxState.ANSWERED;
    } else if (inkMm2 <= BLANK_MAX_MM2) {
      state = BoxState.BLANK;
    } else {
      state = BoxState.UNCERTAIN;
    }
    return new BoxResult(
        id, state, Math.round(confidence * 1000) / 1000.0, Math.round(inkMm2 * 10) / 10.0);
  }

  /** The {@code q} quantile of grey values 0..255, by histogram (no sorting). */
  private float percentile(float[] values, int n, double q) {
    java.util.Arrays.fill(histogram, 0);
    for (int i = 0; i < n; i++) {
      histogram[Math.max(0, Math.min(255, (int) values[i]))]++;
    }
    long target = Math.round(q * n);
    long seen = 0;
    for (int i = 0; i < 256; i++) {
      seen += histogram[i];
      if (seen >= target) {
        return i + 0.5f;
      }
    }
    return 255;
  }

  /** Robust noise estimate: 1.48 times the median absolute deviation from the local mean. */
  private float noiseSigma(int n) {
    java.util.Arrays.fill(histogram, 0);
    for (int i = 0; i < n; i++) {
      float d = Math.abs(patch.data[i] - mean.data[i]) * 4; // quarter grey levels
      histogram[Math.min(255, (int) d)]++;
    }
    long seen = 0;
    for (int i = 0; i < 256; i++) {
      seen += histogram[i];
      if (seen >= n / 2) {
        return 1.4826f * (i + 0.5f) / 4;
      }
    }
    return 64;
  }
}
