package io.fctoolkit.grader.sim;

import io.fctoolkit.grader.AnswerBox;
import io.fctoolkit.grader.Layout;
import io.fctoolkit.grader.internal.Homography;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The extra scene effects of a {@link Condition}, on top of the base distortions.
 *
 * @param creases fold creases in sheet mm: {x, y, nx, ny, sigma, depth, ridge, step} each
 * @param curlX sheet-mm displacement of the curled middle of the sheet, x
 * @param curlY the same, y
 * @param lensK radial lens distortion (positive: pincushion, negative: barrel) at the corners
 * @param hardShadow {nx, ny, offset, soft, level} of a hard shadow edge in photo pixels, or null
 * @param phone the phone's processing, or null for the plain pipeline
 * @param shakeMm camera-shake streak length on the sheet in mm (0: none), see {@link MotionBlur}
 * @param shakeAngle the streak's direction in the photo, radians from x towards y
 */
record Effects(
    List<double[]> creases,
    double curlX,
    double curlY,
    double lensK,
    double[] hardShadow,
    PhoneProcessing.Phone phone,
    double shakeMm,
    double shakeAngle) {

  static final Effects NONE = new Effects(List.of(), 0, 0, 0, null, null, 0, 0);

  /** Changes to the base distortion a condition needs (blur, framing). */
  static PhotoSimulator.Distortion adjust(
      Condition condition,
      PhotoSimulator.Distortion d,
      Layout layout,
      int width,
      int height,
      SplittableRandom rnd) {
    return switch (condition) {
      case EXTREME_BLUR, BLUR_PHONE -> {
        // 10-90% edge width = 2.56 sigma: 3.5-7 mm on the sheet.
        double edgeMm = 3.5 + rnd.nextDouble() * 3.5;
        yield d.withBlur(edgeMm * d.pxPerMm() / 2.56);
      }
      // A hard shadow stays hard: the optical blur must not widen its penumbra past ~0.8 mm.
      case HARD_SHADOW -> d.withBlur(Math.min(d.blur(), 0.25 * d.pxPerMm()));
      case MARKER_OUT -> pushBottomMarkerOut(d, layout, height);
      case OUT_OF_FRAME -> pushSideOut(d, layout, width, height, rnd);
      case PARTLY_OUT_OF_FRAME -> {
        var cut = cutMarkers(d, layout, width, height, rnd);
        // A third out of focus as well (fiducial edges 2-4 mm wide): framing comes first.
        yield rnd.nextInt(3) == 0
            ? cut.withBlur((2 + rnd.nextDouble() * 2) * cut.pxPerMm() / 2.56)
            : cut;
      }
      default -> d;
    };
  }

  /**
   * Moves the sheet across one edge of the photo (top, right, bottom or left, at random) until both
   * markers of that side have their centres off frame, and 0-60 mm further: that side's markers and
   * the answer boxes near it are cut off.
   */
  private static PhotoSimulator.Distortion pushSideOut(
      PhotoSimulator.Distortion d, Layout layout, int width, int height, SplittableRandom rnd) {
    Homography h = d.sheetToPhoto();
    double s = layout.markerSize();
    double[][] centres = new double[4][];
    for (int corner = 0; corner < 4; corner++) {
      double[] o = layout.markerOrigin(corner);
      centres[corner] = h.apply(o[0] + s / 2, o[1] + s / 2);
    }
    double beyond = (0.1 * s + rnd.nextDouble() * 60) * d.pxPerMm();
    double tx = 0;
    double ty = 0;
    // Corners: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left.
    switch (rnd.nextInt(4)) {
      case 0 -> ty = -beyond - Math.max(centres[0][1], centres[1][1]);
      case 1 -> tx = width + beyond - Math.min(centres[1][0], centres[2][0]);
      case 2 -> ty = height + beyond - Math.min(centres[2][1], centres[3][1]);
      default -> tx = -beyond - Math.max(centres[0][0], centres[3][0]);
    }
    return shifted(d, layout, tx, ty);
  }

  /**
   * Moves the sheet past one edge of the photo until both markers of that side are cut by it, each
   * by at least 10-90% of its side (drawn at random; their centres may stay inside), and in half of
   * the photos past the next edge clockwise too, by 10-150% of a marker, so that only the marker
   * opposite that corner stays whole.
   */
  private static PhotoSimulator.Distortion cutMarkers(
      PhotoSimulator.Distortion d, Layout layout, int width, int height, SplittableRandom rnd) {
    Homography h = d.sheetToPhoto();
    double s = layout.markerSize();
    // Per marker: the smallest and largest x and y of its four corners in the photo.
    double[][] extent = new double[4][];
    for (int corner = 0; corner < 4; corner++) {
      double[] o = layout.markerOrigin(corner);
      double[] e = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
      for (int k = 0; k < 4; k++) {
        double[] p = h.apply(o[0] + (k % 2) * s, o[1] + (k / 2) * s);
        e[0] = Math.min(e[0], p[0]);
        e[1] = Math.min(e[1], p[1]);
        e[2] = Math.max(e[2], p[0]);
        e[3] = Math.max(e[3], p[1]);
      }
      extent[corner] = e;
    }
    double marker = s * d.pxPerMm();
    int side = rnd.nextInt(4);
    double cut = (0.1 + rnd.nextDouble() * 0.8) * marker;
    boolean corner = rnd.nextBoolean();
    double cornerCut = (0.1 + rnd.nextDouble() * 1.4) * marker;
    double tx = 0;
    double ty = 0;
    for (int k = 0; k < (corner ? 2 : 1); k++) {
      int edge = (side + k) % 4;
      double amount = k == 0 ? cut : cornerCut;
      // Corners: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left; edges: top, right,
      // bottom, left.
      switch (edge) {
        case 0 -> ty = -amount - Math.max(extent[0][1], extent[1][1]);
        case 1 -> tx = width + amount - Math.min(extent[1][2], extent[2][2]);
        case 2 -> ty = height + amount - Math.min(extent[2][3], extent[3][3]);
        default -> tx = -amount - Math.max(extent[0][0], extent[3][0]);
      }
    }
    return shifted(d, layout, tx, ty);
  }

  /**
   * Moves the sheet down until the lower of the two bottom markers has its centre off frame, but
   * never so far that the other bottom marker or its quiet zone (a sixth of its side around it,
   * which the fiducial detector needs) reaches the bottom edge: one marker out, three in.
   */
  static PhotoSimulator.Distortion pushBottomMarkerOut(
      PhotoSimulator.Distortion d, Layout layout, int height) {
    Homography h = d.sheetToPhoto();
    double s = layout.markerSize();
    double q = s / 6;
    double[] centreY = new double[4];
    double[] bottomY = new double[4];
    for (int corner = 2; corner <= 3; corner++) {
      double[] o = layout.markerOrigin(corner);
      centreY[corner] = h.apply(o[0] + s / 2, o[1] + s / 2)[1];
      bottomY[corner] = -Double.MAX_VALUE;
      for (int k = 0; k < 4; k++) {
        double[] p = h.apply(o[0] - q + (k % 2) * (s + 2 * q), o[1] - q + (k / 2) * (s + 2 * q));
        bottomY[corner] = Math.max(bottomY[corner], p[1]);
      }
    }
    int lower = centreY[2] >= centreY[3] ? 2 : 3;
    int other = 5 - lower;
    double ty = height + 0.1 * s * d.pxPerMm() - centreY[lower];
    // One pixel of paper below the other marker's quiet zone.
    ty = Math.min(ty, height - 2 - bottomY[other]);
    return shifted(d, layout, 0, Math.max(0, ty));
  }

  /** The same photo with the sheet moved by ({@code tx}, {@code ty}) pixels in the photo. */
  private static PhotoSimulator.Distortion shifted(
      PhotoSimulator.Distortion d, Layout layout, double tx, double ty) {
    double[] c = d.sheetToPhoto().coefficients();
    var m =
        new DMatrixRMaj(
            3,
            3,
            true,
            c[0] + tx * c[6],
            c[1] + tx * c[7],
            c[2] + tx * c[8],
            c[3] + ty * c[6],
            c[4] + ty * c[7],
            c[5] + ty * c[8],
            c[6],
            c[7],
            c[8]);
    var moved = new Homography(m);
    return d.withHomography(moved, moved.scaleAt(layout.pageWidth() / 2, layout.pageHeight() / 2));
  }

  /** The effects of {@code condition} for a photo with distortion {@code d}. */
  static Effects random(
      Condition condition,
      PhotoSimulator.Distortion d,
      Layout layout,
      int width,
      int height,
      SplittableRandom rnd) {
    return switch (condition) {
      case CREASE -> {
        List<double[]> creases = new ArrayList<>();
        int count = 1 + rnd.nextInt(3);
        double[] folds = {99, 148.5, 198};
        for (int i = 0; i < count; i++) {
          double angle = Math.toRadians((rnd.nextDouble() * 2 - 1) * 4);
          double x;
          double y;
          double nx;
          double ny;
          if (rnd.nextDouble() < 0.7) { // across the sheet: normal mostly vertical
            x = layout.pageWidth() / 2;
            y = folds[rnd.nextInt(folds.length)] + (rnd.nextDouble() * 2 - 1) * 12;
            nx = Math.sin(angle);
            ny = Math.cos(angle);
          } else { // down the sheet
            x = 60 + rnd.nextDouble() * 110;
            y = layout.pageHeight() / 2;
            nx = Math.cos(angle);
            ny = Math.sin(angle);
          }
          double sigma = 0.12 + rnd.nextDouble() * 0.28;
          double depth = 0.08 + rnd.nextDouble() * 0.22;
          double ridge = rnd.nextDouble() * 0.08;
          double step = 0.88 + rnd.nextDouble() * 0.12;
          creases.add(new double[] {x, y, nx, ny, sigma, depth, ridge, step});
        }
        yield new Effects(creases, 0, 0, 0, null, null, 0, 0);
      }
      case CURL_LENS -> {
        int kind = rnd.nextInt(3); // curl, lens or both
        double amplitude = 2.5 + rnd.nextDouble() * 3.5;
        double dir = rnd.nextDouble() * 2 * Math.PI;
        double k = (rnd.nextBoolean() ? 1 : -1) * (0.03 + rnd.nextDouble() * 0.05);
        yield new Effects(
            List.of(),
            kind == 1 ? 0 : amplitude * Math.cos(dir),
            kind == 1 ? 0 : amplitude * Math.sin(dir),
            kind == 0 ? 0 : k,
            null,
            null,
            0,
            0);
      }
      case HARD_SHADOW -> {
        AnswerBox box = layout.boxes().get(rnd.nextInt(layout.boxes().size()));
        double bx = box.x() + box.width() * (0.2 + rnd.nextDouble() * 0.6);
        double by = box.y() + box.height() * (0.2 + rnd.nextDouble() * 0.6);
        double[] p = d.sheetToPhoto().apply(bx, by);
        double a = rnd.nextDouble() * 2 * Math.PI;
        double nx = Math.cos(a);
        double ny = Math.sin(a);
        double offset = (p[0] - width / 2.0) * nx + (p[1] - height / 2.0) * ny;
        double penumbraMm = 0.1 + rnd.nextDouble() * 0.8;
        double soft = Math.max(0.3, penumbraMm * d.pxPerMm() / 1.1);
        double level = 0.45 + rnd.nextDouble() * 0.3;
        yield new Effects(
            List.of(), 0, 0, 0, new double[] {nx, ny, offset, soft, level}, null, 0, 0);
      }
      case PHONE, BLUR_PHONE ->
          new Effects(List.of(), 0, 0, 0, null, PhoneProcessing.Phone.random(rnd), 0, 0);
      case PEN_SHARPEN ->
          new Effects(List.of(), 0, 0, 0, null, PhoneProcessing.Phone.sharpening(rnd), 0, 0);
      case SLIGHT_SHAKE ->
          // 0.2-1.0 mm: at most about twice a pen stroke's width, every digit and box still
          // legible.
          shake(0.2 + rnd.nextDouble() * 0.8, rnd);
      case CAMERA_SHAKE ->
          // 5-40 mm, spread evenly on a log scale: from streaks as long as a digit is tall to ones
          // that smear a 24 mm marker past recognition.
          shake(5 * Math.pow(8, rnd.nextDouble()), rnd);
      default -> NONE;
    };
  }

  private static Effects shake(double lengthMm, SplittableRandom rnd) {
    return new Effects(List.of(), 0, 0, 0, null, null, lengthMm, rnd.nextDouble() * Math.PI);
  }

  /** Light reflected by the creased paper at sheet point (mmX, mmY), relative to flat paper. */
  double creaseFactor(double mmX, double mmY) {
    double f = 1;
    for (double[] c : creases) {
      double dist = (mmX - c[0]) * c[2] + (mmY - c[1]) * c[3];
      double sigma = c[4];
      double valley = Math.exp(-dist * dist / (2 * sigma * sigma));
      double r = dist - 2.5 * sigma;
      double ridge = Math.exp(-r * r / (2 * sigma * sigma));
      double t = Math.max(0, Math.min(1, (dist + sigma) / (2 * sigma)));
      double side = c[7] + (1 - c[7]) * t;
      f *= (1 - c[5] * valley) * (1 + c[6] * ridge) * side;
    }
    return f;
  }

  String describe() {
    var sb = new StringBuilder();
    if (!creases.isEmpty()) {
      sb.append(" creases=").append(creases.size());
    }
    if (curlX != 0 || curlY != 0) {
      sb.append(String.format(" curl=%.1fmm", Math.hypot(curlX, curlY)));
    }
    if (lensK != 0) {
      sb.append(String.format(" lens=%.3f", lensK));
    }
    if (hardShadow != null) {
      sb.append(String.format(" hardShadow(soft=%.1fpx level=%.2f)", hardShadow[3], hardShadow[4]));
    }
    if (phone != null) {
      sb.append(phone.describe());
    }
    if (shakeMm > 0) {
      sb.append(String.format(" shake=%.1fmm@%.0fdeg", shakeMm, Math.toDegrees(shakeAngle)));
    }
    return sb.toString();
  }
}
