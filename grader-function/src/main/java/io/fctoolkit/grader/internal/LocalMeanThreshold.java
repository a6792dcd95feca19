package io.fctoolkit.grader.internal;

import boofcv.abst.filter.binary.InputToBinary;
import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.alg.filter.convolve.normalized.ConvolveNormalized_JustBorder_SB;
import boofcv.factory.filter.binary.ConfigThreshold;
import boofcv.factory.filter.binary.ThresholdType;
import boofcv.factory.filter.kernel.FactoryKernel;
import boofcv.struct.ConfigLength;
import boofcv.struct.convolve.Kernel1D_S32;
import boofcv.struct.image.GrayU8;
import boofcv.struct.image.ImageType;
import org.ddogleg.struct.DogArray_I32;
import pabeles.concurrency.GrowArray;

/**
 * BoofCV's local-mean threshold ({@link ThresholdType#LOCAL_MEAN}, what the fiducial detector
 * binarises the photo with), giving the very same binary image faster: BoofCV's took some two
 * fifths of the detector's time at 12 MP (JFR samples).
 *
 * <p>The local mean is {@link BlurImageOps#mean}'s, pixel for pixel, its integer division per pixel
 * done as an exact multiplication ({@link #boxMean}). BoofCV then compares each pixel with its
 * scaled mean in float arithmetic behind a branch, and on a textured photo that branch goes either
 * way at random. Here, for each of the 256 means, the one grey level where BoofCV's float
 * comparison turns is found once, with BoofCV's own arithmetic, and each pixel is classed by a
 * table look-up and an integer subtraction, without a branch. {@code LocalMeanThresholdTest} checks
 * the means and the binary images equal BoofCV's.
 */
final class LocalMeanThreshold implements InputToBinary<GrayU8> {

  private final ConfigLength regionWidth;
  private final boolean down;
  // down: a pixel is 1 when its grey <= turn[mean]; otherwise when its grey > turn[mean].
  private final int[] turn = new int[256];
  private final GrayU8 mean = new GrayU8(1, 1);
  private final GrayU8 work = new GrayU8(1, 1);
  private final GrowArray<DogArray_I32> columns = new GrowArray<>(DogArray_I32::new);
  private int[] totals = new int[1];
  private int reciprocalLength = -1;
  private long reciprocal;

  /** The threshold {@code config} describes, which must be of type {@code LOCAL_MEAN}. */
  LocalMeanThreshold(ConfigThreshold config) {
    if (config.type != ThresholdType.LOCAL_MEAN) {
      throw new IllegalArgumentException("not a local-mean threshold: " + config.type);
    }
    this.regionWidth = config.width;
    this.down = config.down;
    // BoofCV passes the scale on as a float and compares floats: the same here.
    float scale = (float) config.scale;
    for (int m = 0; m < 256; m++) {
      int last = -1;
      for (int grey = 0; grey < 256; grey++) {
        boolean on = down ? (float) grey <= (float) m * scale : (float) grey * scale > (float) m;
        // Both comparisons are monotonic in grey: "on" holds below the turn (down) or above it.
        if (down ? on : !on) {
          last = grey;
        }
      }
      turn[m] = last;
    }
  }

  @Override
  public void process(GrayU8 input, GrayU8 output) {
    int w = input.width;
    int h = input.height;
    output.reshape(w, h);
    mean.reshape(w, h);
    work.reshape(w, h);
    int radius = regionWidth.computeI(Math.min(w, h)) / 2;
    boxMean(input, radius);
    byte[] in = input.data;
    byte[] means = mean.data;
    byte[] out = output.data;
    int[] t = turn;
    int flip = down ? 1 : 0;
    for (int y = 0; y < h; y++) {
      int i = input.startIndex + y * input.stride;
      int o = output.startIndex + y * output.stride;
      int m = mean.startIndex + y * mean.stride;
      for (int end = i + w; i < end; i++, o++, m++) {
        // (turn - grey) is negative exactly when grey > turn: its sign bit is the "up" answer.
        out[o] = (byte) (((t[means[m] & 0xFF] - (in[i] & 0xFF)) >>> 31) ^ flip);
      }
    }
  }

  /**
   * {@code BlurImageOps.mean(input, mean, radius, work, columns)}, the same pixels: BoofCV's border
   * code as it is, and its inner running sums with the division by the window length (an integer
   * division per pixel, twice, the most of the mean's time) done as a multiplication, exact over
   * every sum the window can hold ({@link #exactReciprocal}).
   */
  private void boxMean(GrayU8 input, int radius) {
    int length = 2 * radius + 1;
    if (length > input.width || length > input.height) {
      BlurImageOps.mean(input, mean, radius, work, columns); // BoofCV normalises every pixel
      return;
    }
    if (length != reciprocalLength) {
      reciprocal = exactReciprocal(length);
      reciprocalLength = length;
    }
    Kernel1D_S32 kernel = FactoryKernel.table1D_S32(radius, length);
    ConvolveNormalized_JustBorder_SB.horizontal(kernel, input, work);
    meanAlongRows(input, work, radius, length);
    ConvolveNormalized_JustBorder_SB.vertical(kernel, work, mean);
    meanAlongColumns(work, mean, radius, length);
  }

  /**
   * m such that {@code (x * m) >>> 32 == x / length} for every x a window of {@code length} grey
   * levels (plus half a length, the rounding) can sum to; checked here for all of them.
   */
  static long exactReciprocal(int length) {
    long m = (1L << 32) / length + 1;
    int max = 255 * length + length / 2;
    for (int x = 0; x <= max; x++) {
      if ((int) ((x * m) >>> 32) != x / length) {
        throw new IllegalStateException("no exact reciprocal of " + length + " up to " + max);
      }
    }
    return m;
  }

  /** BoofCV's inner horizontal mean (ImplConvolveMean.horizontal), the same running sums. */
  private void meanAlongRows(GrayU8 in, GrayU8 out, int offset, int length) {
    byte[] src = in.data;
    byte[] dst = out.data;
    long m = reciprocal;
    int half = length / 2;
    for (int y = 0; y < in.height; y++) {
      int i = in.startIndex + in.stride * y;
      int o = out.startIndex + out.stride * y + offset;
      int total = 0;
      for (int end = i + length; i < end; i++) {
        total += src[i] & 0xFF;
      }
      dst[o++] = (byte) (((total + half) * m) >>> 32);
      for (int end = i + in.width - length; i < end; i++) {
        total -= src[i - length] & 0xFF;
        total += src[i] & 0xFF;
        dst[o++] = (byte) (((total + half) * m) >>> 32);
      }
    }
  }

  /** BoofCV's inner vertical mean (ImplConvolveMean.vertical), the same running sums. */
  private void meanAlongColumns(GrayU8 in, GrayU8 out, int offset, int length) {
    byte[] src = in.data;
    byte[] dst = out.data;
    long m = reciprocal;
    int half = length / 2;
    int w = in.width;
    int back = length * in.stride;
    int below = length - offset - 1;
    if (totals.length < w) {
      totals = new int[w];
    }
    int[] sums = totals;
    for (int x = 0; x < w; x++) {
      int i = in.startIndex + x; // rows 0 .. length - 1 make the first output row, offset
      int total = 0;
      for (int end = i + in.stride * length; i < end; i += in.stride) {
        total += src[i] & 0xFF;
      }
      sums[x] = total;
      dst[out.startIndex + out.stride * offset + x] = (byte) (((total + half) * m) >>> 32);
    }
    for (int y = offset + 1; y < out.height - below; y++) {
      int i = in.startIndex + (y + below) * in.stride;
      int o = out.startIndex + y * out.stride;
      for (int x = 0; x < w; x++, i++, o++) {
        int total = sums[x] - (src[i - back] & 0xFF) + (src[i] & 0xFF);
        sums[x] = total;
        dst[o] = (byte) (((total + half) * m) >>> 32);
      }
    }
  }

  /** The local means of the last {@link #process} call (for tests). */
  GrayU8 lastMeans() {
    return mean;
  }

  @Override
  public ImageType<GrayU8> getInputType() {
    return ImageType.single(GrayU8.class);
  }
}
