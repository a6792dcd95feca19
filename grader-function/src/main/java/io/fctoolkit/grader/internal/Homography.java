package io.fctoolkit.grader.internal;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** A plane-to-plane projective map {@code (x, y) -> (u, v)}, with the helpers the grader needs. */
public final class Homography {
  private final double[] m;

  /** Wraps the 3x3 matrix {@code h} (copied). */
  public Homography(DMatrixRMaj h) {
    double scale = h.get(2, 2) != 0 ? h.get(2, 2) : 1;
    this.m = new double[9];
    for (int i = 0; i < 9; i++) {
      m[i] = h.data[i] / scale;
    }
  }

  /** This map followed by scaling the output by {@code s} (e.g. a finer decode of the photo). */
  public Homography scaled(double s) {
    var h = new DMatrixRMaj(3, 3, true, m);
    for (int c = 0; c < 3; c++) {
      h.set(0, c, h.get(0, c) * s);
      h.set(1, c, h.get(1, c) * s);
    }
    return new Homography(h);
  }

  /** Maps {@code (x, y)}. */
  public double[] apply(double x, double y) {
    double w = m[6] * x + m[7] * y + m[8];
    return new double[] {(m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w};
  }

  /** Row-major coefficients, normalised so the last is 1 when possible. */
  public double[] coefficients() {
    return m.clone();
  }

  /** The inverse map. */
  public Homography invert() {
    var h = new DMatrixRMaj(3, 3, true, m);
    var inv = new DMatrixRMaj(3, 3);
    if (!CommonOps_DDRM.invert(h, inv)) {
      throw new IllegalStateException("singular homography");
    }
    return new Homography(inv);
  }

  /** Square root of the local area scale at {@code (x, y)}: output units per input unit. */
  public double scaleAt(double x, double y) {
    double[] p = apply(x, y);
    double[] px = apply(x + 1, y);
    double[] py = apply(x, y + 1);
    double det = (px[0] - p[0]) * (py[1] - p[1]) - (px[1] - p[1]) * (py[0] - p[0]);
    return Math.sqrt(Math.abs(det));
  }

  /** Whether the map keeps orientation at {@code (x, y)} (a mirrored sheet does not). */
  public boolean preservesOrientation(double x, double y) {
    double[] p = apply(x, y);
    double[] px = apply(x + 1, y);
    double[] py = apply(x, y + 1);
    return (px[0] - p[0]) * (py[1] - p[1]) - (px[1] - p[1]) * (py[0] - p[0]) > 0;
  }
}
