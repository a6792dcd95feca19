package io.fctoolkit.grader.internal;

import boofcv.alg.filter.binary.BinaryImageOps;
import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.alg.interpolate.InterpolatePixelS;
import boofcv.factory.interpolate.FactoryInterpolation;
import boofcv.struct.ConnectRule;
import boofcv.struct.border.BorderType;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayS32;
import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.AnswerBox;
import io.fctoolkit.grader.BoxResult;
import io.fctoolkit.grader.BoxState;
import io.fctoolkit.grader.Layout;
import java.util.Arrays;

/**
 * Reads answer boxes: resamples each box from the photo into a rectified patch at a fixed
 * resolution, thresholds ink against the local mean (so gradients, shadows and soft smudges are not
 * ink) and against the sheet's measured noise, skips an inset along the printed outline, keeps only
 * stroke-sized connected components, and turns the ink area into a decision.
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

  /** Gaussian smoothing of the patch, in samples. */
  static final double SMOOTH_SIGMA = 0.8;

  /** Ink is at least this fraction of the paper grey darker than its local mean... */
  static final double INK_CONTRAST = 0.07;

  /** ... and darker by more than this many (relative) noise standard deviations. */
  static final double NOISE_SIGMAS = 4;

  /** Smallest connected ink component counted, in samples (about 0.7 mm^2). */
  static final int MIN_COMPONENT = 6;

  /** At most this much ink (mm^2) reads as blank. */
  static final double BLANK_MAX_MM2 = 2.0;

  /** At least this much ink (mm^2) reads as answered. */
  static final double ANSWERED_MIN_MM2 = 5.0;

  private final InterpolatePixelS<GrayU8> interpolate =
      FactoryInterpolation.bilinearPixelS(GrayU8.class, BorderType.EXTENDED);
  private final GrayF32 patch = new GrayF32(1, 1);
  private final GrayF32 smooth = new GrayF32(1, 1);
  private final GrayF32 mean = new GrayF32(1, 1);
  private final GrayF32 work = new GrayF32(1, 1);
  private final GrayU8 binary = new GrayU8(1, 1);
  private final GrayS32 labels = new GrayS32(1, 1);
  private final int[] histogram = new int[256];
  private int[] sizes = new int[16];

  /**
   * The sheet's noise as a fraction of the paper grey, measured in the quiet strip between the two
   * bottom fiducials, which every layout keeps blank.
   */
  public double noiseLevel(GrayU8 gray, Homography sheetToImage, Layout layout) {
    double inner = layout.markerMargin() + layout.markerSize() + 5;
    double x = inner;
    double y = layout.pageHeight() - layout.markerMargin() - layout.markerSize() + 3;
    double w = layout.pageWidth() - 2 * inner;
    double h = layout.markerSize() - 6;
    if (!sample(gray, sheetToImage, x, y, w, h)) {
      return 0.05;
    }
    int n = patch.width * patch.height;
    float paper = Math.max(1f, percentile(smooth.data, n, 0.9));
    Arrays.fill(histogram, 0);
    for (int i = 0; i < n; i++) {
      float d = Math.abs(smooth.data[i] - mean.data[i]) * 1000 / paper; // per mille of paper
      histogram[Math.min(255, (int) d)]++;
    }
    long seen = 0;
    for (int i = 0; i < 256; i++) {
      seen += histogram[i];
      if (seen >= n / 2) {
        return 1.4826 * (i + 0.5) / 1000;
      }
    }
    return 0.256;
  }

  /** The ink found in {@code box} and the resulting decision, given the sheet's noise level. */
  public BoxResult read(GrayU8 gray, Homography sheetToImage, AnswerBox box, double noise) {
    if (!sample(
        gray,
        sheetToImage,
        box.x() - MARGIN_MM,
        box.y() - MARGIN_MM,
        box.width() + 2 * MARGIN_MM,
        box.height() + 2 * MARGIN_MM)) {
      return new BoxResult(box.id(), BoxState.UNCERTAIN, 0.5, -1);
    }
    int w = patch.width;
    int h = patch.height;
    float paper = Math.max(1f, percentile(smooth.data, w * h, 0.9));
    // Ink is darker than its local mean by more than a fixed fraction of the paper grey and
    // by more than the noise.
    float threshold = (float) (Math.max(INK_CONTRAST, NOISE_SIGMAS * noise) * paper);
    int inset = (int) Math.round((MARGIN_MM + INSET_MM) * SAMPLES_PER_MM);
    binary.reshape(w, h);
    Arrays.fill(binary.data, 0, w * h, (byte) 0);
    for (int v = inset; v < h - inset; v++) {
      int row = v * w;
      for (int u = inset; u < w - inset; u++) {
        if (mean.data[row + u] - smooth.data[row + u] > threshold) {
          binary.data[row + u] = 1;
        }
      }
    }
    // Strokes are connected; noise specks are not. Count only components of a stroke's size.
    labels.reshape(w, h);
    int components = BinaryImageOps.contour(binary, ConnectRule.EIGHT, labels).size();
    if (sizes.length < components + 1) {
      sizes = new int[components + 1];
    }
    Arrays.fill(sizes, 0, components + 1, 0);
    for (int i = 0; i < w * h; i++) {
      sizes[labels.data[i]]++;
    }
    int ink = 0;
    for (int label = 1; label <= components; label++) {
      if (sizes[label] >= MIN_COMPONENT) {
        ink += sizes[label];
      }
    }
    return decide(box.id(), ink / (SAMPLES_PER_MM * SAMPLES_PER_MM));
  }

  /**
   * Resamples the sheet rectangle into {@code patch}, then fills {@code smooth} and {@code mean};
   * false when part of it lies outside the photo.
   */
  private boolean sample(
      GrayU8 gray, Homography sheetToImage, double x0, double y0, double wMm, double hMm) {
    interpolate.setImage(gray);
    int w = (int) Math.round(wMm * SAMPLES_PER_MM);
    int h = (int) Math.round(hMm * SAMPLES_PER_MM);
    patch.reshape(w, h);
    smooth.reshape(w, h);
    mean.reshape(w, h);
    work.reshape(w, h);
    double[] c = sheetToImage.coefficients();
    for (int v = 0; v < h; v++) {
      double sy = y0 + (v + 0.5) / SAMPLES_PER_MM;
      for (int u = 0; u < w; u++) {
        double sx = x0 + (u + 0.5) / SAMPLES_PER_MM;
        double z = c[6] * sx + c[7] * sy + c[8];
        float px = (float) ((c[0] * sx + c[1] * sy + c[2]) / z);
        float py = (float) ((c[3] * sx + c[4] * sy + c[5]) / z);
        if (px < 0 || py < 0 || px > gray.width - 1 || py > gray.height - 1) {
          return false;
        }
        patch.data[v * w + u] = interpolate.get_fast(px, py);
      }
    }
    // Smooth a little: sensor and JPEG noise shrink, strokes (wider than the kernel) stay.
    BlurImageOps.gaussian(patch, smooth, SMOOTH_SIGMA, -1, work);
    BlurImageOps.mean(smooth, mean, MEAN_RADIUS, work, null);
    return true;
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
    Arrays.fill(histogram, 0);
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
}
