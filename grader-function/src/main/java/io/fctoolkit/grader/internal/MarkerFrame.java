package io.fctoolkit.grader.internal;

import georegression.struct.shapes.Polygon2D_F64;

/**
 * A decoded fiducial's local affine frame: where a point given in sheet millimetres from the
 * marker's centre lies in the photo. Photo pixels per sheet mm along the sheet's x and y come from
 * the fiducial's opposite sides (corners in sheet order: top-left, top-right, bottom-right,
 * bottom-left); no perspective, so it holds near the marker.
 */
record MarkerFrame(double cx, double cy, double xx, double xy, double yx, double yy) {

  /** The frame of fiducial {@code p} whose side is {@code side} mm on the sheet. */
  static MarkerFrame of(Polygon2D_F64 p, double side) {
    return new MarkerFrame(
        (p.get(0).x + p.get(1).x + p.get(2).x + p.get(3).x) / 4,
        (p.get(0).y + p.get(1).y + p.get(2).y + p.get(3).y) / 4,
        (p.get(1).x - p.get(0).x + p.get(2).x - p.get(3).x) / (2 * side),
        (p.get(1).y - p.get(0).y + p.get(2).y - p.get(3).y) / (2 * side),
        (p.get(3).x - p.get(0).x + p.get(2).x - p.get(1).x) / (2 * side),
        (p.get(3).y - p.get(0).y + p.get(2).y - p.get(1).y) / (2 * side));
  }

  /** Photo x of the point {@code dx}, {@code dy} sheet mm from the marker's centre. */
  double x(double dx, double dy) {
    return cx + xx * dx + yx * dy;
  }

  /** Photo y of the point {@code dx}, {@code dy} sheet mm from the marker's centre. */
  double y(double dx, double dy) {
    return cy + xy * dx + yy * dy;
  }

  /** Photo pixels per square millimetre of sheet near the marker. */
  double pixelsPerMm2() {
    return Math.abs(xx * yy - xy * yx);
  }
}
