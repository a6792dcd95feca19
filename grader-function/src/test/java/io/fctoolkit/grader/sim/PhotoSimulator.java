package io.fctoolkit.grader.sim;

import boofcv.alg.filter.blur.BlurImageOps;
import boofcv.factory.geo.FactoryMultiView;
import boofcv.struct.geo.AssociatedPair;
import boofcv.struct.image.GrayU8;
import io.fctoolkit.grader.AnswerBox;
import io.fctoolkit.grader.Layout;
import io.fctoolkit.grader.SheetStatus;
import io.fctoolkit.grader.UnreadableReason;
import io.fctoolkit.grader.internal.Homography;
import io.fctoolkit.grader.tools.WorksheetRenderer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.ejml.data.DMatrixRMaj;

/**
 * Makes phone-photo-like JPEGs of filled-in worksheets, deterministically from a seed: marks in the
 * boxes, then rotation, perspective, background, uneven light and shadow, blur, noise and JPEG
 * compression. Distortion ranges are in {@link Ranges}.
 */
public final class PhotoSimulator {

  /** The distortion ranges of the evaluation set (the ranges). */
  public record Ranges(
      double maxRotationDeg,
      double maxPerspective,
      double maxBlur,
      double maxNoise,
      int minJpegQuality,
      int maxJpegQuality,
      double otherPhotoRate) {
    /** The ranges the issue asks for. */
    public static final Ranges DEFAULT = new Ranges(15, 0.06, 1.2, 8, 50, 95, 0.03);

    /** The same ranges, but every photo shows a worksheet. */
    public Ranges withoutOtherPhotos() {
      return new Ranges(
          maxRotationDeg, maxPerspective, maxBlur, maxNoise, minJpegQuality, maxJpegQuality, 0);
    }
  }

  /**
   * Fixed values for some distortions (NaN keeps the random draw), to test the range ends.
   *
   * @param rotationDeg rotation in degrees
   * @param perspective corner displacement as a fraction of the sheet diagonal
   * @param blurPx Gaussian blur sigma in photo pixels
   * @param noise noise sigma in grey levels
   * @param quality JPEG quality (NaN: random)
   * @param light darkest-corner light relative to the brightest
   * @param shadow shadow darkness factor (1 = no shadow)
   * @param fill fraction of the photo the sheet spans
   * @param exposure overall exposure factor
   */
  public record Overrides(
      double rotationDeg,
      double perspective,
      double blurPx,
      double noise,
      double quality,
      double light,
      double shadow,
      double fill,
      double exposure) {
    /** No overrides. */
    public static final Overrides NONE =
        new Overrides(
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN);

    static double pick(double override, double random) {
      return Double.isNaN(override) ? random : override;
    }
  }

  private static final int[][] SIZES = {
    {1200, 900}, {1600, 1200}, {2048, 1536}, {2592, 1944}, {3264, 2448}, {4000, 3000}
  };

  private final List<Layout> layouts;
  private final Ranges ranges;

  /** A simulator drawing sheets of {@code layouts}. */
  public PhotoSimulator(List<Layout> layouts, Ranges ranges) {
    this.layouts = List.copyOf(layouts);
    this.ranges = ranges;
  }

  /** The photo for {@code seed}, with a random size from 1200x900 to 4000x3000. */
  public SimulatedPhoto photo(long seed) {
    var rnd = new SplittableRandom(seed);
    int[] size = SIZES[rnd.nextInt(SIZES.length)];
    return photo(seed, size[0], size[1], rnd);
  }

  /**
   * The photo for {@code seed} under {@code condition}. {@link Condition#BASE} is the same photo as
   * {@link #photo(long)}; the other conditions draw their extra parameters from a second random
   * stream, so the base draws of a seed stay as they were.
   */
  public SimulatedPhoto photo(long seed, Condition condition) {
    if (condition == Condition.BASE) {
      return photo(seed);
    }
    var extra = new SplittableRandom(seed * 1_000_003L + condition.ordinal() * 7919L);
    double n = Double.NaN;
    int[] size = SIZES[extra.nextInt(SIZES.length)];
    Overrides o = Overrides.NONE;
    switch (condition) {
      case FAINT_PENCIL -> {
        // Half at low resolution (about 2-3 px/mm), half at high (about 8-9 px/mm).
        if (extra.nextBoolean()) {
          size = SIZES[extra.nextInt(2)];
          o = new Overrides(n, n, n, n, n, n, n, 0.62 + extra.nextDouble() * 0.2, n);
        } else {
          size = SIZES[SIZES.length - 1];
          o = new Overrides(n, n, n, n, n, n, n, 0.82 + extra.nextDouble() * 0.1, n);
        }
      }
      case MARKER_OUT -> o = markerOutOverrides(extra);
      case EXTREME_BLUR -> size = SIZES[extra.nextInt(4)];
      case BLUR_PHONE -> size = SIZES[extra.nextInt(SIZES.length)];
      case TOO_SMALL -> {
        // fill is relative to the scale that fits the page; 0.45-0.8 px/mm against the shorter
        // side, at most ~1.07 px/mm when the photo is turned portrait (still under the limit).
        size = SIZES[1 + extra.nextInt(SIZES.length - 1)];
        double fit = Math.min(size[0] / 297.0, size[1] / 297.0);
        double fill = (0.45 + extra.nextDouble() * 0.35) / fit;
        o = new Overrides(n, n, n, n, n, n, n, fill, n);
      }
      case PEN_JPEG40 -> o = new Overrides(n, n, n, n, 40, n, n, n, n);
      case NOT_A_WORKSHEET -> {
        var rnd = new SplittableRandom(seed);
        int w = size[0];
        int h = size[1];
        if (rnd.nextDouble() < 0.25) {
          w = size[1];
          h = size[0];
        }
        return extra.nextBoolean()
            ? relabel(somethingElse(seed, w, h, rnd), condition)
            : textPage(seed, w, h, extra);
      }
      case OUT_OF_FRAME ->
          // Filling most of the frame, as a close-up that cuts a side off would.
          o = new Overrides(n, n, n, n, n, n, n, 0.85 + extra.nextDouble() * 0.1, n);
      case PARTLY_OUT_OF_FRAME ->
          // From a sheet across the room (a fifth of the frame) to a close-up bigger than it.
          o = new Overrides(n, n, n, n, n, n, n, 0.2 + extra.nextDouble() * 0.9, n);
      default -> {}
    }
    return photo(seed, size[0], size[1], new SplittableRandom(seed), o, condition, extra);
  }

  /**
   * The distortions fixed for {@link Condition#MARKER_OUT}: a tilt of 9-15 degrees either way, so
   * that one bottom marker can be pushed out of frame while the other keeps its quiet zone in the
   * photo (under about 7 degrees the two bottom markers' heights differ by less than a marker and
   * its quiet zone, and both were cut), little perspective, a sheet filling 80-90% of the frame.
   */
  static Overrides markerOutOverrides(SplittableRandom extra) {
    double n = Double.NaN;
    double rot = (extra.nextBoolean() ? 1 : -1) * (9 + extra.nextDouble() * 6);
    return new Overrides(rot, 0.02, n, n, n, n, n, 0.8 + extra.nextDouble() * 0.1, n);
  }

  /** The photo for {@code seed} at {@code width} x {@code height} (landscape). */
  public SimulatedPhoto photo(long seed, int width, int height) {
    return photo(seed, width, height, new SplittableRandom(seed));
  }

  /** The photo for {@code seed} at {@code width} x {@code height} with some fixed distortions. */
  public SimulatedPhoto photo(long seed, int width, int height, Overrides overrides) {
    return photo(seed, width, height, new SplittableRandom(seed), overrides);
  }

  private SimulatedPhoto photo(long seed, int width, int height, SplittableRandom rnd) {
    return photo(seed, width, height, rnd, Overrides.NONE);
  }

  private SimulatedPhoto photo(
      long seed, int width, int height, SplittableRandom rnd, Overrides overrides) {
    return photo(seed, width, height, rnd, overrides, Condition.BASE, null);
  }

  private SimulatedPhoto photo(
      long seed,
      int width,
      int height,
      SplittableRandom rnd,
      Overrides overrides,
      Condition condition,
      SplittableRandom extra) {
    if (rnd.nextDouble() < 0.25) {
      int t = width;
      width = height;
      height = t;
    }
    if (rnd.nextDouble() < ranges.otherPhotoRate() && condition == Condition.BASE) {
      return somethingElse(seed, width, height, rnd);
    }
    Layout layout = layouts.get(rnd.nextInt(layouts.size()));
    int n = layout.boxes().size();
    List<Boolean> answered = new ArrayList<>(n);
    double mode = rnd.nextDouble();
    for (int i = 0; i < n; i++) {
      answered.add(mode < 0.25 || (mode >= 0.45 && rnd.nextDouble() < 0.6));
    }
    if (mode < 0.45 && mode >= 0.25) {
      answered.replaceAll(b -> false);
    }
    List<MarkPainter.Kind> kinds = new ArrayList<>(n);
    for (boolean a : answered) {
      MarkPainter.Kind kind = a ? MarkPainter.answeredKind(rnd) : MarkPainter.blankKind(rnd);
      if (a) {
        kind =
            switch (condition) {
              case FAINT_PENCIL -> MarkPainter.Kind.FAINT_PENCIL;
              case STRAIGHT_STROKES -> MarkPainter.Kind.STRAIGHT;
              case PEN_JPEG40, PEN_SHARPEN -> MarkPainter.Kind.DIGITS;
              default -> kind;
            };
      }
      kinds.add(kind);
    }
    var d = Distortion.random(rnd, ranges, width, height, layout, overrides);
    Effects effects = Effects.NONE;
    if (condition != Condition.BASE) {
      d = Effects.adjust(condition, d, layout, width, height, extra);
      effects = Effects.random(condition, d, layout, width, height, extra);
    }
    double sheetRes = Math.max(3, Math.min(10, d.pxPerMm() * 1.3));
    BufferedImage sheet = WorksheetRenderer.render(layout, sheetRes);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.scale(sheetRes, sheetRes);
      List<Rectangle2D> rects = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        AnswerBox box = layout.boxes().get(i);
        var rect = new Rectangle2D.Double(box.x(), box.y(), box.width(), box.height());
        rects.add(rect);
        MarkPainter.paint(g, rect, kinds.get(i), rnd);
      }
      MarkPainter.strayMarks(g, layout.pageWidth(), layout.pageHeight(), rects, rnd);
    } finally {
      g.dispose();
    }
    byte[] jpeg = compose(sheet, sheetRes, layout, d, width, height, rnd, effects);
    var reason = condition.expectedReason();
    return new SimulatedPhoto(
        seed,
        jpeg,
        layout.name(),
        List.copyOf(answered),
        List.copyOf(kinds),
        reason == null ? SimulatedPhoto.statusOf(answered) : SheetStatus.UNREADABLE,
        d.describe(width, height) + effects.describe(),
        condition,
        reason);
  }

  private static SimulatedPhoto relabel(SimulatedPhoto p, Condition condition) {
    return new SimulatedPhoto(
        p.seed(),
        p.jpeg(),
        p.layout(),
        p.answered(),
        p.kinds(),
        p.expected(),
        p.params(),
        condition,
        condition.expectedReason());
  }

  /**
   * A photographed printed page that is not a worksheet: lines of text, filled bullet squares and a
   * ruled table on white paper, slightly rotated and blurred, with sensor noise.
   */
  private SimulatedPhoto textPage(long seed, int width, int height, SplittableRandom rnd) {
    var page = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = page.createGraphics();
    double scale = Math.min(width, height) / 700.0;
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(90 + rnd.nextInt(60), 80 + rnd.nextInt(60), 70 + rnd.nextInt(60)));
      g.fillRect(0, 0, width, height);
      g.rotate(Math.toRadians(rnd.nextDouble() * 20 - 10), width / 2.0, height / 2.0);
      int px = (int) (width * (0.05 + rnd.nextDouble() * 0.1));
      int py = (int) (height * (0.03 + rnd.nextDouble() * 0.05));
      int pw = width - 2 * px;
      int ph = height - 2 * py;
      int paper = 215 + rnd.nextInt(35);
      g.setColor(new Color(paper, paper, paper - rnd.nextInt(15)));
      g.fillRect(px, py, pw, ph);
      g.setColor(new Color(20, 20, 30));
      int size = (int) Math.max(8, (9 + rnd.nextInt(8)) * scale);
      g.setFont(new Font(rnd.nextBoolean() ? Font.SERIF : Font.SANS_SERIF, Font.PLAIN, size));
      int y = py + 3 * size;
      while (y < py + ph - 2 * size) {
        if (rnd.nextDouble() < 0.15) {
          int bullet = (int) (size * (0.5 + rnd.nextDouble() * 0.8));
          g.fillRect(px + size, y - bullet, bullet, bullet);
        }
        if (rnd.nextDouble() < 0.08 && y < py + ph - 8 * size) {
          // A ruled table of a few rows and columns.
          int rows = 2 + rnd.nextInt(4);
          int cols = 2 + rnd.nextInt(4);
          int tw = pw - 4 * size;
          for (int r = 0; r <= rows; r++) {
            g.drawLine(px + 2 * size, y + r * 2 * size, px + 2 * size + tw, y + r * 2 * size);
          }
          for (int c = 0; c <= cols; c++) {
            int x = px + 2 * size + c * tw / cols;
            g.drawLine(x, y, x, y + rows * 2 * size);
          }
          y += (rows * 2 + 2) * size;
          continue;
        }
        StringBuilder line = new StringBuilder();
        int words = 3 + rnd.nextInt(12);
        for (int i = 0; i < words; i++) {
          line.append("lorem ipsum dolor sit amet consectetur".split(" ")[rnd.nextInt(6)])
              .append(' ');
        }
        g.drawString(line.toString(), px + 3 * size, y);
        y += (int) (size * (1.3 + rnd.nextDouble() * 0.6));
      }
    } finally {
      g.dispose();
    }
    var gray = new GrayU8(width, height);
    byte[] bgr = ((DataBufferByte) page.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < width * height; i++) {
      gray.data[i] = bgr[3 * i + 1];
    }
    var blurred = new GrayU8(width, height);
    BlurImageOps.gaussian(gray, blurred, 0.3 + rnd.nextDouble() * 1.2, -1, null);
    double noise = 1.5 + rnd.nextDouble() * 5;
    for (int i = 0; i < width * height; i++) {
      int v = (int) Math.round((blurred.data[i] & 0xFF) + rnd.nextGaussian() * noise);
      byte b = (byte) Math.max(0, Math.min(255, v));
      bgr[3 * i] = b;
      bgr[3 * i + 1] = b;
      bgr[3 * i + 2] = b;
    }
    return new SimulatedPhoto(
        seed,
        jpeg(page, 60 + rnd.nextInt(35)),
        null,
        List.of(),
        List.of(),
        SheetStatus.UNREADABLE,
        "printed text page " + width + "x" + height,
        Condition.NOT_A_WORKSHEET,
        UnreadableReason.SHEET_NOT_FOUND);
  }

  /** A photo of something other than a worksheet (shapes and text on a coloured ground). */
  public SimulatedPhoto otherPhoto(long seed, int width, int height) {
    return somethingElse(seed, width, height, new SplittableRandom(seed));
  }

  private SimulatedPhoto somethingElse(long seed, int width, int height, SplittableRandom rnd) {
    var image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
      g.fillRect(0, 0, width, height);
      for (int i = 0; i < 40; i++) {
        g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
        int x = rnd.nextInt(width);
        int y = rnd.nextInt(height);
        int w = 20 + rnd.nextInt(width / 3);
        int h = 20 + rnd.nextInt(height / 3);
        switch (rnd.nextInt(3)) {
          case 0 -> g.fillRect(x, y, w, h);
          case 1 -> g.fillOval(x, y, w, h);
          default -> {
            g.setFont(new Font(Font.SERIF, Font.PLAIN, 10 + rnd.nextInt(60)));
            g.drawString("Lorem ipsum dolor sit amet " + rnd.nextInt(1000), x, y);
          }
        }
      }
    } finally {
      g.dispose();
    }
    return new SimulatedPhoto(
        seed,
        jpeg(image, 60 + rnd.nextInt(35)),
        null,
        List.of(),
        List.of(),
        SheetStatus.UNREADABLE,
        "something else " + width + "x" + height,
        Condition.BASE,
        UnreadableReason.SHEET_NOT_FOUND);
  }

  /** Random photo geometry and light for one sheet. */
  record Distortion(
      Homography sheetToPhoto,
      double pxPerMm,
      double rotationDeg,
      double perspective,
      double blur,
      double noise,
      int quality,
      double light,
      double shadow,
      double exposure) {

    static Distortion random(
        SplittableRandom rnd, Ranges ranges, int width, int height, Layout layout, Overrides o) {
      double rot =
          Overrides.pick(o.rotationDeg(), (rnd.nextDouble() * 2 - 1) * ranges.maxRotationDeg());
      double persp = Overrides.pick(o.perspective(), rnd.nextDouble() * ranges.maxPerspective());
      double fill = Overrides.pick(o.fill(), 0.62 + rnd.nextDouble() * 0.3);
      double pw = layout.pageWidth();
      double ph = layout.pageHeight();
      double rad = Math.toRadians(rot);
      double bw = Math.abs(pw * Math.cos(rad)) + Math.abs(ph * Math.sin(rad));
      double bh = Math.abs(pw * Math.sin(rad)) + Math.abs(ph * Math.cos(rad));
      double scale = fill * Math.min(width / bw, height / bh) / (1 + persp);
      double slackX = Math.max(0, width - bw * scale * (1 + persp)) / 2;
      double slackY = Math.max(0, height - bh * scale * (1 + persp)) / 2;
      double cx = width / 2.0 + (rnd.nextDouble() * 2 - 1) * slackX * 0.8;
      double cy = height / 2.0 + (rnd.nextDouble() * 2 - 1) * slackY * 0.8;
      double[][] sheet = {{0, 0}, {pw, 0}, {pw, ph}, {0, ph}};
      List<AssociatedPair> pairs = new ArrayList<>();
      double jitter = persp * scale * Math.hypot(pw, ph) / 2;
      for (double[] s : sheet) {
        double x = (s[0] - pw / 2) * scale;
        double y = (s[1] - ph / 2) * scale;
        double u = cx + x * Math.cos(rad) - y * Math.sin(rad) + (rnd.nextDouble() * 2 - 1) * jitter;
        double v = cy + x * Math.sin(rad) + y * Math.cos(rad) + (rnd.nextDouble() * 2 - 1) * jitter;
        pairs.add(new AssociatedPair(s[0], s[1], u, v));
      }
      var h = new DMatrixRMaj(3, 3);
      FactoryMultiView.homographyDLT(true).process(pairs, h);
      var hom = new Homography(h);
      double sizeScale = Math.min(width, height) / 900.0;
      double blur = Overrides.pick(o.blurPx(), rnd.nextDouble() * ranges.maxBlur() * sizeScale);
      double noise = Overrides.pick(o.noise(), 1.5 + rnd.nextDouble() * (ranges.maxNoise() - 1.5));
      int quality =
          (int)
              Overrides.pick(
                  o.quality(),
                  ranges.minJpegQuality()
                      + rnd.nextInt(ranges.maxJpegQuality() - ranges.minJpegQuality() + 1));
      // Darkest corner relative to the brightest.
      double light = Overrides.pick(o.light(), 0.45 + rnd.nextDouble() * 0.5);
      double shadow =
          Overrides.pick(o.shadow(), rnd.nextDouble() < 0.4 ? 0.45 + rnd.nextDouble() * 0.35 : 1.0);
      return new Distortion(
          hom,
          hom.scaleAt(pw / 2, ph / 2),
          rot,
          persp,
          blur,
          noise,
          quality,
          light,
          shadow,
          o.exposure());
    }

    Distortion withBlur(double newBlur) {
      return new Distortion(
          sheetToPhoto,
          pxPerMm,
          rotationDeg,
          perspective,
          newBlur,
          noise,
          quality,
          light,
          shadow,
          exposure);
    }

    Distortion withHomography(Homography h, double newPxPerMm) {
      return new Distortion(
          h, newPxPerMm, rotationDeg, perspective, blur, noise, quality, light, shadow, exposure);
    }

    String describe(int width, int height) {
      return String.format(
          "%dx%d rot=%.1f persp=%.3f px/mm=%.2f blur=%.2f noise=%.1f q=%d light=%.2f shadow=%.2f",
          width, height, rotationDeg, perspective, pxPerMm, blur, noise, quality, light, shadow);
    }
  }

  private static byte[] compose(
      BufferedImage sheet,
      double sheetRes,
      Layout layout,
      Distortion d,
      int width,
      int height,
      SplittableRandom rnd,
      Effects effects) {
    int sw = sheet.getWidth();
    int sh = sheet.getHeight();
    int[] sheetPx = sheet.getRGB(0, 0, sw, sh, null, 0, sw);
    Homography photoToSheet = d.sheetToPhoto().invert();
    double[] m = photoToSheet.coefficients();
    var r = new GrayU8(width, height);
    var gr = new GrayU8(width, height);
    var b = new GrayU8(width, height);
    // Background: a desk colour with wood-like grain.
    int bgR = 60 + rnd.nextInt(150);
    int bgG = 40 + rnd.nextInt(130);
    int bgB = 20 + rnd.nextInt(120);
    double grain = 0.02 + rnd.nextDouble() * 0.05;
    double grainAngle = rnd.nextDouble() * Math.PI;
    double ga = Math.cos(grainAngle);
    double gb = Math.sin(grainAngle);
    // Paper tint.
    double tintR = 0.93 + rnd.nextDouble() * 0.07;
    double tintG = 0.92 + rnd.nextDouble() * 0.08;
    double tintB = 0.85 + rnd.nextDouble() * 0.15;
    // Light: a linear gradient from `light` to 1 in a random direction, plus vignetting.
    double la = rnd.nextDouble() * 2 * Math.PI;
    double lx = Math.cos(la);
    double ly = Math.sin(la);
    double exposure = Overrides.pick(d.exposure(), 0.8 + rnd.nextDouble() * 0.25);
    // Shadow: a soft-edged half-plane (a hand or the phone), darkening to `shadow`.
    double sa = rnd.nextDouble() * 2 * Math.PI;
    double sx = Math.cos(sa);
    double sy = Math.sin(sa);
    double sOffset = (rnd.nextDouble() - 0.5) * 0.8 * Math.min(width, height);
    double soft = (0.04 + rnd.nextDouble() * 0.1) * Math.min(width, height);
    double shadowLevel = d.shadow();
    if (effects.hardShadow() != null) {
      double[] hs = effects.hardShadow();
      sx = hs[0];
      sy = hs[1];
      sOffset = hs[2];
      soft = hs[3];
      shadowLevel = hs[4];
    }
    double halfDiag = Math.hypot(width, height) / 2;
    for (int y = 0; y < height; y++) {
      double fy = y + 0.5;
      for (int x = 0; x < width; x++) {
        double fx = x + 0.5;
        double ux = fx;
        double uy = fy;
        if (effects.lensK() != 0) {
          // Uncorrected lens: the ideal (pinhole) position of what this pixel shows.
          double ddx = (fx - width / 2.0) / halfDiag;
          double ddy = (fy - height / 2.0) / halfDiag;
          double f = 1 + effects.lensK() * (ddx * ddx + ddy * ddy);
          ux = width / 2.0 + (fx - width / 2.0) * f;
          uy = height / 2.0 + (fy - height / 2.0) * f;
        }
        double z = m[6] * ux + m[7] * uy + m[8];
        double mmX = (m[0] * ux + m[1] * uy + m[2]) / z;
        double mmY = (m[3] * ux + m[4] * uy + m[5]) / z;
        if (effects.curlX() != 0 || effects.curlY() != 0) {
          // Curled paper: the sheet bulges between the markers, which stay nearly in place.
          double bump =
              Math.sin(Math.PI * Math.max(0, Math.min(1, mmX / layout.pageWidth())))
                  * Math.sin(Math.PI * Math.max(0, Math.min(1, mmY / layout.pageHeight())));
          bump *= bump;
          mmX += effects.curlX() * bump;
          mmY += effects.curlY() * bump;
        }
        double crease = effects.creaseFactor(mmX, mmY);
        double pr;
        double pg;
        double pb;
        if (mmX >= 0 && mmY >= 0 && mmX < layout.pageWidth() && mmY < layout.pageHeight()) {
          double qx = mmX * sheetRes - 0.5;
          double qy = mmY * sheetRes - 0.5;
          int x0 = Math.max(0, Math.min(sw - 2, (int) Math.floor(qx)));
          int y0 = Math.max(0, Math.min(sh - 2, (int) Math.floor(qy)));
          double ax = Math.max(0, Math.min(1, qx - x0));
          double ay = Math.max(0, Math.min(1, qy - y0));
          int p00 = sheetPx[y0 * sw + x0];
          int p10 = sheetPx[y0 * sw + x0 + 1];
          int p01 = sheetPx[(y0 + 1) * sw + x0];
          int p11 = sheetPx[(y0 + 1) * sw + x0 + 1];
          pr = bilerp(p00 >> 16, p10 >> 16, p01 >> 16, p11 >> 16, ax, ay) * tintR;
          pg = bilerp(p00 >> 8, p10 >> 8, p01 >> 8, p11 >> 8, ax, ay) * tintG;
          pb = bilerp(p00, p10, p01, p11, ax, ay) * tintB;
          pr *= crease;
          pg *= crease;
          pb *= crease;
        } else {
          double t = 1 + grain * Math.sin((fx * ga + fy * gb) * 0.05 + Math.sin(fy * 0.01) * 3);
          pr = bgR * t;
          pg = bgG * t;
          pb = bgB * t;
        }
        double along = ((fx - width / 2.0) * lx + (fy - height / 2.0) * ly) / halfDiag;
        double light = d.light() + (1 - d.light()) * (0.5 + 0.5 * along);
        double vx = (fx - width / 2.0) / halfDiag;
        double vy = (fy - height / 2.0) / halfDiag;
        light *= 1 - 0.25 * (vx * vx + vy * vy);
        double s = (fx - width / 2.0) * sx + (fy - height / 2.0) * sy - sOffset;
        double shade = 1 - (1 - shadowLevel) * smoothstep(-soft, soft, s);
        double k = light * shade * exposure;
        int i = y * width + x;
        r.data[i] = clamp(pr * k);
        gr.data[i] = clamp(pg * k);
        b.data[i] = clamp(pb * k);
      }
    }
    if (d.blur() > 0.3) {
      r = BlurImageOps.gaussian(r, null, d.blur(), -1, null);
      gr = BlurImageOps.gaussian(gr, null, d.blur(), -1, null);
      b = BlurImageOps.gaussian(b, null, d.blur(), -1, null);
    }
    if (effects.shakeMm() > 0) {
      // Shake moves the whole image during the exposure, after the lens's defocus.
      double lengthPx = effects.shakeMm() * d.pxPerMm();
      r = shaken(r, lengthPx, effects.shakeAngle());
      gr = shaken(gr, lengthPx, effects.shakeAngle());
      b = shaken(b, lengthPx, effects.shakeAngle());
    }
    if (effects.phone() != null) {
      BufferedImage developed =
          PhoneProcessing.develop(
              float32(r), float32(gr), float32(b), d.noise(), effects.phone(), rnd);
      return PhoneProcessing.withOrientation(
          jpeg(developed, d.quality()), effects.phone().orientation());
    }
    var out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] px = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    for (int i = 0, j = 0; i < width * height; i++, j += 3) {
      double n = rnd.nextGaussian() * d.noise();
      px[j] = clamp((b.data[i] & 0xFF) + n + rnd.nextGaussian() * d.noise() * 0.5);
      px[j + 1] = clamp((gr.data[i] & 0xFF) + n);
      px[j + 2] = clamp((r.data[i] & 0xFF) + n + rnd.nextGaussian() * d.noise() * 0.5);
    }
    return jpeg(out, d.quality());
  }

  private static GrayU8 shaken(GrayU8 in, double lengthPx, double angle) {
    float[] f = new float[in.width * in.height];
    for (int i = 0; i < f.length; i++) {
      f[i] = in.data[i] & 0xFF;
    }
    float[] blurred = MotionBlur.blur(f, in.width, in.height, lengthPx, angle);
    var out = new GrayU8(in.width, in.height);
    for (int i = 0; i < f.length; i++) {
      out.data[i] = clamp(blurred[i]);
    }
    return out;
  }

  private static boofcv.struct.image.GrayF32 float32(GrayU8 in) {
    var out = new boofcv.struct.image.GrayF32(in.width, in.height);
    for (int i = 0; i < out.data.length; i++) {
      out.data[i] = in.data[i] & 0xFF;
    }
    return out;
  }

  private static double bilerp(int p00, int p10, int p01, int p11, double ax, double ay) {
    double top = (p00 & 0xFF) * (1 - ax) + (p10 & 0xFF) * ax;
    double bottom = (p01 & 0xFF) * (1 - ax) + (p11 & 0xFF) * ax;
    return top * (1 - ay) + bottom * ay;
  }

  private static double smoothstep(double a, double b, double x) {
    double t = Math.max(0, Math.min(1, (x - a) / (b - a)));
    return t * t * (3 - 2 * t);
  }

  private static byte clamp(double v) {
    return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
  }

  /** Encodes {@code image} as a baseline JPEG at {@code quality} (0-100). */
  public static byte[] jpeg(BufferedImage image, int quality) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (var bytes = new ByteArrayOutputStream();
        var out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }
}
