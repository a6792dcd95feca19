package io.fctoolkit.grader.internal;

import boofcv.abst.fiducial.SquareHamming_to_FiducialDetector;
import boofcv.abst.geo.h.HomographyDLT_to_Epipolar;
import boofcv.alg.fiducial.square.DetectFiducialSquareHamming;
import boofcv.alg.interpolate.InterpolatePixelS;
import boofcv.factory.fiducial.ConfigFiducialHammingDetector;
import boofcv.factory.geo.FactoryMultiView;
import boofcv.factory.interpolate.FactoryInterpolation;
import boofcv.factory.shape.FactoryShapeDetector;
import boofcv.struct.ConfigLength;
import boofcv.struct.border.BorderType;
import boofcv.struct.geo.AssociatedPair;
import boofcv.struct.image.GrayU8;
import georegression.struct.shapes.Polygon2D_F64;
import io.fctoolkit.grader.Layout;
import io.fctoolkit.grader.LayoutRegistry;
import io.fctoolkit.grader.UnreadableReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * Finds the worksheet in a grey photo: detects the corner fiducials with BoofCV, picks the layout
 * their ids name, fits the sheet-to-photo homography to their corners and checks it.
 *
 * <p>Not thread-safe (BoofCV detectors keep work buffers): use one per thread.
 */
public final class SheetLocator {

  /** Largest allowed reprojection error of a fiducial corner, in sheet millimetres. */
  static final double MAX_REPROJECTION_MM = 2.0;

  /** Shortest contour considered as a fiducial outline, in decoded pixels. */
  static final double MIN_CONTOUR_PX = 60;

  private final LayoutRegistry layouts;
  private final SquareHamming_to_FiducialDetector<GrayU8> detector;
  private final HomographyDLT_to_Epipolar homography = FactoryMultiView.homographyDLT(true);
  private final InterpolatePixelS<GrayU8> interpolate =
      FactoryInterpolation.bilinearPixelS(GrayU8.class, BorderType.EXTENDED);

  /** The layout and fiducials (by corner) the last {@link #partial} read, or null. */
  private Layout partialLayout;

  private Polygon2D_F64[] partialFiducials;

  /** Shortest contour when searching a full-resolution decode for a sheet far from the camera. */
  public static final double MIN_CONTOUR_PX_FAR = 36;

  /** A locator for the layouts of {@code layouts}. */
  public SheetLocator(LayoutRegistry layouts) {
    this(layouts, MIN_CONTOUR_PX);
  }

  /**
   * A locator skipping contours shorter than {@code minContourPx}: fiducials are at least ~26 px
   * wide at the lowest resolution graded, and skipping shorter contours (letters, strokes) saves
   * most of the polygon fitting; a search for a sheet too small to grade needs shorter ones.
   */
  public SheetLocator(LayoutRegistry layouts, double minContourPx) {
    this.layouts = layouts;
    var config = new ConfigFiducialHammingDetector();
    config.squareDetector.detector.minimumContour = ConfigLength.fixed(minContourPx);
    config.checkValidity();
    // FactoryFiducial.squareHamming's assembly, with BoofCV's local-mean threshold replaced by
    // LocalMeanThreshold: the same binary image; the locate stage 9.6 ms instead of 12.2 at 12 MP.
    var hamming =
        new DetectFiducialSquareHamming<>(
            Markers.config(),
            config.minimumBlackBorderFraction,
            new LocalMeanThreshold(config.configThreshold),
            FactoryShapeDetector.polygon(config.squareDetector, GrayU8.class),
            GrayU8.class);
    hamming.setAmbiguousPenaltyFrac(config.ambiguousPenaltyFrac);
    this.detector = new SquareHamming_to_FiducialDetector<>(hamming);
  }

  /** The outcome: a located sheet, or the reason it could not be located. */
  public sealed interface Outcome permits Located, NotLocated {}

  /**
   * A sheet found in the photo.
   *
   * @param layout the layout named by the fiducials
   * @param sheetToImage homography from sheet millimetres to photo pixels
   * @param pxPerMm photo pixels per sheet millimetre at the sheet centre
   * @param markers how many of the four fiducials were used
   * @param reprojectionMm worst corner reprojection error in millimetres
   * @param contrast paper grey minus fiducial black
   * @param edgeWidthMm median 10-90% edge rise width of the fiducials, in millimetres
   * @param axisEdgeWidthMm the wider of the fiducials' median edge widths across the sheet's x and
   *     across its y axis, in millimetres: camera shake smears the sides across its streak and
   *     leaves those along it sharp, so half the sides hide it from the median of all
   */
  public record Located(
      Layout layout,
      Homography sheetToImage,
      double pxPerMm,
      int markers,
      double reprojectionMm,
      double contrast,
      double edgeWidthMm,
      double axisEdgeWidthMm)
      implements Outcome {}

  /**
   * No usable sheet.
   *
   * @param reason the reason code
   * @param message what was found, for people
   * @param layout the layout name when one was identified, else null
   */
  public record NotLocated(UnreadableReason reason, String message, String layout)
      implements Outcome {}

  /**
   * The dark quadrilaterals the last {@link #locate} saw, decoded as fiducials or not: a sheet too
   * far away to read its markers still shows them as small dark squares.
   */
  public List<Polygon2D_F64> candidateSquares() {
    return detector.getAlgorithm().getSquareDetector().getPolygons(new ArrayList<>(), null);
  }

  /**
   * Most relative difference between two decoded fiducials' centre distance, in their mean side,
   * and the distance a layout puts between those corners' fiducials, in its fiducial's side: a
   * sheet in perspective shortens the distance and the sides along it alike, chance decodes in
   * print lie anywhere.
   */
  static final double PLACE_TOLERANCE = 0.4;

  /** A decoded fiducial's centre and mean side, in pixels. */
  private record Decoded(double x, double y, double side) {}

  /**
   * Mean side length, in pixels, of the fiducials the last {@link #locate} decoded, counting only
   * the codes of known layouts seen at two or more different corners, placed relative to each other
   * as the layout places them (within {@link #PLACE_TOLERANCE}): at full resolution, small patterns
   * in writing or clutter sometimes decode as a lone fiducial (or the same one twice), and a
   * printed page decodes as dozens, two of them a known layout's at two corners by chance, which
   * says nothing about a sheet.
   */
  public List<Double> decodedFiducialSides() {
    Map<Integer, Map<Integer, Decoded>> byCode = new HashMap<>();
    var bounds = new Polygon2D_F64(4);
    for (int i = 0; i < detector.totalFound(); i++) {
      long id = detector.getId(i);
      if (id < 0 || id >= 4L * (Layout.MAX_CODE + 1)) {
        continue;
      }
      detector.getBounds(i, bounds);
      double side = 0;
      double x = 0;
      double y = 0;
      for (int k = 0; k < 4; k++) {
        side += bounds.get(k).distance(bounds.get((k + 1) % 4)) / 4;
        x += bounds.get(k).x / 4;
        y += bounds.get(k).y / 4;
      }
      byCode
          .computeIfAbsent((int) (id / 4), c -> new HashMap<>())
          .put((int) (id % 4), new Decoded(x, y, side));
    }
    List<Double> sides = new ArrayList<>();
    for (var entry : byCode.entrySet()) {
      // Only a code some layout uses says anything about a worksheet: a page of print decodes as
      // many codes, some of them at two corners by chance.
      var layout = layouts.byCode(entry.getKey());
      if (entry.getValue().size() >= 2
          && layout.isPresent()
          && placedAsLayout(layout.get(), entry.getValue())) {
        entry.getValue().values().forEach(d -> sides.add(d.side()));
      }
    }
    return sides;
  }

  /**
   * Whether every two of the {@code decoded} fiducials (by corner) are as far apart, in their mean
   * side, as {@code layout} puts those corners' fiducials, in its fiducial's side, within {@link
   * #PLACE_TOLERANCE}.
   */
  private static boolean placedAsLayout(Layout layout, Map<Integer, Decoded> decoded) {
    for (var a : decoded.entrySet()) {
      for (var b : decoded.entrySet()) {
        if (a.getKey() >= b.getKey()) {
          continue;
        }
        double[] oa = layout.markerOrigin(a.getKey());
        double[] ob = layout.markerOrigin(b.getKey());
        double expected = Math.hypot(oa[0] - ob[0], oa[1] - ob[1]) / layout.markerSize();
        Decoded da = a.getValue();
        Decoded db = b.getValue();
        double seen = Math.hypot(da.x() - db.x(), da.y() - db.y()) / ((da.side() + db.side()) / 2);
        if (Math.abs(seen - expected) > PLACE_TOLERANCE * expected) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * What the fiducials the last {@link #locate} decoded say about a sheet it could not locate.
   *
   * @param markers how many fiducials of the layout code decoded at the most corners were found (0
   *     when none of a known layout)
   * @param outOfFrame whether the places of the missing fiducials lie outside the photo (all of
   *     them, when two or three were decoded): the sheet is partly out of frame, whatever else is
   *     wrong with the photo
   * @param blurPx the decoded fiducials' own blur, a Gaussian sigma in photo pixels from their
   *     edges' 10-90% rise (infinite when none)
   * @param pxPerMm photo pixels per sheet millimetre measured on the decoded fiducials' sides (0
   *     when none)
   * @param axisEdgeWidthMm the wider of the decoded fiducials' median edge widths across the
   *     sheet's x and across its y axis, in sheet millimetres (infinite when none; see {@link
   *     Located#axisEdgeWidthMm})
   */
  public record Partial(
      int markers, boolean outOfFrame, double blurPx, double pxPerMm, double axisEdgeWidthMm) {
    static final Partial NONE =
        new Partial(0, false, Double.POSITIVE_INFINITY, 0, Double.POSITIVE_INFINITY);
  }

  /**
   * The white quiet zone around a fiducial, as a fraction of its side (one cell of the 6x6 grid of
   * an ArUco 4x4 marker with its border): a fiducial is found only when it and this margin are in
   * the photo, so a missing one whose place with this margin is cut by the photo's edge is missing
   * because it is out of frame.
   */
  static final double QUIET_ZONE = 1.0 / 6;

  /**
   * When a single fiducial was decoded, the share of the distance to a missing fiducial's predicted
   * place allowed for the error of extrapolating one 24 mm square's scale and direction across the
   * sheet (perspective is not extrapolated at all; blur rounds the square's corners): only a place
   * outside the photo by more than this counts.
   */
  static final double LONE_SLACK = 0.3;

  /**
   * Reads what the fiducials decoded by the last {@link #locate} on {@code gray} say about the
   * sheet (see {@link Partial}). With two or three decoded, a homography fitted to their corners
   * places the missing ones (when those decoded are blurred, a place within one fiducial side of
   * the edge counts as outside); with one, only when its own blur is under {@code sharpBlurPx}
   * (pixels), its own scale and direction (an affine map, no perspective) with {@link #LONE_SLACK}:
   * a blurred fiducial is sometimes decoded as another corner's, and its corners, extrapolated
   * across the sheet, put the others outside the photo by chance.
   */
  public Partial partial(GrayU8 gray, double sharpBlurPx) {
    partialLayout = null;
    partialFiducials = null;
    Map<Integer, Polygon2D_F64[]> byCode = new HashMap<>();
    for (int i = 0; i < detector.totalFound(); i++) {
      long id = detector.getId(i);
      if (id < 0 || id >= 4L * (Layout.MAX_CODE + 1)) {
        continue;
      }
      byCode.computeIfAbsent((int) (id / 4), c -> new Polygon2D_F64[4])[(int) (id % 4)] =
          detector.getBounds(i, new Polygon2D_F64(4));
    }
    Polygon2D_F64[] best = null;
    int bestCode = -1;
    int bestCount = 0;
    for (var entry : byCode.entrySet()) {
      int count = (int) Arrays.stream(entry.getValue()).filter(p -> p != null).count();
      if (count > bestCount && layouts.byCode(entry.getKey()).isPresent()) {
        best = entry.getValue();
        bestCode = entry.getKey();
        bestCount = count;
      }
    }
    if (best == null) {
      return Partial.NONE;
    }
    Layout layout = layouts.byCode(bestCode).orElseThrow();
    partialLayout = layout;
    partialFiducials = best;
    var h = new DMatrixRMaj(3, 3);
    if (!homography.process(pairs(layout, best), h)) {
      return Partial.NONE;
    }
    var sheetToImage = new Homography(h);
    double s = layout.markerSize();
    double side = 0;
    for (Polygon2D_F64 polygon : best) {
      if (polygon != null) {
        for (int k = 0; k < 4; k++) {
          side += polygon.get(k).distance(polygon.get((k + 1) % 4)) / (4 * bestCount);
        }
      }
    }
    EdgeWidths widths = edgeWidths(gray, layout, sheetToImage, best);
    double edge = widths.median();
    // A Gaussian blur of sigma s gives a 10-90% rise of 2.56 s.
    double blurPx = edge < 0 ? Double.POSITIVE_INFINITY : edge * side / s / 2.56;
    boolean outOfFrame = false;
    // Blurred fiducials' corners are rounded and their fit extrapolates less surely across the
    // sheet: then a missing one counts as out of frame when its place comes within one side of the
    // photo's edge.
    double margin = blurPx < sharpBlurPx ? 0 : side;
    if (bestCount >= 2 && bestCount < 4) {
      // Out of frame only if every missing fiducial is: one whose place lies well inside the photo
      // and was not decoded is missing for another reason (blur, a thumb, glare), and framing is
      // not what the student must fix, or not all of it.
      outOfFrame = true;
      for (int corner = 0; corner < 4; corner++) {
        outOfFrame &=
            best[corner] != null
                || !fiducialInPhoto(layout, sheetToImage, corner, gray.width, gray.height, margin);
      }
    } else if (bestCount == 1 && blurPx < sharpBlurPx) {
      for (int corner = 0; corner < 4; corner++) {
        if (best[corner] == null) {
          outOfFrame |= loneOutside(layout, best, corner, gray.width, gray.height);
        }
      }
    }
    double axisEdge = edge < 0 ? Double.POSITIVE_INFINITY : widths.worstAxis();
    return new Partial(bestCount, outOfFrame, blurPx, side / s, axisEdge);
  }

  /**
   * Whether the paper around a fiducial the last {@link #partial} read runs off the photo's edge
   * (see {@link PaperRunOff}): for a sheet partly out of frame in a photo too blurred for its other
   * fiducials to be found or placed.
   */
  public boolean paperRunsOffEdge(GrayU8 gray) {
    return paperRunsOffEdge(gray, 1);
  }

  /**
   * {@link #paperRunsOffEdge(GrayU8)} on {@code gray}, a copy of the photo the last {@link
   * #partial} read shrunk by {@code shrink} (a subsampled decode of it): the fiducials' corners are
   * divided by it.
   */
  public boolean paperRunsOffEdge(GrayU8 gray, double shrink) {
    if (partialFiducials == null) {
      return false;
    }
    for (int corner = 0; corner < 4; corner++) {
      if (partialFiducials[corner] == null) {
        continue;
      }
      Polygon2D_F64 fiducial = partialFiducials[corner].copy();
      for (int k = 0; k < 4; k++) {
        fiducial.get(k).scale(1 / shrink);
      }
      if (PaperRunOff.test(gray, partialLayout, fiducial, corner)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether fiducial {@code corner} of {@code layout}, with its quiet zone, lies wholly inside the
   * {@code width} x {@code height} photo under {@code sheetToImage}.
   */
  public static boolean fiducialInPhoto(
      Layout layout, Homography sheetToImage, int corner, int width, int height) {
    return fiducialInPhoto(layout, sheetToImage, corner, width, height, 0);
  }

  /**
   * Whether fiducial {@code corner} of {@code layout}, with its quiet zone, lies inside the {@code
   * width} x {@code height} photo under {@code sheetToImage}, at least {@code margin} pixels from
   * its edges.
   */
  static boolean fiducialInPhoto(
      Layout layout, Homography sheetToImage, int corner, int width, int height, double margin) {
    double s = layout.markerSize();
    double q = QUIET_ZONE * s;
    double[] o = layout.markerOrigin(corner);
    for (int k = 0; k < 4; k++) {
      double x = o[0] - q + (k % 2) * (s + 2 * q);
      double y = o[1] - q + (k / 2) * (s + 2 * q);
      double[] p = sheetToImage.apply(x, y);
      if (!(p[0] >= margin
          && p[1] >= margin
          && p[0] <= width - 1 - margin
          && p[1] <= height - 1 - margin)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether missing fiducial {@code corner} is out of frame as the lone decoded fiducial of {@code
   * found} places it: its centre, moved {@link #LONE_SLACK} of the way back towards the decoded
   * one, is still outside the photo.
   */
  private static boolean loneOutside(
      Layout layout, Polygon2D_F64[] found, int corner, int width, int height) {
    int known = 0;
    while (found[known] == null) {
      known++;
    }
    Polygon2D_F64 p = found[known];
    double s = layout.markerSize();
    MarkerFrame frame = MarkerFrame.of(p, s);
    double[] from = layout.markerOrigin(known);
    double[] to = layout.markerOrigin(corner);
    double dx = (to[0] - from[0]) * (1 - LONE_SLACK);
    double dy = (to[1] - from[1]) * (1 - LONE_SLACK);
    double x = frame.x(dx, dy);
    double y = frame.y(dx, dy);
    return !(x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1);
  }

  /** Locates the sheet in {@code gray}. */
  public Outcome locate(GrayU8 gray) {
    detector.detect(gray);
    Map<Integer, Polygon2D_F64[]> byCode = new HashMap<>();
    int found = detector.totalFound();
    for (int i = 0; i < found; i++) {
      long id = detector.getId(i);
      if (id < 0 || id >= 4L * (Layout.MAX_CODE + 1)) {
        continue;
      }
      int code = (int) (id / 4);
      int corner = (int) (id % 4);
      Polygon2D_F64[] corners = byCode.computeIfAbsent(code, c -> new Polygon2D_F64[4]);
      if (corners[corner] != null && layouts.byCode(code).isEmpty()) {
        // A code no layout uses, twice: chance decodes of a blurred photo's shapes or of print,
        // not two worksheets. Only the first is kept (a code this grader does not know is never
        // located anyway).
        continue;
      }
      if (corners[corner] != null) {
        // The same marker twice: something is wrong with this photo (a photo of a photo?).
        return new NotLocated(
            UnreadableReason.SHEET_GEOMETRY_INCONSISTENT,
            "The fiducial " + id + " appears twice; photograph one worksheet at a time",
            null);
      }
      corners[corner] = detector.getBounds(i, new Polygon2D_F64(4));
    }
    int bestCode = -1;
    int bestCount = 0;
    boolean tie = false;
    for (var entry : byCode.entrySet()) {
      int count = (int) Arrays.stream(entry.getValue()).filter(p -> p != null).count();
      if (count > bestCount) {
        bestCode = entry.getKey();
        bestCount = count;
        tie = false;
      } else if (count == bestCount) {
        tie = true;
      }
    }
    if (bestCount < 3 || tie) {
      return new NotLocated(
          UnreadableReason.SHEET_NOT_FOUND,
          bestCount == 0
              ? "No worksheet corner markers were found; photograph the whole sheet, flat and in"
                  + " focus"
              : "Only "
                  + bestCount
                  + " of the 4 corner markers were found; keep all four corners in the photo",
          null);
    }
    var layoutOrEmpty = layouts.byCode(bestCode);
    if (layoutOrEmpty.isEmpty()) {
      return new NotLocated(
          UnreadableReason.LAYOUT_UNKNOWN,
          "The corner markers name layout code " + bestCode + ", which this grader does not know",
          null);
    }
    Layout layout = layoutOrEmpty.get();
    return fit(gray, layout, byCode.get(bestCode), bestCount);
  }

  private Outcome fit(GrayU8 gray, Layout layout, Polygon2D_F64[] corners, int count) {
    List<AssociatedPair> pairs = pairs(layout, corners);
    var h = new DMatrixRMaj(3, 3);
    if (!homography.process(pairs, h)) {
      return new NotLocated(
          UnreadableReason.SHEET_GEOMETRY_INCONSISTENT,
          "The corner markers do not describe a flat sheet",
          layout.name());
    }
    var sheetToImage = new Homography(h);
    Homography imageToSheet = sheetToImage.invert();
    double worst = 0;
    for (AssociatedPair pair : pairs) {
      double[] back = imageToSheet.apply(pair.p2.x, pair.p2.y);
      worst = Math.max(worst, Math.hypot(back[0] - pair.p1.x, back[1] - pair.p1.y));
    }
    double cx = layout.pageWidth() / 2;
    double cy = layout.pageHeight() / 2;
    double pxPerMm = sheetToImage.scaleAt(cx, cy);
    if (worst > MAX_REPROJECTION_MM || !sheetToImage.preservesOrientation(cx, cy)) {
      return new NotLocated(
          UnreadableReason.SHEET_GEOMETRY_INCONSISTENT,
          String.format(
              "The corner markers disagree by %.1f mm; lay the sheet flat and photograph it whole",
              worst),
          layout.name());
    }
    double[] levels = paperAndInk(gray, layout, sheetToImage);
    EdgeWidths edge = edgeWidths(gray, layout, sheetToImage, corners);
    return new Located(
        layout,
        sheetToImage,
        pxPerMm,
        count,
        worst,
        levels[0] - levels[1],
        edge.median(),
        edge.worstAxis());
  }

  /** Sheet-to-photo point pairs of the four corners of each fiducial in {@code corners}. */
  private static List<AssociatedPair> pairs(Layout layout, Polygon2D_F64[] corners) {
    List<AssociatedPair> pairs = new ArrayList<>();
    for (int corner = 0; corner < 4; corner++) {
      if (corners[corner] == null) {
        continue;
      }
      double[] origin = layout.markerOrigin(corner);
      double s = layout.markerSize();
      double[][] sheet = {
        {origin[0], origin[1]},
        {origin[0] + s, origin[1]},
        {origin[0] + s, origin[1] + s},
        {origin[0], origin[1] + s}
      };
      Polygon2D_F64 polygon = corners[corner];
      for (int k = 0; k < 4; k++) {
        var p = polygon.get(k);
        pairs.add(new AssociatedPair(sheet[k][0], sheet[k][1], p.x, p.y));
      }
    }
    return pairs;
  }

  /** Median paper grey just outside the fiducials and median black of their borders. */
  private double[] paperAndInk(GrayU8 gray, Layout layout, Homography h) {
    interpolate.setImage(gray);
    double s = layout.markerSize();
    double border = s / 6; // ArUco 4x4: the black border is one of six cells
    List<Double> paper = new ArrayList<>();
    List<Double> ink = new ArrayList<>();
    for (int corner = 0; corner < 4; corner++) {
      double[] o = layout.markerOrigin(corner);
      for (int i = 0; i <= 8; i++) {
        double t = s * i / 8.0;
        // Paper: 3 mm outside the marker on its four sides.
        addSample(paper, h, o[0] + t, o[1] - 3);
        addSample(paper, h, o[0] + t, o[1] + s + 3);
        addSample(paper, h, o[0] - 3, o[1] + t);
        addSample(paper, h, o[0] + s + 3, o[1] + t);
        // Ink: the middle of the black border band.
        double m = border / 2;
        double u = m + (s - 2 * m) * i / 8.0;
        addSample(ink, h, o[0] + u, o[1] + m);
        addSample(ink, h, o[0] + u, o[1] + s - m);
        addSample(ink, h, o[0] + m, o[1] + u);
        addSample(ink, h, o[0] + s - m, o[1] + u);
      }
    }
    return new double[] {median(paper), median(ink)};
  }

  private void addSample(List<Double> out, Homography h, double x, double y) {
    double[] p = h.apply(x, y);
    out.add((double) interpolate.get((float) p[0], (float) p[1]));
  }

  /**
   * The fiducials' 10-90% edge rise widths, in sheet millimetres: the median over all their sides,
   * and the wider of the medians over the sides across the sheet's x axis (left and right) and
   * across its y axis (top and bottom); -1 for both when no fiducial was found.
   */
  private record EdgeWidths(double median, double worstAxis) {}

  private EdgeWidths edgeWidths(GrayU8 gray, Layout layout, Homography h, Polygon2D_F64[] found) {
    interpolate.setImage(gray);
    double s = layout.markerSize();
    List<Double> widths = new ArrayList<>();
    List<Double> acrossX = new ArrayList<>();
    List<Double> acrossY = new ArrayList<>();
    int steps = 41;
    double half = 2.0; // profile from 2 mm inside the black border to 2 mm outside
    double[] profile = new double[steps];
    for (int corner = 0; corner < 4; corner++) {
      if (found[corner] == null) {
        continue;
      }
      double[] o = layout.markerOrigin(corner);
      // Four edge midpoints with their outward normals.
      double[][] edges = {
        {o[0] + s / 2, o[1], 0, -1},
        {o[0] + s, o[1] + s / 2, 1, 0},
        {o[0] + s / 2, o[1] + s, 0, 1},
        {o[0], o[1] + s / 2, -1, 0}
      };
      for (double[] e : edges) {
        for (int i = 0; i < steps; i++) {
          double d = -half + 2 * half * i / (steps - 1);
          double[] p = h.apply(e[0] + e[2] * d, e[1] + e[3] * d);
          profile[i] = interpolate.get((float) p[0], (float) p[1]);
        }
        double width = riseWidth(profile, 2 * half / (steps - 1));
        widths.add(width);
        (e[2] != 0 ? acrossX : acrossY).add(width);
      }
    }
    return widths.isEmpty()
        ? new EdgeWidths(-1, -1)
        : new EdgeWidths(median(widths), Math.max(median(acrossX), median(acrossY)));
  }

  private static double riseWidth(double[] profile, double step) {
    double lo = Arrays.stream(profile, 0, 5).average().orElse(0);
    double hi = Arrays.stream(profile, profile.length - 5, profile.length).average().orElse(255);
    if (hi - lo < 1) {
      return 2 * step * profile.length;
    }
    double t10 = lo + 0.1 * (hi - lo);
    double t90 = lo + 0.9 * (hi - lo);
    double a = crossing(profile, t10);
    double b = crossing(profile, t90);
    return Math.abs(b - a) * step;
  }

  private static double crossing(double[] profile, double level) {
    for (int i = 1; i < profile.length; i++) {
      if (profile[i - 1] < level && profile[i] >= level) {
        return i - 1 + (level - profile[i - 1]) / (profile[i] - profile[i - 1]);
      }
    }
    return profile.length;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }
}
