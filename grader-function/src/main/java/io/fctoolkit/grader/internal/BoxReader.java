package io.fctoolkit.grader.internal;

import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayS32;
import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.AnswerBox;
import io.fctoolkit.grader.BoxResult;
import io.fctoolkit.grader.BoxState;
import java.util.Arrays;

/**
 * Reads answer boxes. Each box plus a margin is resampled from the photo into a rectified patch;
 * its stroke darkness is the morphological black top-hat (closing minus the patch) relative to the
 * closing, which is the local paper: a stroke narrower than the closing window is dark against it,
 * while a light gradient, a shadow edge (a step) and a soft smudge are not, whatever their light
 * level. The printed outline is found locally and the region inside it is read; ink thresholds come
 * from that region's own darkness statistics (paper grain, sensor and JPEG noise) with a floor, so
 * there is no fallback constant. Long thin straight components crossing the region (a fold crease,
 * the dark fringe of a sharpened shadow edge, an outline remnant) are not ink.
 *
 * <p>The decision is checked against a looser and a stricter threshold: a box is BLANK with
 * confidence only if even the loose threshold finds no ink, ANSWERED with confidence only if even
 * the strict threshold finds enough; otherwise it is UNCERTAIN.
 *
 * <p>Not thread-safe (work buffers): use one per thread.
 */
public final class BoxReader {

  /** Patch resolution: samples per sheet millimetre. */
  static final double SAMPLES_PER_MM = 3.0;

  /** Paper around the outline included in the patch: the outline search range plus room. */
  static final double MARGIN_MM = 7.0;

  /** How far from the homography's prediction the printed outline is searched, in mm. */
  static final double OUTLINE_SEARCH_MM = 5.0;

  /** Band inside the found outline that is ignored: the printed line's blurred width. */
  static final double INSET_MM = 2.0;

  /** Closing window radius in samples (a 3 mm square): strokes narrower than this are found. */
  static final int CLOSING_RADIUS = 5;

  /** Extra smoothing of the patch before its closing (the paper level), in samples. */
  static final double BACKGROUND_SIGMA = 2.0;

  /** Gaussian smoothing of the patch, in samples. */
  static final double SMOOTH_SIGMA = 0.8;

  /** Smallest ink contrast (fraction of the local paper) whatever the noise. */
  static final double MIN_CONTRAST = 0.04;

  /** Largest ink threshold: dense writing raising the region's statistics cannot hide itself. */
  static final double MAX_THRESHOLD = 0.10;

  /** Ink is darker than the region's median darkness by this many noise sigmas. */
  static final double NOISE_SIGMAS = 5;

  /** The loose and strict thresholds, relative to the decision threshold. */
  static final double LOOSE = 0.6;

  static final double STRICT = 1.6;

  /** Smallest connected ink component counted, in samples (about 0.7 mm^2). */
  static final int MIN_COMPONENT = 6;

  /** Smallest component counted at the loose threshold, in samples: noise specks are compact. */
  static final int LOOSE_MIN_COMPONENT = 8;

  /** A component at most this thick (mm)... */
  static final double LINE_MAX_THICKNESS_MM = 2.0;

  /** ... and at least this long (mm), spanning the region, is a line, not writing. */
  static final double LINE_MIN_LENGTH_MM = 10.0;

  /**
   * A thin component this long (mm) reaching two sides of the region, shorter than {@link
   * #LINE_MIN_LENGTH_MM}, cuts a corner of the box: a crease or shadow edge when it continues on
   * the paper outside at both ends.
   */
  static final double CORNER_CUT_MIN_LENGTH_MM = 4.0;

  /** Shortest component counted as a stroke, in mm (compact blobs are smudge cores). */
  static final double MIN_STROKE_LENGTH_MM = 1.5;

  /** A component at least this thick (mm) and filling its ellipse... */
  static final double BLOB_MIN_THICKNESS_MM = 1.2;

  /** ... at most this long (mm)... */
  static final double BLOB_MAX_LENGTH_MM = 4;

  /** ... to at least this fraction is a smudge. */
  static final double BLOB_FILL = 0.6;

  /** Fraction of its chord through the region a straight line must cover to be masked. */
  static final double LINE_COVERAGE = 0.7;

  /** The loose threshold never goes below this contrast (paper texture, crease shading). */
  static final double LOOSE_FLOOR = 0.025;

  /**
   * Above this loose threshold (a fraction of the local paper) a box is noisy: its noise is so high
   * (robust sigma over about 1.4% of the paper) that faint pencil, whose strokes reach only
   * 0.03-0.06 darkness at 1.3-2.5 px/mm, can stay under the loose threshold, so "no ink found" does
   * not mean "no ink there" when the writer is known to use faint pencil (see {@link
   * #FAINT_WRITING_MM2}).
   */
  static final double NOISY_LOOSE_THRESHOLD = 0.045;

  /**
   * An UNCERTAIN box with at least this much ink (mm^2) at the loose threshold shows faint writing
   * on the sheet (an erased ghost or a smudge seldom reaches it): the sheet's noisy BLANK boxes are
   * then UNCERTAIN too.
   */
  public static final double FAINT_WRITING_MM2 = 20.0;

  /**
   * On a sheet showing faint writing (see {@link #FAINT_WRITING_MM2}), a BLANK box with more ink
   * than this (mm^2) at the loose threshold is UNCERTAIN: a faint stroke under shade or blur leaves
   * only such fragments above it.
   */
  public static final double FAINT_SHEET_BLANK_MAX_MM2 = 1.0;

  /** At most this much ink (mm^2) reads as blank. */
  static final double BLANK_MAX_MM2 = 2.0;

  /** At least this much ink (mm^2) reads as answered. */
  static final double ANSWERED_MIN_MM2 = 5.0;

  /** A decided box has at least this confidence; less sure is UNCERTAIN. */
  public static final double CONFIDENT = 0.95;

  private final GrayF32 patch = new GrayF32(1, 1);
  private final GrayF32 smooth = new GrayF32(1, 1);
  private final GrayF32 work = new GrayF32(1, 1);
  private final GrayF32 closing = new GrayF32(1, 1);
  private final GrayF32 soft = new GrayF32(1, 1);
  private final GrayU8 binary = new GrayU8(1, 1);
  private final GrayU8 masked = new GrayU8(1, 1);
  private final GrayS32 labels = new GrayS32(1, 1);
  private final BoxOutline outline = new BoxOutline();
  private final ComponentLabeler labeler = new ComponentLabeler();
  private final SquareClosing squareClosing = new SquareClosing();
  private final StraightLines lines = new StraightLines();
  private final int[] histogram = new int[1001];
  private float[] dark = new float[1];
  private double[] columnX = new double[3];
  private int[] count = new int[16];
  private double[] moments = new double[16 * 5];
  private int[] sides = new int[16];
  private boolean[] isLine = new boolean[16];
  private double shapeLength;
  private double lastLoose;
  private boolean lastNoisy;
  private boolean lastNoiseLimited;
  private double shapeThickness;

  /** The ink found in {@code box} and the resulting decision. */
  public BoxResult read(GrayU8 gray, Homography sheetToImage, AnswerBox box) {
    return read(gray, sheetToImage, box, 1);
  }

  /**
   * The ink found in {@code box}, each patch sample being the mean of the {@code footprint} x
   * {@code footprint} pixels around its place (1: the pixel at its place, interpolated). A photo
   * decoded at full resolution and read with the footprint of one patch sample ({@link #footprint})
   * has its per-pixel noise averaged, where a subsampled decode keeps one pixel in {@code
   * subsampling^2} and its noise whole.
   */
  public BoxResult read(GrayU8 gray, Homography sheetToImage, AnswerBox box, int footprint) {
    lastLoose = 0;
    lastNoisy = false;
    lastNoiseLimited = false;
    if (!sample(gray, sheetToImage, box, footprint)) {
      return new BoxResult(box.id(), BoxState.UNCERTAIN, 0.5, -1);
    }
    int w = patch.width;
    int h = patch.height;
    darkness(w, h);
    int m = (int) Math.round(MARGIN_MM * SAMPLES_PER_MM);
    outline.find(
        dark,
        w,
        h,
        m,
        w - 1 - m,
        m,
        h - 1 - m,
        (int) Math.round(OUTLINE_SEARCH_MM * SAMPLES_PER_MM),
        (int) Math.round(INSET_MM * SAMPLES_PER_MM));
    double threshold = threshold(w, h);
    lastNoiseLimited = threshold > MIN_CONTRAST;
    lines.begin(outline, dark, (float) Math.max(LOOSE_FLOOR, LOOSE * threshold), w, h);
    // Lines are recognised at the loose threshold, where a faint crease is most connected, and
    // masked at every threshold.
    binary.reshape(w, h);
    Arrays.fill(binary.data, 0, w * h, (byte) 0);
    binarize(w, Math.max(LOOSE_FLOOR, LOOSE * threshold), null);
    masked.reshape(w, h);
    Arrays.fill(masked.data, 0, w * h, (byte) 0);
    if (lines.mask(binary, masked)) {
      binarize(w, Math.max(LOOSE_FLOOR, LOOSE * threshold), masked);
    }
    double loose = count(w, h, true, LOOSE_MIN_COMPONENT);
    lastLoose = loose;
    lastNoisy = Math.max(LOOSE_FLOOR, LOOSE * threshold) > NOISY_LOOSE_THRESHOLD;
    binarize(w, threshold, masked);
    double ink = count(w, h, false, MIN_COMPONENT);
    if (ink < ANSWERED_MIN_MM2) {
      // Too little ink to be ANSWERED whatever the strict threshold finds: decide ignores it.
      return decide(box.id(), ink, loose, 0, true);
    }
    binarize(w, STRICT * threshold, masked);
    double strict = count(w, h, false, MIN_COMPONENT);
    return decide(box.id(), ink, loose, strict, true);
  }

  /**
   * The footprint for {@link #read(GrayU8, Homography, AnswerBox, int)} in a photo of {@code
   * pxPerMm}: the pixels one patch sample spans, rounded up unless barely over a whole number (at
   * 3.7 px/mm a sample is the mean of 2 x 2 pixels, at 3.5 px/mm of one).
   */
  public static int footprint(double pxPerMm) {
    return Math.max(1, (int) Math.ceil(pxPerMm / SAMPLES_PER_MM - 0.2));
  }

  /**
   * Whether the last {@link #read} box's ink threshold was raised above {@link #MIN_CONTRAST} by
   * its noise: only then can a less noisy reading of it lower the thresholds.
   */
  public boolean noiseLimited() {
    return lastNoiseLimited;
  }

  /** Ink (mm^2) the last {@link #read} found at the loose threshold (0 when not sampled). */
  public double looseInkMm2() {
    return lastLoose;
  }

  /** Whether the last {@link #read} box was noisy (see {@link #NOISY_LOOSE_THRESHOLD}). */
  public boolean noisy() {
    return lastNoisy;
  }

  /**
   * {@code blank}, a BLANK box found in a noisy region of a sheet that shows faint writing
   * elsewhere, as UNCERTAIN: the writer's faint strokes could hide under its loose threshold.
   */
  public static BoxResult unsure(BoxResult blank, double looseInkMm2) {
    return decide(blank.id(), blank.inkMm2(), looseInkMm2, 0, false);
  }

  /** Stroke darkness: (closing - patch) / closing, 0 on paper, gradients and steps. */
  private void darkness(int w, int h) {
    int n = w * h;
    if (dark.length < n) {
      dark = new float[n];
    }
    closing.reshape(w, h);
    work.reshape(w, h);
    soft.reshape(w, h);
    // The paper level is the closing of a more smoothed patch: the closing takes local maxima,
    // and maxima of sensor noise would put the paper above its mean and every sample below it.
    BlurImageOps.gaussian(smooth, soft, BACKGROUND_SIGMA, -1, work);
    squareClosing.close(soft.data, closing.data, w, h, CLOSING_RADIUS);
    for (int i = 0; i < n; i++) {
      float c = Math.max(1f, closing.data[i]);
      dark[i] = (c - smooth.data[i]) / c;
    }
  }

  /**
   * The ink threshold: the region's median darkness plus {@link #NOISE_SIGMAS} robust standard
   * deviations (median absolute deviation), at least {@link #MIN_CONTRAST}, at most {@link
   * #MAX_THRESHOLD}.
   */
  private double threshold(int w, int h) {
    Arrays.fill(histogram, 0);
    byte[] region = outline.region;
    int n = 0;
    for (int v = outline.fromV; v <= outline.toV; v++) {
      for (int i = v * w + outline.fromU; i <= v * w + outline.toU; i++) {
        if (region[i] != 0) {
          histogram[bin(dark[i])]++;
          n++;
        }
      }
    }
    if (n == 0) {
      return MAX_THRESHOLD;
    }
    int median = quantile(n / 2);
    Arrays.fill(histogram, 0);
    for (int v = outline.fromV; v <= outline.toV; v++) {
      for (int i = v * w + outline.fromU; i <= v * w + outline.toU; i++) {
        if (region[i] != 0) {
          histogram[Math.abs(bin(dark[i]) - median)]++;
        }
      }
    }
    int mad = quantile(n / 2);
    double sigma = 1.4826 * (mad + 0.5) / 2000;
    double t = (median - 200 + 0.5) / 2000 + NOISE_SIGMAS * sigma;
    return Math.max(MIN_CONTRAST, Math.min(MAX_THRESHOLD, t));
  }

  /** Histogram bin of a darkness value: 1/2000 wide, -0.1 to 0.4. */
  private static int bin(float d) {
    return Math.max(0, Math.min(1000, (int) (d * 2000) + 200));
  }

  private int quantile(int target) {
    long seen = 0;
    for (int i = 0; i < histogram.length; i++) {
      seen += histogram[i];
      if (seen > target) {
        return i;
      }
    }
    return histogram.length - 1;
  }

  /**
   * Sets {@link #binary} to 1 where the darkness exceeds {@code threshold} inside the region and
   * outside {@code mask} (when not null); only the region's rectangle is written, the rest stays 0
   * from {@link #read}.
   */
  private void binarize(int w, double threshold, GrayU8 mask) {
    float t = (float) threshold;
    byte[] region = outline.region;
    byte[] out = binary.data;
    for (int v = outline.fromV; v <= outline.toV; v++) {
      for (int i = v * w + outline.fromU; i <= v * w + outline.toU; i++) {
        out[i] =
            (byte) (dark[i] > t && region[i] != 0 && (mask == null || mask.data[i] == 0) ? 1 : 0);
      }
    }
  }

  /**
   * Labels {@link #binary} and returns the ink area (mm^2) of stroke-sized components that are not
   * lines; with {@code markLines}, the lines' samples are added to {@link #masked}.
   */
  private double count(int w, int h, boolean markLines, int minComponent) {
    int components =
        labeler.label(binary, w, h, outline.fromU, outline.toU, outline.fromV, outline.toV, labels);
    if (count.length < components + 1) {
      count = new int[components + 1];
      moments = new double[(components + 1) * 5];
      sides = new int[components + 1];
    }
    Arrays.fill(count, 0, components + 1, 0);
    Arrays.fill(moments, 0, (components + 1) * 5, 0);
    Arrays.fill(sides, 0, components + 1, 0);
    for (int v = outline.fromV; v <= outline.toV; v++) {
      for (int u = outline.fromU; u <= outline.toU; u++) {
        int label = labels.data[v * w + u];
        if (label == 0) {
          continue;
        }
        count[label]++;
        int k = label * 5;
        moments[k] += u;
        moments[k + 1] += v;
        moments[k + 2] += (double) u * u;
        moments[k + 3] += (double) v * v;
        moments[k + 4] += (double) u * v;
        // Which sides of the region the component reaches (within 1 sample).
        if (u - 1 < outline.minU[v]) sides[label] |= 1;
        if (u + 1 > outline.maxU[v]) sides[label] |= 2;
        if (v - 1 < outline.minV[u]) sides[label] |= 4;
        if (v + 1 > outline.maxV[u]) sides[label] |= 8;
      }
    }
    int ink = 0;
    boolean anyLine = false;
    if (isLine.length < components + 1) {
      isLine = new boolean[components + 1];
    }
    Arrays.fill(isLine, 0, components + 1, false);
    for (int label = 1; label <= components; label++) {
      int n = count[label];
      if (n < minComponent) {
        continue;
      }
      shape(label, n);
      double length = shapeLength;
      double thickness = shapeThickness;
      if (length < MIN_STROKE_LENGTH_MM) {
        continue; // a compact blob: a smudge's core or a speck, not a stroke
      }
      double ellipse = Math.PI / 4 * length * thickness * SAMPLES_PER_MM * SAMPLES_PER_MM;
      if (markLines
          && thickness >= BLOB_MIN_THICKNESS_MM
          && length <= BLOB_MAX_LENGTH_MM
          && n >= BLOB_FILL * ellipse) {
        // At the loose threshold, a small solid blob is a smudge's core, not a faint stroke.
        continue;
      }
      if (Integer.bitCount(sides[label]) >= 2
          && thickness <= LINE_MAX_THICKNESS_MM
          && (length >= LINE_MIN_LENGTH_MM
              ? notAStroke(label, n, false)
              : length >= CORNER_CUT_MIN_LENGTH_MM && notAStroke(label, n, true))) {
        isLine[label] = true;
        anyLine = true;
        continue;
      }
      ink += n;
    }
    if (markLines && anyLine) {
      for (int v = outline.fromV; v <= outline.toV; v++) {
        for (int i = v * w + outline.fromU; i <= v * w + outline.toU; i++) {
          if (isLine[labels.data[i]]) {
            masked.data[i] = 1;
          }
        }
      }
    }
    return ink / (SAMPLES_PER_MM * SAMPLES_PER_MM);
  }

  /**
   * Sets {@link #shapeLength} and {@link #shapeThickness} (mm) of a component from its second
   * moments (fields, not a returned array: this runs for every component of every box).
   */
  private void shape(int label, int n) {
    int k = label * 5;
    double mu = moments[k] / n;
    double mv = moments[k + 1] / n;
    double cuu = moments[k + 2] / n - mu * mu;
    double cvv = moments[k + 3] / n - mv * mv;
    double cuv = moments[k + 4] / n - mu * mv;
    double tr = cuu + cvv;
    double det = cuu * cvv - cuv * cuv;
    double disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
    double major = tr / 2 + disc;
    double minor = Math.max(0, tr / 2 - disc);
    // A uniform bar of length L has variance L^2 / 12 along it.
    shapeLength = Math.sqrt(12 * major) / SAMPLES_PER_MM;
    shapeThickness = Math.sqrt(12 * minor) / SAMPLES_PER_MM;
  }

  /**
   * Whether component {@code label}, a thin one reaching two sides, is a crease or an edge rather
   * than a pen stroke (see {@link StraightLines#creaseOrEdge}); a short one ({@code cutsCorner}: it
   * cuts a corner of the region) only when it continues on the paper outside at both ends.
   */
  private boolean notAStroke(int label, int n, boolean cutsCorner) {
    int k = label * 5;
    double mu = moments[k] / n;
    double mv = moments[k + 1] / n;
    double cuu = moments[k + 2] / n - mu * mu;
    double cvv = moments[k + 3] / n - mv * mv;
    double cuv = moments[k + 4] / n - mu * mv;
    return lines.creaseOrEdge(mu, mv, 0.5 * Math.atan2(2 * cuv, cuu - cvv), cutsCorner);
  }

  /**
   * Resamples the box and its margin into {@code patch} and smooths it into {@code smooth}; false
   * when the box itself is not wholly inside the photo (the margin may be cut off).
   */
  private boolean sample(GrayU8 gray, Homography sheetToImage, AnswerBox box, int footprint) {
    double x0 = box.x() - MARGIN_MM;
    double y0 = box.y() - MARGIN_MM;
    int w = (int) Math.round((box.width() + 2 * MARGIN_MM) * SAMPLES_PER_MM);
    int h = (int) Math.round((box.height() + 2 * MARGIN_MM) * SAMPLES_PER_MM);
    patch.reshape(w, h);
    smooth.reshape(w, h);
    work.reshape(w, h);
    double[] c = sheetToImage.coefficients();
    if (!inPhoto(gray, sheetToImage, box)) {
      return false;
    }
    // The column terms of the homography are the same on every row: computed once per box, with
    // the same arithmetic (and so the same values) as in the per-sample formula.
    if (columnX.length < 3 * w) {
      columnX = new double[3 * w];
    }
    for (int u = 0; u < w; u++) {
      double sx = x0 + (u + 0.5) / SAMPLES_PER_MM;
      columnX[3 * u] = c[0] * sx;
      columnX[3 * u + 1] = c[3] * sx;
      columnX[3 * u + 2] = c[6] * sx;
    }
    byte[] pixels = gray.data;
    int start = gray.startIndex;
    int stride = gray.stride;
    int maxX = gray.width - 1;
    int maxY = gray.height - 1;
    for (int v = 0; v < h; v++) {
      double sy = y0 + (v + 0.5) / SAMPLES_PER_MM;
      double rowX = c[1] * sy;
      double rowY = c[4] * sy;
      double rowZ = c[7] * sy;
      for (int u = 0; u < w; u++) {
        double z = columnX[3 * u + 2] + rowZ + c[8];
        float px = (float) ((columnX[3 * u] + rowX + c[2]) / z);
        float py = (float) ((columnX[3 * u + 1] + rowY + c[5]) / z);
        patch.data[v * w + u] =
            footprint > 1
                ? mean(pixels, start, stride, maxX, maxY, px, py, footprint)
                : bilinear(
                    pixels,
                    start,
                    stride,
                    maxX,
                    maxY,
                    Math.max(0, Math.min(maxX, px)),
                    Math.max(0, Math.min(maxY, py)));
      }
    }
    // Smooth a little: sensor and JPEG noise shrink, strokes (wider than the kernel) stay.
    BlurImageOps.gaussian(patch, smooth, SMOOTH_SIGMA, -1, work);
    return true;
  }

  /**
   * The mean of the {@code k} x {@code k} pixels nearest to ({@code x}, {@code y}), clamped to the
   * image (direct reads: this runs {@code k^2} times per sample).
   */
  static float mean(
      byte[] data, int start, int stride, int maxX, int maxY, float x, float y, int k) {
    int x0 = Math.round(x - k / 2f);
    int y0 = Math.round(y - k / 2f);
    int sum = 0;
    for (int j = 0; j < k; j++) {
      int row = start + Math.max(0, Math.min(maxY, y0 + j)) * stride;
      for (int i = 0; i < k; i++) {
        sum += data[row + Math.max(0, Math.min(maxX, x0 + i))] & 0xFF;
      }
    }
    return sum / (float) (k * k);
  }

  /** Whether all four corners of {@code box} lie inside the photo. */
  public static boolean inPhoto(GrayU8 gray, Homography sheetToImage, AnswerBox box) {
    for (int k = 0; k < 4; k++) {
      double x = box.x() + (k % 2 == 0 ? 0 : box.width());
      double y = box.y() + (k < 2 ? 0 : box.height());
      double[] p = sheetToImage.apply(x, y);
      if (p[0] < 0 || p[1] < 0 || p[0] > gray.width - 1 || p[1] > gray.height - 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * Bilinear interpolation of the grey image at ({@code x}, {@code y}), both within [0, max]: the
   * same arithmetic, term by term, as BoofCV's bilinear {@code get_fast}, without its interface
   * call per sample (the sampling was the box stage's hottest code). A neighbour past the last
   * column or row has weight exactly 0 there, so it is clamped instead of read past the image.
   */
  static float bilinear(byte[] data, int start, int stride, int maxX, int maxY, float x, float y) {
    int xt = (int) x;
    int yt = (int) y;
    float ax = x - xt;
    float ay = y - yt;
    int i00 = start + yt * stride + xt;
    int dx = xt < maxX ? 1 : 0;
    int dy = yt < maxY ? stride : 0;
    float val = (1.0f - ax) * (1.0f - ay) * (data[i00] & 0xFF);
    val += ax * (1.0f - ay) * (data[i00 + dx] & 0xFF);
    val += ax * ay * (data[i00 + dx + dy] & 0xFF);
    val += (1.0f - ax) * ay * (data[i00 + dy] & 0xFF);
    return val;
  }

  /**
   * The decision from the ink at the decision threshold, checked against the ink at the loose
   * threshold (for BLANK) and the strict one (for ANSWERED); {@code sensitive} says whether the
   * loose threshold was low enough for faint pencil to show (see {@link #NOISY_LOOSE_THRESHOLD}):
   * without it a box is never BLANK.
   */
  static BoxResult decide(String id, double ink, double loose, double strict, boolean sensitive) {
    BoxState state;
    double confidence;
    if (ink >= ANSWERED_MIN_MM2 && strict >= ANSWERED_MIN_MM2) {
      // Enough ink even at the strict threshold: not an erased ghost or a faint smudge.
      state = BoxState.ANSWERED;
      confidence =
          CONFIDENT + (1 - CONFIDENT) * (1 - Math.exp(-2 * Math.log(strict / ANSWERED_MIN_MM2)));
    } else if (ink <= BLANK_MAX_MM2 && loose <= BLANK_MAX_MM2 && sensitive) {
      state = BoxState.BLANK;
      confidence =
          CONFIDENT
              + (1 - CONFIDENT)
                  * (1 - Math.exp(-2 * Math.log((BLANK_MAX_MM2 + 0.25) / (loose + 0.25))));
    } else {
      state = BoxState.UNCERTAIN;
      // How far the decision-threshold ink leans, on the log scale between the two bounds.
      double mid = Math.sqrt(BLANK_MAX_MM2 * ANSWERED_MIN_MM2);
      double z =
          Math.min(1, Math.abs(Math.log((ink + 0.25) / mid)) / Math.log(ANSWERED_MIN_MM2 / mid));
      confidence = 0.5 + 0.4 * z;
    }
    return new BoxResult(
        id, state, Math.floor(confidence * 1000) / 1000.0, Math.round(ink * 10) / 10.0);
  }
}
