package io.fctoolkit.grader.internal;

import boofcv.struct.image.GrayS32;
import boofcv.struct.image.GrayU8;
import java.util.Arrays;

/**
 * Connected components of a binary patch, 8-connected, in two passes with union-find: no contour
 * lists are built, which made BoofCV's contour tracing the slowest step when run three times per
 * box. Keeps its buffers between calls; not thread-safe (one per {@link BoxReader}).
 */
final class ComponentLabeler {

  /**
   * Labels the 8-connected components of {@code binary}, a {@code w} x {@code h} patch that is 0
   * outside u in [fromU, toU] and v in [fromV, toV], into {@code labels} (1..n, 0 for background)
   * and returns n. Only that rectangle of {@code labels} is written: read no other.
   */
  int label(GrayU8 binary, int w, int h, int fromU, int toU, int fromV, int toV, GrayS32 labels) {
    labels.reshape(w, h);
    int[] lab = labels.data;
    if (parent.length < w * h / 2 + 2) {
      parent = new int[w * h / 2 + 2];
    }
    int next = 1;
    for (int v = fromV; v <= toV; v++) {
      int row = v * w;
      for (int u = fromU; u <= toU; u++) {
        int i = row + u;
        if (binary.data[i] == 0) {
          lab[i] = 0;
          continue;
        }
        int l = 0;
        if (u > fromU) l = join(l, lab[i - 1]);
        if (v > fromV) {
          if (u > fromU) l = join(l, lab[i - w - 1]);
          l = join(l, lab[i - w]);
          if (u < toU) l = join(l, lab[i - w + 1]);
        }
        if (l == 0) {
          if (next >= parent.length) {
            parent = Arrays.copyOf(parent, parent.length * 2);
          }
          parent[next] = next;
          l = next++;
        }
        lab[i] = l;
      }
    }
    // Compact the roots to 1..n.
    int[] compact = compactBuffer(next);
    int n = 0;
    for (int l = 1; l < next; l++) {
      int root = find(l);
      if (root == l) {
        compact[l] = ++n;
      }
    }
    for (int v = fromV; v <= toV; v++) {
      for (int i = v * w + fromU; i <= v * w + toU; i++) {
        if (lab[i] != 0) {
          lab[i] = compact[find(lab[i])];
        }
      }
    }
    return n;
  }

  /** Unites labels {@code a} (0: none yet) and {@code b} (0: background); returns a's root. */
  private int join(int a, int b) {
    if (b == 0) {
      return a;
    }
    int rb = find(b);
    if (a == 0) {
      return rb;
    }
    int ra = find(a);
    if (ra != rb) {
      int lo = Math.min(ra, rb);
      parent[ra] = lo;
      parent[rb] = lo;
      return lo;
    }
    return ra;
  }

  private int find(int l) {
    while (parent[l] != l) {
      parent[l] = parent[parent[l]];
      l = parent[l];
    }
    return l;
  }

  private int[] compactBuffer(int n) {
    if (compact.length < n) {
      compact = new int[n];
    }
    return compact;
  }

  private int[] parent = new int[16];
  private int[] compact = new int[16];
}
