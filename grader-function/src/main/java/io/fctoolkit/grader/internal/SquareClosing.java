package io.fctoolkit.grader.internal;

/**
 * Grey-level closing (a dilation, then an erosion) of a float plane by a square window, clipped at
 * the plane's edges. Each is separable into a running maximum or minimum along rows and then along
 * columns, computed with van Herk / Gil-Werman blocks: three comparisons per sample whatever the
 * window. Columns are processed a whole row at a time and no index is divided per sample, so the
 * loops stay sequential in memory (this was the box stage's hottest code).
 *
 * <p>Not thread-safe (work buffers): one per {@link BoxReader}.
 */
final class SquareClosing {

  private float[] temp = new float[1];
  private float[] prefix = new float[1];
  private float[] suffix = new float[1];

  /**
   * Writes into {@code out} the closing of the first {@code w} x {@code h} samples of {@code in}
   * (row-major) by a (2 {@code radius} + 1)-sample square.
   */
  void close(float[] in, float[] out, int w, int h, int radius) {
    int n = w * h;
    if (temp.length < n) {
      temp = new float[n];
      prefix = new float[n];
      suffix = new float[n];
    }
    alongRows(in, temp, w, h, radius, true);
    alongColumns(temp, out, w, h, radius, true);
    alongRows(out, temp, w, h, radius, false);
    alongColumns(temp, out, w, h, radius, false);
  }

  /** Running extreme over 2 radius + 1 samples along each row. */
  private void alongRows(float[] in, float[] out, int w, int h, int radius, boolean max) {
    int k = 2 * radius + 1;
    for (int v = 0; v < h; v++) {
      int base = v * w;
      // Within blocks of k: the running extreme from each block's start and from its end.
      for (int s = 0; s < w; s += k) {
        int e = Math.min(s + k, w) - 1;
        prefix[base + s] = in[base + s];
        for (int i = s + 1; i <= e; i++) {
          prefix[base + i] = pick(prefix[base + i - 1], in[base + i], max);
        }
        suffix[base + e] = in[base + e];
        for (int i = e - 1; i >= s; i--) {
          suffix[base + i] = pick(suffix[base + i + 1], in[base + i], max);
        }
      }
      // A whole window [i - r, i + r] spans at most two blocks (or is exactly one, when suffix
      // and prefix are both the block's extreme).
      for (int i = radius; i < w - radius; i++) {
        out[base + i] = pick(suffix[base + i - radius], prefix[base + i + radius], max);
      }
      for (int i = 0; i < w; i++) {
        if (i == radius && w - radius > radius) {
          i = w - radius; // the whole windows are done above
        }
        out[base + i] = clipped(i, w, radius, base, max);
      }
    }
  }

  /** Running extreme over 2 radius + 1 samples along each column, a whole row at a time. */
  private void alongColumns(float[] in, float[] out, int w, int h, int radius, boolean max) {
    int k = 2 * radius + 1;
    for (int s = 0; s < h; s += k) {
      int e = Math.min(s + k, h) - 1;
      System.arraycopy(in, s * w, prefix, s * w, w);
      for (int v = s + 1; v <= e; v++) {
        pickRows(prefix, (v - 1) * w, in, v * w, prefix, v * w, w, max);
      }
      System.arraycopy(in, e * w, suffix, e * w, w);
      for (int v = e - 1; v >= s; v--) {
        pickRows(suffix, (v + 1) * w, in, v * w, suffix, v * w, w, max);
      }
    }
    for (int v = radius; v < h - radius; v++) {
      pickRows(suffix, (v - radius) * w, prefix, (v + radius) * w, out, v * w, w, max);
    }
    for (int v = 0; v < h; v++) {
      if (v == radius && h - radius > radius) {
        v = h - radius; // the whole windows are done above
      }
      int a = Math.max(0, v - radius);
      int b = Math.min(h - 1, v + radius);
      if (a / k != b / k) {
        pickRows(suffix, a * w, prefix, b * w, out, v * w, w, max);
      } else {
        System.arraycopy(a % k == 0 ? prefix : suffix, (a % k == 0 ? b : a) * w, out, v * w, w);
      }
    }
  }

  /**
   * The extreme of a window clipped at an end of its row: the window around position {@code i} of a
   * row of {@code n} samples starting at {@code base}.
   */
  private float clipped(int i, int n, int radius, int base, boolean max) {
    int k = 2 * radius + 1;
    int a = Math.max(0, i - radius);
    int b = Math.min(n - 1, i + radius);
    if (a / k != b / k) {
      return pick(suffix[base + a], prefix[base + b], max);
    }
    // One block: from its start (a clipped start) or to the line's end (a clipped end).
    return a % k == 0 ? prefix[base + b] : suffix[base + a];
  }

  private static void pickRows(
      float[] x, int xOff, float[] y, int yOff, float[] out, int outOff, int n, boolean max) {
    if (max) {
      for (int i = 0; i < n; i++) {
        out[outOff + i] = Math.max(x[xOff + i], y[yOff + i]);
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[outOff + i] = Math.min(x[xOff + i], y[yOff + i]);
      }
    }
  }

  private static float pick(float x, float y, boolean max) {
    return max ? Math.max(x, y) : Math.min(x, y);
  }
}
